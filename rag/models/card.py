"""A model card read from a GGUF's metadata, without loading its weights.

`gguf.GGUFReader` memory-maps the file and parses the header and tensor table only. Parsing the
tokenizer's arrays takes about 2 s for a 49k-token vocabulary, so cards are cached per file
(path, size, mtime) and context settings.
"""

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from rag.errors import ModelError, ModelNotFoundError
from rag.models.licence import Licence, classify
from rag.models.memory import MemoryEstimate, ModelShape, estimate_memory

TemplateStatus = Literal["ok", "absent", "unsafe", "broken"]
_PROBE = [
    {"role": "system", "content": "Answer from the sources."},
    {"role": "user", "content": "What is the capital of France?"},
]


@dataclass(frozen=True)
class ModelCard:
    name: str
    path: Path
    architecture: str
    parameters: int
    quantization: str
    bits_per_weight: float
    context_length: int | None
    tokenizer: str
    chat_template: TemplateStatus
    chat_template_error: str | None
    licence: Licence
    file_bytes: int
    memory: MemoryEstimate

    @property
    def ram_bytes(self) -> int:
        return self.memory.total_bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "architecture": self.architecture,
            "parameters": self.parameters,
            "quantization": self.quantization,
            "bits_per_weight": self.bits_per_weight,
            "context_length": self.context_length,
            "tokenizer": self.tokenizer,
            "chat_template": self.chat_template,
            "chat_template_error": self.chat_template_error,
            "licence": self.licence.name,
            "licence_class": self.licence.licence_class,
            "licence_note": self.licence.note,
            "licence_link": self.licence.link,
            "file_bytes": self.file_bytes,
            "ram_bytes": self.ram_bytes,
            "memory": self.memory.to_json(),
        }


def read_card(path: Path, *, n_ctx: int, n_batch: int, name: str | None = None) -> ModelCard:
    """The card of the GGUF at `path`, its memory estimated at `n_ctx` and `n_batch`."""
    path = path.expanduser().resolve()
    try:
        stat = path.stat()
    except OSError:
        raise ModelNotFoundError(f"model file {path} does not exist") from None
    card = _cached_card(path, stat.st_size, stat.st_mtime_ns, n_ctx, n_batch)
    return card if name is None else replace(card, name=name)


@lru_cache(maxsize=32)
def _cached_card(path: Path, size: int, _mtime_ns: int, n_ctx: int, n_batch: int) -> ModelCard:
    meta = _Metadata(path, size)
    arch = meta.text("general.architecture") or "unknown"
    template_status, template_error = _check_template(meta)
    weights = meta.weights_bytes
    params = meta.parameters
    licence = classify(
        meta.text("general.license"),
        meta.text("general.license.name"),
        meta.text("general.license.link"),
    )
    return ModelCard(
        name=meta.text("general.name") or path.stem,
        path=path,
        architecture=arch,
        parameters=params,
        quantization=meta.quantization,
        bits_per_weight=round(weights * 8 / params, 2) if params else 0.0,
        context_length=meta.number(f"{arch}.context_length"),
        tokenizer=meta.tokenizer,
        chat_template=template_status,
        chat_template_error=template_error,
        licence=licence,
        file_bytes=size,
        memory=estimate_memory(meta.shape(arch), n_ctx, n_batch),
    )


