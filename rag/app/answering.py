"""The app's answering: one typed request per question, retrieval, the answer stage, and the
`ask --json` shape that stores a conversation's turn."""

from collections.abc import Sequence
from functools import cached_property, partial
from typing import TYPE_CHECKING

from rag.embed import DenseEmbedder, SparseEncoder
from rag.errors import InvalidInputError
from rag.llm import Message
from rag.settings import RetrievalMode, Settings
from rag.store import Filters, VectorStore

if TYPE_CHECKING:
    from rag.answer.types import AskRequest, AskResult
    from rag.datadir import DataDir
    from rag.plugins.registry import Plugins
    from rag.retrieve import RetrievedChunk
    from rag.tables.store import TableStore


class AnsweringServices:
    settings: Settings
    data_dir: "DataDir"
    embedder: DenseEmbedder
    sparse: SparseEncoder
    store: VectorStore
    plugins: "Plugins"
    tables: "TableStore"

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
        regenerate: bool = False,
    ) -> "AskRequest":
        """The one request the answer stage takes, settings filling what the caller left out.
        A conversation's stored turns are its history (an unknown id is NotFoundError); to
        `regenerate` its last answer, the turns before the last one."""
        from rag.answer.types import AskRequest

        if regenerate and conversation_id is None:
            raise InvalidInputError("regenerate needs the conversation_id of the answer to redo")
        if conversation_id is not None:
            history = self.conversations.history(conversation_id)
            if regenerate:
                history = history[:-2]  # the last question and its answer
            collection = collection or self.conversations.summary(conversation_id)["collection"]
        self._check_question_tokens(question)
        return AskRequest(
            question,
            self._searchable(self.collection(collection)),
            self.settings.top_k if top_k is None else top_k,
            mode or self.settings.retrieval_mode,
            filters,
            tuple(history),
            adapter,
            conversation_id,
        )

    def _searchable(self, collection: str) -> str:
        """The default collection is offered (rag:default) before anything is ingested, so
        asking it finds nothing instead of failing: its empty shard is made on first use."""
        if collection == self.settings.default_collection and collection not in set(
            self.store.collections()
        ):
            self.catalog.create(collection)
        return collection

    def answer_json(
        self,
        request: "AskRequest",
        result: "AskResult",
        regenerate: bool = False,
        stopped: bool = False,
    ) -> dict[str, object]:
        """The `ask --json` shape; an answer in a conversation is stored as a turn (`turn_id`),
        a stateless one stores nothing and has no `conversation_id`. A regenerated answer
        replaces the conversation's last turn, whose earlier answers stay in its `earlier`."""
        from rag.view.viewer import view_url

        shown = {**result.to_json(), "conversation_id": request.conversation_id}
        for citation in shown["citations"]:  # each opens in the source viewer (rag/view/)
            citation["view_url"] = view_url(request.collection, citation)
        if stopped:
            shown["stopped"] = True
        if request.conversation_id is not None:
            store = self.conversations.replace_last if regenerate else self.conversations.append
            shown["turn_id"] = store(
                request.conversation_id, request.question, request.collection, shown
            )
        return shown

    def record_stopped(
        self, request: "AskRequest", result: "AskResult | None" = None, regenerate: bool = False
    ) -> None:
        """A stopped answer stays in its conversation, marked `stopped`, with what was shown
        of it (nothing when it was stopped while searching)."""
        from rag.answer.types import AskResult

        if request.conversation_id is None:
            return
        result = result or AskResult.for_request(request)
        self.answer_json(request, result, regenerate, stopped=True)

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
    def examples(self):
        """Example questions each collection's documents answer (rag/app/examples.py)."""
        from rag.app.examples import ExampleQuestions

        without_model = self.answers.without("model_tools", "grounded_generation")
        return ExampleQuestions(self.ledger, self.store, without_model, self.ask_request)

    @cached_property
    def answers(self):
        """The answer stage (rag/answer/): `ask(request)` and `stream(request)`."""
        from rag.answer.answerers import default_chain
        from rag.answer.context import embedder_similarity
        from rag.answer.model_tools import ModelToolLoop
        from rag.answer.orchestrator import AnswerOrchestrator
        from rag.answer.synonyms import wordnet_synonyms
        from rag.embed import one_token_words
        from rag.plugins.answering import placed_chain
        from rag.tables.chain import TableAnswerer
        from rag.tables.matching import Matcher
        from rag.tools.table_query import table_query_tool

        s = self.settings
        tools = self.plugins.tool_registry()
        similarity = embedder_similarity(self.embedder)
        synonyms = wordnet_synonyms(cache=self.data_dir.wordnet_cache_path)
        chain = default_chain(
            self.retriever,
            self.model_worker,
            tools,
            max_tokens=s.llm_max_tokens,
            abstain_min_support=self.min_support,
            model_tools=ModelToolLoop(self.model_worker) if s.llm_tool_calls else None,
            tables=TableAnswerer(self.tables, Matcher(synonyms, similarity)),
            # a configured model writes its own table queries; the bundled one is too small
            table_tool=(
                partial(table_query_tool, self.tables) if s.llm_model_path or s.llm_url else None
            ),
        )
        chain = placed_chain(chain, self.plugins.answerers, tools)
        return AnswerOrchestrator(
            self.retriever,
            similarity,
            self.support_signal,
            chain,
            s.collection_adapters.get,
            known_word=one_token_words(self.embedder),
            synonyms=synonyms,
        )
