"""Model cards from GGUF metadata: shape, quantization, licence class, template, memory."""

from pathlib import Path

import pytest

from rag.errors import ModelError, ModelNotFoundError
from rag.models.card import read_card
from rag.models.licence import classify
from rag.models.memory import ModelShape, estimate_memory
from tests.tiny_gguf import N_EMBD, N_FF, N_LAYERS, write_tiny_llama

MIB = 1 << 20
CONTRACT = "name path architecture parameters quantization context_length licence".split() + [
    "licence_class", "chat_template", "file_bytes", "ram_bytes"
]  # fmt: skip
ESCAPE = "{{ lipsum.__globals__['os'].popen('id').read() }}"


def test_a_card_reads_shape_quantization_and_licence_without_loading(tmp_path: Path) -> None:
    path = write_tiny_llama(tmp_path / "tiny.gguf")
    card = read_card(path, n_ctx=512, n_batch=256)
    assert card.architecture == "llama"
    assert card.quantization == "F16"
    assert card.bits_per_weight == pytest.approx(16, abs=0.1)
    assert card.context_length == 2048
    assert card.tokenizer.startswith("llama, ")
    assert card.chat_template == "ok"
    assert (card.licence.name, card.licence.licence_class) == ("apache-2.0", "permissive")
    assert card.file_bytes == path.stat().st_size
    assert card.memory.weights_bytes < card.file_bytes  # the header is not weights
    assert card.ram_bytes == card.memory.total_bytes


def test_json_has_the_fields_of_the_contract(tmp_path: Path) -> None:
    card = read_card(write_tiny_llama(tmp_path / "tiny.gguf"), n_ctx=512, n_batch=256, name="t")
    body = card.to_json()
    assert set(CONTRACT) <= set(body)
    assert body["name"] == "t"


def test_memory_scales_with_context_in_the_kv_cache(tmp_path: Path) -> None:
    path = write_tiny_llama(tmp_path / "tiny.gguf")
    small = read_card(path, n_ctx=512, n_batch=256).memory
    large = read_card(path, n_ctx=1024, n_batch=256).memory
    per_cell = N_LAYERS * 2 * N_EMBD * 2  # K and V, f16, all heads (no grouped-query attention)
    assert small.kv_cache_bytes == 512 * per_cell
    assert large.kv_cache_bytes == 2 * small.kv_cache_bytes
    assert large.weights_bytes == small.weights_bytes


def test_smollm2_figures_match_what_llama_cpp_reports() -> None:
    """llama.cpp at n_ctx 4096: model 92.10, KV 90.00, compute 99.38 MiB (n_ubatch 512) and
    49.69 MiB (256); at n_ctx 16384 the attention scores win: 326.38 MiB."""
    shape = ModelShape(
        weights_bytes=96576768, n_layer=30, n_embd=576, n_vocab=49152, n_head=[9],
        n_head_kv=[3], n_ff=[1536], key_length=64, value_length=64,
    )  # fmt: skip
    at_512 = estimate_memory(shape, 4096, 512)
    assert at_512.kv_cache_bytes / MIB == pytest.approx(90.0)
    assert at_512.compute_bytes / MIB == pytest.approx(99.38, rel=0.02)
    assert estimate_memory(shape, 4096, 256).compute_bytes / MIB == pytest.approx(49.69, rel=0.02)
    assert estimate_memory(shape, 16384, 512).compute_bytes / MIB == pytest.approx(326.38, rel=0.02)
    assert estimate_memory(shape, 4096, 2048).compute_bytes == at_512.compute_bytes  # ubatch cap


@pytest.mark.parametrize(
    ("license_id", "name", "expected"),
    [
        ("apache-2.0", None, "permissive"),
        ("MIT", None, "permissive"),
        ("bsd-3-clause", None, "permissive"),
        ("llama2", None, "conditional"),
        ("other", "llama3.1", "conditional"),
        ("gemma", None, "conditional"),
        ("cc-by-nc-4.0", None, "conditional"),
        ("other", None, "unknown"),
        (None, None, "unknown"),
        ("my-own-terms", None, "unknown"),
    ],
)
def test_licence_classes(license_id: str | None, name: str | None, expected: str) -> None:
    assert classify(license_id, name).licence_class == expected


def test_the_llama2_condition_is_named() -> None:
    assert "improve other LLMs" in classify("llama2").note


def test_a_template_that_escapes_the_sandbox_is_marked_unsafe(tmp_path: Path) -> None:
    path = write_tiny_llama(tmp_path / "evil.gguf", chat_template=ESCAPE)
    card = read_card(path, n_ctx=512, n_batch=256)
    assert card.chat_template == "unsafe"
    assert card.chat_template_error


def test_a_template_that_does_not_parse_is_broken_and_none_is_absent(tmp_path: Path) -> None:
    broken = write_tiny_llama(tmp_path / "b.gguf", chat_template="{% for %}")
    none = write_tiny_llama(tmp_path / "n.gguf", chat_template=None)
    assert read_card(broken, n_ctx=512, n_batch=256).chat_template == "broken"
    assert read_card(none, n_ctx=512, n_batch=256).chat_template == "absent"


def test_not_a_gguf_and_truncated_files_are_one_line_errors(tmp_path: Path) -> None:
    text = tmp_path / "notes.gguf"
    text.write_text("hello")
    whole = write_tiny_llama(tmp_path / "whole.gguf").read_bytes()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(whole[: len(whole) // 2])
    for path in (text, cut):
        with pytest.raises(ModelError) as caught:
            read_card(path, n_ctx=512, n_batch=256)
        assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    with pytest.raises(ModelNotFoundError):
        read_card(tmp_path / "absent.gguf", n_ctx=512, n_batch=256)


def test_parameters_count_every_weight(tmp_path: Path) -> None:
    card = read_card(write_tiny_llama(tmp_path / "tiny.gguf"), n_ctx=512, n_batch=256)
    blocks = N_LAYERS * (4 * N_EMBD * N_EMBD + 3 * N_FF * N_EMBD + 2 * N_EMBD)
    assert card.parameters - blocks == 2 * card_vocab(card) * N_EMBD + N_EMBD


def card_vocab(card) -> int:
    return int(card.tokenizer.split(", ")[1].split()[0])
