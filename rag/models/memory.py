"""The memory a llama.cpp load of a GGUF takes: weights + KV cache + compute buffer.

The terms are the three buffers llama.cpp reports at load ("model buffer", "KV buffer",
"compute buffer"), computed from the GGUF's shape. The compute buffer is sized for the worst
micro-batch: either the output logits of a full micro-batch, or the attention scores of one over
the whole context (without flash attention, as we load). Measured against llama.cpp's own figures
for SmolLM2-135M at n_ctx 512-16384 and n_ubatch 64-512 it is within 2%; docs/MODELS.md gives
the formula and bench/model_memory.py checks it against real RSS.
"""

from dataclasses import dataclass

F16_BYTES = 2
F32_BYTES = 4
# llama-cpp-python's default micro-batch; llama.cpp clamps it to n_batch.
DEFAULT_UBATCH = 512


@dataclass(frozen=True)
class ModelShape:
    """What the estimate needs from a GGUF; per-layer lists where the metadata has them."""

    weights_bytes: int
    n_layer: int
    n_embd: int
    n_vocab: int
    n_head: list[int]
    n_head_kv: list[int]
    n_ff: list[int]
    key_length: int
    value_length: int


@dataclass(frozen=True)
class MemoryEstimate:
    weights_bytes: int
    kv_cache_bytes: int
    compute_bytes: int
    n_ctx: int
    n_batch: int

    @property
    def total_bytes(self) -> int:
        return self.weights_bytes + self.kv_cache_bytes + self.compute_bytes

    def to_json(self) -> dict[str, int]:
        return {
            "weights_bytes": self.weights_bytes,
            "kv_cache_bytes": self.kv_cache_bytes,
            "compute_bytes": self.compute_bytes,
            "n_ctx": self.n_ctx,
            "n_batch": self.n_batch,
        }


def estimate_memory(shape: ModelShape, n_ctx: int, n_batch: int) -> MemoryEstimate:
    ubatch = min(n_batch, DEFAULT_UBATCH)
    # K and V in f16 for every layer and context cell.
    kv_per_cell = sum(
        heads * (shape.key_length + shape.value_length)
        for heads in _per_layer(shape.n_head_kv, shape)
    )
    kv_cache = n_ctx * kv_per_cell * F16_BYTES
    logits = shape.n_vocab + 3 * shape.n_embd
    attention = (max(shape.n_head) + 1) * n_ctx + 2 * max(shape.n_ff)
    compute = ubatch * F32_BYTES * max(logits, attention)
    return MemoryEstimate(shape.weights_bytes, kv_cache, compute, n_ctx, n_batch)


def _per_layer(values: list[int], shape: ModelShape) -> list[int]:
    return values * shape.n_layer if len(values) == 1 else values
