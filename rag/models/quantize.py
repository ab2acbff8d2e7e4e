"""`rag models quantize`: llama.cpp's quantizer, through llama-cpp-python.

llama.cpp prints one line per tensor as it goes (the progress). The result is written beside
OUT under a temporary name and renamed only once llama.cpp succeeded and it reads as a GGUF, so
a failure or an interruption never leaves a half-written OUT.
"""

import os
from pathlib import Path

from rag.errors import InvalidInputError, ModelError
from rag.models.card import ModelCard, read_card

# What a user may ask for, by llama.cpp's names; each maps to a llama_ftype constant.
QUANT_TYPES = ("Q4_K_M", "Q5_K_M", "Q8_0")
UNQUANTIZED = ("F32", "F16", "BF16")


def quantize(
    source: Path, target: Path, quant: str, *, n_ctx: int, n_batch: int, threads: int | None
) -> ModelCard:
    quant = quant.upper()
    if quant not in QUANT_TYPES:
        raise InvalidInputError(
            f"unknown quantization type {quant!r}; choose one of {', '.join(QUANT_TYPES)}"
        )
    card = read_card(source, n_ctx=n_ctx, n_batch=n_batch)
    if card.quantization not in UNQUANTIZED:
        raise InvalidInputError(
            f"{source} is already quantized ({card.quantization}); quantize an F32, F16 or BF16 "
            "GGUF, or pull the quantization you want"
        )
    target = target.expanduser().resolve()
    if target.exists():
        raise InvalidInputError(f"{target} already exists; choose another OUT or delete it first")
    if not target.parent.is_dir():
        raise InvalidInputError(f"folder {target.parent} does not exist; create it first")
    partial = target.with_name(f".{target.name}.part")
    try:
        _run_quantizer(card.path, partial, quant, threads or os.cpu_count() or 1)
        result = read_card(partial, n_ctx=n_ctx, n_batch=n_batch)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return read_card(target, n_ctx=n_ctx, n_batch=n_batch, name=result.name)


def _run_quantizer(source: Path, target: Path, quant: str, threads: int) -> None:
    import ctypes

    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{quant}")
    params.nthread = threads
    status = llama_cpp.llama_model_quantize(
        str(source).encode(), str(target).encode(), ctypes.byref(params)
    )
    if status != 0:
        raise ModelError(
            f"llama.cpp could not quantize {source} to {quant} (status {status}; its log above "
            "says why); check that the file is a complete model"
        )
