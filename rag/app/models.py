"""The app's models: the chat model (local GGUF or a remote server), its worker queue, the
faithfulness judge, and the support signal that decides when an answer abstains."""

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from pydantic import SecretStr

from rag.embed import DenseEmbedder
from rag.llm import ChatModel
from rag.llm.worker import ModelWorker
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.models.library import ActiveModel


class ModelServices:
    settings: Settings
    embedder: DenseEmbedder
    _model: ChatModel | None

    @cached_property
    def model(self) -> ChatModel:
        if self._model is not None:
            return self._model
        s = self.settings
        if s.llm_url is not None:
            return remote_model(
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
        """The faithfulness judge of `rag eval --judge` (rag/eval/judge.py)."""
        from rag.eval.judge import FaithfulnessJudge

        s = self.settings
        if s.judge_url is None:
            return FaithfulnessJudge(self.model_worker)
        model = remote_model(
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


def remote_model(
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
