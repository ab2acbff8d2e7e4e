import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel, SlowModel
from tests.live import free_port, serving

SAMPLE_DOCS = Path(__file__).resolve().parent.parent / "sample_docs"
N_SAMPLE_DOCS = sum(1 for p in SAMPLE_DOCS.iterdir() if not p.name.startswith("."))


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own RAG_* settings."""
    for key in list(os.environ):
        if key.startswith("RAG_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # With the hash embedder the support signal is focus coverage, not the verifier's score
    # the default threshold is calibrated for; these tests were written at 0.3 for it.
    return Settings(
        data_dir=tmp_path / "data", chunk_size=64, chunk_overlap=8, abstain_min_support=0.3
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
def slow() -> SlowModel:
    return SlowModel()


@pytest.fixture
def slow_app(settings: Settings, slow: SlowModel, docs: Path) -> Iterator[tuple[RagApp, str]]:
    core = RagApp(settings, embedder=HashEmbedder(), model=slow)
    core.indexer.sync([scan_path(docs, settings.max_file_bytes)], "default")
    try:
        with serving(create_app(settings, core), free_port()) as url:
            yield core, url
    finally:
        core.close()


@pytest.fixture
def cli_on_fakes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, model: ScriptedModel) -> Path:
    """The CLI wired to the fake embedder and scripted model, on a fresh data directory."""
    from rag.cli import common

    data_dir = tmp_path / "data"
    monkeypatch.setenv("RAG_DATA_DIR", str(data_dir))
    monkeypatch.setattr(
        common, "open_app", lambda s: RagApp(s, embedder=HashEmbedder(), model=model)
    )
    return data_dir


class ReliabilityLog:
    """Rows of the reliability table in docs/BENCHMARKS.md; a test adds to its row once its
    assertions passed. Numbers add up across tests and parameters; text replaces."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, object]] = {}

    def add(self, row: str, **values: object) -> None:
        cells = self.rows.setdefault(row, {})
        for key, value in values.items():
            before = cells.get(key, 0)
            numeric = isinstance(value, int) and isinstance(before, int)
            cells[key] = before + value if numeric else value


@pytest.fixture(scope="session")
def reliability() -> Iterator[ReliabilityLog]:
    """Written to $RELIABILITY_REPORT (JSON) at the end, for bench/reliability.py."""
    log = ReliabilityLog()
    yield log
    target = os.environ.get("RELIABILITY_REPORT")
    if target and log.rows:
        Path(target).write_text(json.dumps(log.rows, indent=1))
