"""A tiny random llama-architecture GGUF that llama.cpp loads and runs, written by the tests:
2 layers of width 256 (a multiple of the K-quants' 256-wide blocks), a byte-fallback SentencePiece
vocabulary, F16 or F32 weights. What it generates is noise; that it generates is the point."""

from pathlib import Path

import gguf
import numpy as np

N_EMBD = 256
N_LAYERS = 2
N_HEAD = 4
N_FF = 512
WORDS = ["▁the", "▁a", "▁model", "▁answer", "▁is", "▁of", "▁and", "▁to"]
CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def write_tiny_llama(
    path: Path,
    *,
    f16: bool = True,
    licence: str | None = "apache-2.0",
    chat_template: str | None = CHATML,
    context_length: int = 2048,
    seed: int = 0,
    extra: dict[str, str] | None = None,
) -> Path:
    tokens = ["<unk>", "<s>", "</s>", *(f"<0x{b:02X}>" for b in range(256)), *WORDS]
    types = [2, 3, 3, *[6] * 256, *[1] * len(WORDS)]  # unknown, control, byte, normal
    rng = np.random.default_rng(seed)
    weight_type = np.float16 if f16 else np.float32

    def weights(*shape: int) -> np.ndarray:
        return (0.02 * rng.standard_normal(shape)).astype(weight_type)

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("tiny-llama")
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16 if f16 else gguf.LlamaFileType.ALL_F32)
    if licence is not None:
        writer.add_license(licence)
    writer.add_context_length(context_length)
    writer.add_embedding_length(N_EMBD)
    writer.add_block_count(N_LAYERS)
    writer.add_feed_forward_length(N_FF)
    writer.add_head_count(N_HEAD)
    writer.add_head_count_kv(N_HEAD)
    writer.add_rope_dimension_count(N_EMBD // N_HEAD)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(len(tokens))
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * (len(tokens) - len(WORDS)) + [-1.0] * len(WORDS))
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_unk_token_id(0)
    if chat_template is not None:
        writer.add_chat_template(chat_template)
    for key, value in (extra or {}).items():
        writer.add_string(key, value)
    norm = np.ones(N_EMBD, dtype=np.float32)
    writer.add_tensor("token_embd.weight", weights(len(tokens), N_EMBD))
    writer.add_tensor("output_norm.weight", norm)
    writer.add_tensor("output.weight", weights(len(tokens), N_EMBD))
    for layer in range(N_LAYERS):
        block = f"blk.{layer}"
        writer.add_tensor(f"{block}.attn_norm.weight", norm)
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"{block}.{name}.weight", weights(N_EMBD, N_EMBD))
        writer.add_tensor(f"{block}.ffn_norm.weight", norm)
        writer.add_tensor(f"{block}.ffn_gate.weight", weights(N_FF, N_EMBD))
        writer.add_tensor(f"{block}.ffn_up.weight", weights(N_FF, N_EMBD))
        writer.add_tensor(f"{block}.ffn_down.weight", weights(N_EMBD, N_FF))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
