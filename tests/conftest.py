import shutil
from pathlib import Path

import pytest

from rag.app import RagApp
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel

SAMPLE_DOCS = Path(__file__).resolve().parent.parent / "sample_docs"
N_SAMPLE_DOCS = sum(1 for p in SAMPLE_DOCS.iterdir() if not p.name.startswith("."))


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own RAG_* settings."""
    import os

    for key in list(os.environ):
        if key.startswith("RAG_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # The hash embedder's similarities run lower than MiniLM's, hence its own abstain threshold.
    return Settings(
        data_dir=tmp_path / "data", chunk_size=64, chunk_overlap=8, abstain_min_similarity=0.05
    )


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A writable copy of sample_docs."""
    target = tmp_path / "docs"
    shutil.copytree(SAMPLE_DOCS, target)
    return target


@pytest.fixture
def model() -> ScriptedModel:
    return ScriptedModel()


@pytest.fixture
def rag_app(settings: Settings, model: ScriptedModel):
    app = RagApp(settings, embedder=HashEmbedder(), model=model)
    yield app
    app.close()


@pytest.fixture
def cli_on_fakes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, model: ScriptedModel) -> Path:
    """The CLI wired to the fake embedder and scripted model, on a fresh data directory."""
    from rag import cli

    data_dir = tmp_path / "data"
    monkeypatch.setenv("RAG_DATA_DIR", str(data_dir))
    monkeypatch.setattr(cli, "_open", lambda s: RagApp(s, embedder=HashEmbedder(), model=model))
    return data_dir
