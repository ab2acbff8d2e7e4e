"""`rag models quantize` on a tiny random llama GGUF: the result loads in llama.cpp and runs."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.errors import InvalidInputError, ModelError
from tests.tiny_gguf import write_tiny_llama

pytestmark = pytest.mark.integration
EOS = 2


def quantize(*args: str):
    return CliRunner().invoke(cli.cli, ["models", "quantize", *args])


def tokens_generated(path: Path) -> int:
    """Random weights may pick end-of-text first, so it is banned: at least 6 tokens must come
    (llama-cpp-python may count one more while it completes a UTF-8 character)."""
    from llama_cpp import Llama

    llama = Llama(model_path=str(path), n_ctx=256, n_threads=2, verbose=False)
    try:
        out = llama.create_completion("the model", max_tokens=6, logit_bias={EOS: -100.0})
    finally:
        llama.close()
    return out["usage"]["completion_tokens"]


@pytest.mark.parametrize(("f16", "quant"), [(True, "Q4_K_M"), (False, "Q8_0"), (True, "q5_k_m")])
def test_quantized_model_loads_and_generates(tmp_path: Path, f16: bool, quant: str) -> None:
    source = write_tiny_llama(tmp_path / "tiny.gguf", f16=f16)
    target = tmp_path / "tiny-q.gguf"
    done = quantize(str(source), str(target), "--type", quant, "--json")
    assert done.exit_code == 0, done.output
    card = json.loads(done.stdout)
    assert card["quantization"] == quant.upper()
    assert card["file_bytes"] < source.stat().st_size / 2
    assert card["licence"] == "apache-2.0"  # metadata is carried over
    assert tokens_generated(target) >= 6


def test_bad_requests_write_nothing(tmp_path: Path) -> None:
    """Each is an input error (exit 2 through `rag`), or a model error for a broken file."""
    source = write_tiny_llama(tmp_path / "tiny.gguf")
    unknown = quantize(str(source), str(tmp_path / "out.gguf"), "--type", "Q3_XYZ")
    assert isinstance(unknown.exception, InvalidInputError)
    assert "Q4_K_M, Q5_K_M, Q8_0" in str(unknown.exception)
    first = quantize(str(source), str(tmp_path / "q.gguf"), "--type", "Q8_0")
    assert first.exit_code == 0, first.output
    again = quantize(str(tmp_path / "q.gguf"), str(tmp_path / "qq.gguf"), "--type", "Q4_K_M")
    assert "already quantized" in str(again.exception)
    exists = quantize(str(source), str(tmp_path / "q.gguf"), "--type", "Q4_K_M")
    assert "already exists" in str(exists.exception)
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(source.read_bytes()[:5000])
    cut = quantize(str(broken), str(tmp_path / "b.gguf"), "--type", "Q8_0")
    assert isinstance(cut.exception, ModelError)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.gguf", "q.gguf", "tiny.gguf"]
