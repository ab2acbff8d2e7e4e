from pathlib import Path

import pytest

from rag.errors import ConfigError
from rag.settings import load_settings


def test_env_overrides_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "rag.toml"
    config.write_text('top_k = 7\nretrieval_mode = "bm25"\n')
    monkeypatch.setenv("RAG_CONFIG", str(config))
    monkeypatch.setenv("RAG_TOP_K", "9")
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "d"))

    settings = load_settings()

    assert settings.top_k == 9
    assert settings.retrieval_mode == "bm25"
    assert settings.data_dir == tmp_path / "d"


def test_missing_config_file_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAG_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="missing.toml"):
        load_settings()


def test_invalid_values_name_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_TOP_K", "many")
    with pytest.raises(ConfigError, match="top_k"):
        load_settings()


def test_overlap_must_be_below_chunk_size() -> None:
    with pytest.raises(ConfigError, match="chunk_overlap"):
        load_settings(chunk_size=64, chunk_overlap=64)


def test_unknown_setting_in_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "rag.toml"
    config.write_text("top_kk = 3\n")
    monkeypatch.setenv("RAG_CONFIG", str(config))
    with pytest.raises(ConfigError, match="top_kk"):
        load_settings()
