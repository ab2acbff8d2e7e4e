"""A tiny GGUF LoRA adapter for the bundled SmolLM2-135M, written by the tests (none ships
offline): low-rank deltas on every layer's query projection, as llama.cpp's
convert_lora_to_gguf.py lays them out (lora_a: rank × n_in, lora_b: n_out × rank)."""

from pathlib import Path

import gguf
import numpy as np

N_EMBD = 576  # SmolLM2-135M's hidden size
N_LAYERS = 30
RANK = 4


def write_lora(path: Path, scale: float, seed: int = 0) -> Path:
    """`scale` 0 gives an adapter that changes nothing; a large one changes every answer."""
    rng = np.random.default_rng(seed)
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(RANK))
    for layer in range(N_LAYERS):
        name = f"blk.{layer}.attn_q.weight"
        lora_a = rng.standard_normal((RANK, N_EMBD)).astype(np.float32)
        lora_b = (scale * rng.standard_normal((N_EMBD, RANK))).astype(np.float32)
        writer.add_tensor(f"{name}.lora_a", lora_a)
        writer.add_tensor(f"{name}.lora_b", lora_b)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
