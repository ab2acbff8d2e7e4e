"""Which model serves: `rag models use`, its checks, and the precedence over settings."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.errors import ConfigError, InvalidInputError, ModelError, ModelNotFoundError
from rag.llm.local import bundled_model_path
from rag.models.choice import use_model
from rag.models.library import ModelLibrary, RegisteredModel, active_model, models_dir
from rag.settings import Settings
from tests.tiny_gguf import write_tiny_llama

GIB = 1 << 30
PLENTY = lambda: 64 * GIB  # noqa: E731
ESCAPE = "{{ lipsum.__globals__['os'].popen('id').read() }}"


def registry_bytes(settings: Settings) -> bytes | None:
    path = models_dir(settings) / "registry.json"
    return path.read_bytes() if path.exists() else None


def test_precedence_settings_then_choice_then_bundled(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert active_model(settings).origin == "bundled"
    assert active_model(settings).path == bundled_model_path()
    tiny = write_tiny_llama(tmp_path / "tiny.gguf")
    use_model(settings, str(tiny), accept_licence=False, memory_available=PLENTY)
    chosen = active_model(settings)
    assert (chosen.origin, chosen.path) == ("chosen", tiny.resolve())
    other = write_tiny_llama(tmp_path / "other.gguf")
    configured = Settings(data_dir=tmp_path / "data", llm_model_path=other)
    assert (active_model(configured).origin, active_model(configured).path) == ("settings", other)


def test_use_a_registered_name_and_back_to_bundled(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    tiny = write_tiny_llama(tmp_path / "tiny.gguf")
    ModelLibrary(models_dir(settings)).add(
        RegisteredModel("tiny", str(tiny), None, "test", "apache-2.0", "permissive")
    )
    use_model(settings, "tiny", accept_licence=False, memory_available=PLENTY)
    assert active_model(settings).name == "tiny"
    use_model(settings, "bundled", accept_licence=False, memory_available=PLENTY)
    assert active_model(settings).origin == "chosen"
    assert active_model(settings).path == bundled_model_path()


def test_a_conditional_licence_needs_acceptance(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    llama2 = write_tiny_llama(tmp_path / "l2.gguf", licence="llama2")
    with pytest.raises(InvalidInputError, match="--accept-licence"):
        use_model(settings, str(llama2), accept_licence=False, memory_available=PLENTY)
    assert registry_bytes(settings) is None
    choice = use_model(settings, str(llama2), accept_licence=True, memory_available=PLENTY)
    assert any("improve other LLMs" in w for w in choice.warnings)
    assert active_model(settings).path == llama2.resolve()


def test_an_unknown_licence_needs_acceptance_too(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    unnamed = write_tiny_llama(tmp_path / "u.gguf", licence=None)
    with pytest.raises(InvalidInputError, match="unknown"):
        use_model(settings, str(unnamed), accept_licence=False, memory_available=PLENTY)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda d: write_tiny_llama(d / "evil.gguf", chat_template=ESCAPE), ModelError),
        (lambda d: (d / "x.gguf").write_bytes(b"not a gguf") and d / "x.gguf", ModelError),
    ],
)  # fmt: skip
def test_refused_models_leave_the_choice_unchanged(tmp_path: Path, make, error) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    good = write_tiny_llama(tmp_path / "good.gguf")
    use_model(settings, str(good), accept_licence=False, memory_available=PLENTY)
    before = registry_bytes(settings)
    with pytest.raises(error):
        use_model(settings, str(make(tmp_path)), accept_licence=True, memory_available=PLENTY)
    assert registry_bytes(settings) == before
    assert active_model(settings).path == good.resolve()


def test_a_model_that_does_not_fit_in_memory_is_refused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", llm_n_ctx=8192)
    tiny = write_tiny_llama(tmp_path / "tiny.gguf")
    with pytest.raises(ConfigError, match="RAG_LLM_N_CTX"):
        use_model(settings, str(tiny), accept_licence=False, memory_available=lambda: 1 << 20)
    assert registry_bytes(settings) is None


def test_a_context_beyond_the_training_is_a_warning(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", llm_n_ctx=4096)
    tiny = write_tiny_llama(tmp_path / "tiny.gguf", context_length=2048)
    choice = use_model(settings, str(tiny), accept_licence=False, memory_available=PLENTY)
    assert any("RAG_LLM_N_CTX=2048" in w for w in choice.warnings)


def test_a_chosen_file_that_is_gone_is_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    tiny = write_tiny_llama(tmp_path / "tiny.gguf")
    use_model(settings, str(tiny), accept_licence=False, memory_available=PLENTY)
    tiny.unlink()
    with pytest.raises(ModelNotFoundError, match="rag models use"):
        active_model(settings)


def test_unknown_names_and_a_malformed_registry(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    with pytest.raises(Exception, match="known models: bundled"):
        use_model(settings, "nope", accept_licence=False, memory_available=PLENTY)
    models_dir(settings).mkdir(parents=True)
    (models_dir(settings) / "registry.json").write_text("[1, 2")
    with pytest.raises(ConfigError, match="fix or delete it"):
        active_model(settings)


def invoke(monkeypatch: pytest.MonkeyPatch, data: Path, *args: str):
    monkeypatch.setenv("RAG_DATA_DIR", str(data))
    return CliRunner().invoke(cli.cli, ["models", *args])


def test_cli_info_json_list_and_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny = write_tiny_llama(tmp_path / "tiny.gguf")
    data = tmp_path / "data"
    info = invoke(monkeypatch, data, "info", str(tiny), "--json")
    assert info.exit_code == 0, info.output
    assert json.loads(info.output)["quantization"] == "F16"
    used = invoke(monkeypatch, data, "use", str(tiny))
    assert used.exit_code == 0, used.output
    listed = invoke(monkeypatch, data, "list", "--json")
    body = json.loads(listed.output)
    assert body["active"] == "tiny"
    assert [(m["name"], m["active"]) for m in body["models"]] == [
        ("bundled", False),
        ("tiny", True),
    ]
    text = invoke(monkeypatch, data, "info")
    assert "memory" in text.output and "tiny" in text.output
