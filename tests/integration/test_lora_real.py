"""LoRA adapters over the bundled GGUF with llama.cpp: switched per request without reloading
the base model, the cached prompt prefix dropped on a switch, the base restored exactly."""

from pathlib import Path

import pytest

from rag.errors import ModelNotFoundError
from rag.llm.local import LlamaCppChatModel, bundled_model_path
from tests.lora_adapter import write_lora

pytestmark = pytest.mark.integration
MESSAGES = [{"role": "user", "content": "Name three colours."}]


def test_adapters_switch_per_request_and_the_base_comes_back(tmp_path: Path) -> None:
    adapters = {
        "noop": write_lora(tmp_path / "noop.gguf", scale=0.0),
        "noisy": write_lora(tmp_path / "noisy.gguf", scale=1.0),
    }
    model = LlamaCppChatModel(
        bundled_model_path(), n_ctx=2048, n_threads=None, n_batch=256, gpu_layers=0,
        temperature=0.0, repeat_penalty=1.15, seed=0, adapters=adapters,
    )  # fmt: skip

    def answer(adapter: str | None) -> str:
        return "".join(model.stream(MESSAGES, 16, [], adapter))

    base = answer(None)
    llama = model._llama
    assert answer("noop") == base  # a zero delta changes nothing
    noisy = answer("noisy")
    assert noisy != base
    # Back to the base: the adapter is cleared and the prefix cached under it is not reused.
    assert answer(None) == base
    assert model._llama is llama  # never reloaded


def test_a_file_that_is_not_a_lora_for_this_model_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"GGUF not really")
    model = LlamaCppChatModel(
        bundled_model_path(), n_ctx=512, n_threads=None, n_batch=64, gpu_layers=0,
        temperature=0.0, repeat_penalty=1.0, seed=0, adapters={"bogus": bogus},
    )  # fmt: skip
    with pytest.raises(ModelNotFoundError, match="LoRA adapter 'bogus'"):
        model.count_tokens(MESSAGES)
