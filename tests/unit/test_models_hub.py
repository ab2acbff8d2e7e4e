"""`rag models pull` argument checks that need no hub."""

from pathlib import Path

import pytest

from rag.errors import InvalidInputError, ModelError
from rag.models.hub import parse_target, pull
from rag.settings import Settings


def test_repo_file_and_repo_quant() -> None:
    assert parse_target("acme/tiny", "a.gguf") == ("acme/tiny", "a.gguf", None)
    assert parse_target("acme/tiny:q4_k_m", None) == ("acme/tiny", None, "Q4_K_M")


@pytest.mark.parametrize(
    ("repo", "filename"),
    [("acme", "a.gguf"), ("../etc/x", "a.gguf"), ("acme/tiny:Q8_0", "a.gguf"), ("acme/tiny", None)],
)
def test_bad_targets_are_input_errors(repo: str, filename: str | None) -> None:
    with pytest.raises(InvalidInputError):
        parse_target(repo, filename)


def test_the_offline_flag_stops_a_pull_before_any_request(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", hub_offline=True)
    with pytest.raises(ModelError, match="HF_HUB_OFFLINE"):
        pull(settings, "acme/tiny", "a.gguf")
    assert not (tmp_path / "data").exists()


def test_huggingface_hub_variables_are_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = Settings()
    assert (settings.hub_endpoint, settings.hub_offline) == ("http://127.0.0.1:9", True)


@pytest.mark.parametrize(("value", "expected"), [("", False), ("0", False), ("yes", True)])
def test_the_offline_flag_reads_as_huggingface_hub_reads_it(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", value)
    assert Settings().hub_offline is expected