class _Metadata:
    """The fields and tensor table of one GGUF file, with a one-line error for a bad file."""

    def __init__(self, path: Path, size: int) -> None:
        from gguf import GGUFReader

        self.path = path
        try:
            reader = GGUFReader(path)
        except (ValueError, IndexError, KeyError, OSError, TypeError, OverflowError) as exc:
            raise ModelError(
                f"{path} is not a readable GGUF file ({_reason(exc)}); re-download it or "
                "pick another file"
            ) from None
        end = max((t.data_offset + t.n_bytes for t in reader.tensors), default=0)
        if end > size:
            raise ModelError(
                f"{path} is truncated ({size} of {end} bytes); re-download it or pick another file"
            )
        self._fields = reader.fields
        self._tensors = reader.tensors

    def _value(self, key: str) -> Any:
        field = self._fields.get(key)
        if field is None:
            return None
        try:
            return field.contents()
        except (ValueError, UnicodeDecodeError, IndexError):
            return None

    def text(self, key: str) -> str | None:
        value = self._value(key)
        return value if isinstance(value, str) and value.strip() else None

    def number(self, key: str) -> int | None:
        value = self._value(key)
        return (
            int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        )

    def numbers(self, key: str) -> list[int]:
        """A per-model or per-layer integer: always a non-empty list, or empty when missing."""
        value = self._value(key)
        if isinstance(value, list):
            return [int(v) for v in value if isinstance(v, (int, float))]
        return [int(value)] if isinstance(value, (int, float)) else []

    def token(self, index: int | None) -> str:
        field = self._fields.get("tokenizer.ggml.tokens")
        if field is None or index is None or not 0 <= index < len(field.data):
            return ""
        return field.contents(index)

    @property
    def n_vocab(self) -> int:
        field = self._fields.get("tokenizer.ggml.tokens")
        return len(field.data) if field is not None else 0

    @property
    def weights_bytes(self) -> int:
        return sum(int(t.n_bytes) for t in self._tensors)

    @property
    def parameters(self) -> int:
        return sum(int(t.n_elements) for t in self._tensors)

    @property
    def quantization(self) -> str:
        from gguf import LlamaFileType

        file_type = self.number("general.file_type")
        try:
            return LlamaFileType(file_type).name.removeprefix("MOSTLY_").removeprefix("ALL_")
        except ValueError:
            # No file type recorded: name the type most of the weights use.
            by_bytes: dict[str, int] = {}
            for tensor in self._tensors:
                kind = tensor.tensor_type.name
                by_bytes[kind] = by_bytes.get(kind, 0) + int(tensor.n_bytes)
            return max(by_bytes, key=by_bytes.__getitem__, default="unknown")

    @property
    def tokenizer(self) -> str:
        model = self.text("tokenizer.ggml.model") or "none"
        pre = self.text("tokenizer.ggml.pre")
        return f"{model}{f' ({pre})' if pre else ''}, {self.n_vocab} tokens"

    def shape(self, arch: str) -> ModelShape:
        n_embd = self.number(f"{arch}.embedding_length") or 0
        n_head = self.numbers(f"{arch}.attention.head_count") or [1]
        n_head_kv = self.numbers(f"{arch}.attention.head_count_kv") or n_head
        head_dim = n_embd // max(max(n_head), 1)
        return ModelShape(
            weights_bytes=self.weights_bytes,
            n_layer=self.number(f"{arch}.block_count") or 0,
            n_embd=n_embd,
            n_vocab=self.number(f"{arch}.vocab_size") or self.n_vocab,
            n_head=n_head,
            n_head_kv=n_head_kv,
            n_ff=self.numbers(f"{arch}.feed_forward_length") or [4 * n_embd],
            key_length=self.number(f"{arch}.attention.key_length") or head_dim,
            value_length=self.number(f"{arch}.attention.value_length") or head_dim,
        )


def _check_template(meta: _Metadata) -> tuple[TemplateStatus, str | None]:
    """Render the GGUF's chat template in the sandbox we serve with (rag.llm.template)."""
    from rag.llm.template import ChatTemplate

    template = meta.text("tokenizer.chat_template")
    if template is None:
        return "absent", None
    bos = meta.token(meta.number("tokenizer.ggml.bos_token_id"))
    eos = meta.token(meta.number("tokenizer.ggml.eos_token_id"))
    try:
        ChatTemplate(template, bos_token=bos, eos_token=eos).render(_PROBE)
    except ModelError as exc:
        return ("unsafe" if "unsafe" in str(exc) else "broken"), str(exc)
    return "ok", None


def _reason(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
