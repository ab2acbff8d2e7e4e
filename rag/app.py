"""The composition root: Settings → wired objects. The only place that builds the parts.

Front doors call `open_app(settings)` and use its services. Models load on first use, so
`rag ingest` never loads the language model and an all-unchanged re-ingest never loads torch.
Tests inject fakes through the keyword arguments.
"""

import logging
import threading
from collections.abc import Iterable, Sequence
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from pydantic import SecretStr

from rag.datadir import DataDir
from rag.embed import DenseEmbedder, SparseEncoder
from rag.errors import InvalidInputError
from rag.llm import ChatModel, Message
from rag.llm.worker import ModelWorker
from rag.settings import RetrievalMode, Settings
from rag.store import Filters, VectorStore

if TYPE_CHECKING:
    from rag.answer.types import AskRequest, AskResult
    from rag.models.library import ActiveModel
    from rag.retrieve import RetrievedChunk

log = logging.getLogger(__name__)


class RagApp:
    def __init__(
        self,
        settings: Settings,
        *,
        embedder: DenseEmbedder | None = None,
        model: ChatModel | None = None,
    ) -> None:
        from rag.embed import Bm25Encoder, SentenceTransformerEmbedder, resolve_embedder_path
        from rag.ingest.ledger import Ledger, delete_pending

        self.settings = settings
        self.data_dir = DataDir(settings.data_dir)
        self.embedder: DenseEmbedder = embedder or SentenceTransformerEmbedder(
            resolve_embedder_path(settings.embed_model), settings.embed_batch_size
        )
        self.data_dir.acquire()
        try:
            self.ledger = Ledger(self.data_dir.ledger_path(settings.qdrant_url))
            self.store = _build_store(settings, self.data_dir)
            # A run killed half-way leaves chunks that are not current: remove them first.
            for collection in self.ledger.collections():
                delete_pending(self.ledger, self.store, collection)
        except BaseException:
            self.data_dir.release()
            raise
        self.sparse: SparseEncoder = Bm25Encoder()
        self._model = model

    def collection(self, name: str | None) -> str:
        """A collection's name as first created: names that differ only by case are one."""
        return self.catalog.canonical(name or self.settings.default_collection)

    def ask_request(
        self,
        question: str,
        collection: str | None = None,
        top_k: int | None = None,
        mode: RetrievalMode | None = None,
        filters: Filters | None = None,
        *,
        history: Sequence[Message] = (),
        adapter: str | None = None,
        conversation_id: str | None = None,
    ) -> "AskRequest":
        """The one request the answer stage takes, settings filling what the caller left out.
        A conversation's stored turns are its history (an unknown id is NotFoundError)."""
        from rag.answer.types import AskRequest

        if conversation_id is not None:
            history = self.conversations.history(conversation_id)
            collection = collection or self.conversations.summary(conversation_id)["collection"]
        self._check_question_tokens(question)
        return AskRequest(
            question,
            self.collection(collection),
            self.settings.top_k if top_k is None else top_k,
            mode or self.settings.retrieval_mode,
            filters,
            tuple(history),
            adapter,
            conversation_id,
        )

    def answer_json(self, request: "AskRequest", result: "AskResult") -> dict[str, object]:
        """The `ask --json` shape; an answer in a conversation is stored as a turn (`turn_id`),
        a stateless one stores nothing and has no `conversation_id`."""
        shown = {**result.to_json(), "conversation_id": request.conversation_id}
        if request.conversation_id is not None:
            shown["turn_id"] = self.conversations.append(
                request.conversation_id, request.question, request.collection, shown
            )
        return shown

    def _check_question_tokens(self, question: str) -> None:
        """A question over `max_question_tokens` of the model's own tokens is an input error:
        characters say little (one emoji can take four tokens). Counted whenever the model is
        at hand (the server loads it at start); a CLI search never loads it just to count."""
        if not (self.model_loaded or self._model is not None):
            return
        tokens = self.model.count_tokens([{"role": "user", "content": question}])
        limit = self.settings.max_question_tokens
        if tokens > limit:
            raise InvalidInputError(
                f"the question is {tokens} model tokens; the limit is {limit} "
                "(RAG_MAX_QUESTION_TOKENS): ask a shorter question"
            )

    def search(self, request: "AskRequest") -> list["RetrievedChunk"]:
        """Retrieval only (`rag search`, `/v1/search`): the request's question is the query."""
        r = request
        return self.retriever.search(r.question, r.collection, r.top_k, r.mode, r.filters)

    @property
    def recipe(self) -> dict[str, object]:
        """What a collection's vectors depend on; a change must not mix old and new vectors."""
        from rag.ingest.ledger import SCHEMA_VERSION

        return {
            "embedder": self.embedder.model_id,
            "chunk_size": self.settings.chunk_size,
            "chunk_overlap": self.settings.chunk_overlap,
            "schema_version": SCHEMA_VERSION,
        }

    @cached_property
    def indexer(self):
        from rag.ingest.chunking import Chunker
        from rag.ingest.ocr import OcrConfig
        from rag.ingest.ocr_cache import OcrCache
        from rag.ingest.sync import Indexer

        chunker = Chunker(
            self.settings.chunk_size, self.settings.chunk_overlap, self.embedder.tokenize
        )
        cache = OcrCache(self.data_dir.ocr_cache_path) if self.settings.ocr_cache else None
        ocr = OcrConfig.from_settings(self.settings, cache)
        return Indexer(
            self.ledger, self.store, self.embedder, self.sparse, chunker, self.recipe, ocr
        )

    @cached_property
    def catalog(self):
        from rag.catalog import Catalog

        return Catalog(
            self.ledger, self.store, self.recipe, self.uploads, lambda: self.embedder.dimension
        )

    @cached_property
    def jobs(self):
        from rag.ingest.sources import scans_for
        from rag.jobs import IngestJob, JobRunner

        def run(job: IngestJob):
            scans = scans_for(job.sources, self.settings, roots=self.settings.api_ingest_roots)
            report = self.indexer.sync(scans, job.collection, on_source_done=job.progress)
            if self.index_is_due(job.collection, report):
                # The job is done now; the index builds off to the side (see rag/store/edge.py).
                threading.Thread(
                    target=self._build_index_quietly, args=(job.collection,), daemon=True
                ).start()
            return report

        return JobRunner(run)

    def index_is_due(self, collection: str, report) -> bool:
        """An ingest that wrote chunks into a collection past `index_build_threshold` chunks."""
        threshold = self.settings.index_build_threshold
        return bool(report.chunks_written and threshold) and (
            self.store.count(collection) >= threshold
        )

    def _build_index_quietly(self, collection: str) -> None:
        try:
            self.store.build_index(collection)
        except Exception:  # the exact search still answers; the next ingest tries again
            log.exception("building the search index of %s failed", collection)

    @cached_property
    def feedback(self):
        from rag.feedback import FeedbackLog

        return FeedbackLog(self.data_dir.root / "feedback.sqlite3")

    @cached_property
    def conversations(self):
        from rag.conversations import ConversationStore

        return ConversationStore(self.data_dir.root / "conversations.sqlite3")

    @cached_property
    def uploads(self):
        from rag.ingest.uploads import UploadArea

        return UploadArea(self.data_dir.root / "uploads", self.settings.max_file_bytes)

    @cached_property
    def retriever(self):
        from rag.rerank import CrossEncoderReranker
        from rag.retrieve import Retriever

        s = self.settings
        return Retriever(
            self.store,
            self.embedder,
            self.sparse,
            s.prefetch_limit,
            s.hybrid_dense_weight,
            reranker=CrossEncoderReranker(s.rerank_model.expanduser()) if s.rerank_model else None,
            rerank_candidates=s.rerank_candidates,
            mmr_lambda=s.mmr_lambda,
        )

    @cached_property
    def model(self) -> ChatModel:
        if self._model is not None:
            return self._model
        s = self.settings
        if s.llm_url is not None:
            return _remote_model(
                s,
                s.llm_url,
                s.llm_remote_model,
                s.llm_api_key,
                parallel=s.llm_parallel,
                temperature=s.llm_temperature,
                adapters=s.llm_lora_adapters,
            )
        from rag.llm.local import LlamaCppChatModel, resolve_model_path

        return LlamaCppChatModel(
            resolve_model_path(self.local_model_choice.path),
            n_ctx=s.llm_n_ctx,
            n_threads=s.llm_n_threads,
            n_batch=s.llm_n_batch,
            gpu_layers=s.llm_gpu_layers,
            temperature=s.llm_temperature,
            repeat_penalty=s.llm_repeat_penalty,
            seed=s.llm_seed,
            adapters={n: p.expanduser() for n, p in s.llm_lora_adapters.items()},
        )

    @cached_property
    def local_model_choice(self) -> "ActiveModel":
        """The GGUF the local model loads, fixed once read: a `rag models use` made while the
        server runs takes effect at its next start."""
        from rag.models.library import active_model

        return active_model(self.settings)

    @cached_property
    def judge(self):
        """The faithfulness judge of `rag eval --judge` (rag/judge.py)."""
        from rag.judge import FaithfulnessJudge

        s = self.settings
        if s.judge_url is None:
            return FaithfulnessJudge(self.model_worker)
        model = _remote_model(
            s, s.judge_url, s.judge_model, s.judge_api_key, parallel=1, temperature=0.0
        )
        return FaithfulnessJudge(ModelWorker(model, queue_size=1, timeout_s=s.llm_timeout_s))

    @property
    def model_loaded(self) -> bool:
        return "model" in self.__dict__

    @cached_property
    def model_worker(self) -> ModelWorker:
        s = self.settings
        return ModelWorker(self.model, queue_size=s.llm_queue_size, timeout_s=s.llm_timeout_s)

    @cached_property
    def answers(self):
        """The answer stage (rag/answer/): `ask(request)` and `stream(request)`."""
        from rag.answer.answerers import default_chain
        from rag.answer.context import embedder_similarity
        from rag.answer.model_tools import ModelToolLoop
        from rag.answer.orchestrator import AnswerOrchestrator
        from rag.answer.synonyms import wordnet_synonyms
        from rag.embed import one_token_words
        from rag.tools import default_registry

        s = self.settings
        chain = default_chain(
            self.retriever,
            self.model_worker,
            default_registry(),
            max_tokens=s.llm_max_tokens,
            abstain_min_support=self.min_support,
            model_tools=ModelToolLoop(self.model_worker) if s.llm_tool_calls else None,
        )
        similarity = embedder_similarity(self.embedder)
        return AnswerOrchestrator(
            self.retriever,
            similarity,
            self.support_signal,
            chain,
            s.collection_adapters.get,
            known_word=one_token_words(self.embedder),
            synonyms=wordnet_synonyms(),
        )

    @cached_property
    def support_signal(self):
        """How well the best sentences answer a question (rag/answer/abstain.py): the trained
        verifier when its weights fit the embedder, else focus-term coverage."""
        from rag.answer.abstain import evidence_signal, verifier_signal
        from rag.answer.verifier import AnswerabilityVerifier

        if AnswerabilityVerifier.fits(self.embedder):
            return verifier_signal(AnswerabilityVerifier(self.embedder))
        return evidence_signal

    @property
    def min_support(self) -> float:
        """Below this support an answer abstains: the settings' threshold, else the one
        calibrated for the support signal in use."""
        from rag.answer.abstain import COVERAGE_MIN_SUPPORT, VERIFIER_MIN_SUPPORT, evidence_signal

        if self.settings.abstain_min_support is not None:
            return self.settings.abstain_min_support
        coverage = self.support_signal is evidence_signal
        return COVERAGE_MIN_SUPPORT if coverage else VERIFIER_MIN_SUPPORT

    def close(self) -> None:
        if "jobs" in self.__dict__:
            self.jobs.close()  # before what they write to
        for log in ("feedback", "conversations"):
            if log in self.__dict__:
                self.__dict__[log].close()
        self.store.close()
        self.ledger.close()
        self.data_dir.release()

    def __enter__(self) -> "RagApp":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _remote_model(
    settings: Settings,
    url: str,
    name: str,
    api_key: SecretStr | None,
    *,
    parallel: int,
    temperature: float,
    adapters: Iterable[str] = (),
) -> ChatModel:
    """An OpenAI-compatible server as a chat model, with the runtime's context and timeout."""
    from rag.llm.remote import RemoteChatModel

    return RemoteChatModel(
        url,
        name,
        api_key=api_key.get_secret_value() if api_key else None,
        n_ctx=settings.llm_n_ctx,
        parallel=parallel,
        timeout_s=settings.llm_timeout_s,
        temperature=temperature,
        adapters=adapters,
    )


def _build_store(settings: Settings, data_dir: DataDir) -> VectorStore:
    if settings.qdrant_url is None:
        from rag.store.edge import EdgeStore

        return EdgeStore(data_dir.root / "collections")
    from qdrant_client import QdrantClient

    from rag.store.server import QdrantServerStore

    api_key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
    client = QdrantClient(
        url=settings.qdrant_url, api_key=api_key, timeout=settings.qdrant_timeout_s
    )
    return QdrantServerStore(client)
