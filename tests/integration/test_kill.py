"""SIGKILL an ingest at random moments, many times: the index converges to a clean run's."""

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.app import RagApp
from rag.settings import Settings
from tests.conftest import SAMPLE_DOCS
from tests.fakes import HashEmbedder

pytestmark = pytest.mark.integration
KILLS = 20


def _run(data_dir: Path, folder: Path, kill_after: float | None = None) -> bool:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.ingest_child", str(data_dir), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "READY"
    if kill_after is None:
        return child.wait(timeout=300) == 0
    time.sleep(kill_after)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    return child.returncode == 0


def _state(data_dir: Path) -> tuple[set[str], int, set[tuple[str, str]]]:
    """(chunk ids in the ledger, points in the store, (source, hash) of stored points)."""
    settings = Settings(data_dir=data_dir, chunk_size=48, chunk_overlap=8)
    with RagApp(settings, embedder=HashEmbedder()) as app:
        ids = {cid for r in app.ledger.sources("default") for cid in r.chunk_ids}
        stored = app.store.retrieve("default", sorted(ids))
        versions = {(p.payload["source"], p.payload["content_hash"]) for p in stored}
        assert len(stored) == len(ids), "the ledger names chunks the store lost"
        return ids, app.store.count("default"), versions


def _corpus(folder: Path, version: int) -> None:
    """Sample docs plus generated files; `version` changes half of the generated ones."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SAMPLE_DOCS, folder)
    for n in range(30):
        edition = version if n % 2 else 0
        lines = [
            f"Record {n} edition {edition} line {i} about topic {n * i % 7}." for i in range(40)
        ]
        (folder / f"generated-{n:02d}.txt").write_text("\n".join(lines))


def test_killed_ingests_converge_to_a_clean_run(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    _corpus(folder, version=1)
    killed_dir = tmp_path / "killed"
    assert _run(killed_dir, folder)  # the index starts from a complete older version

    _corpus(folder, version=2)
    rng = random.Random(1234)
    completed = 0
    for _ in range(KILLS):
        completed += _run(killed_dir, folder, kill_after=rng.uniform(0.0, 1.5))
    assert _run(killed_dir, folder)

    clean_dir = tmp_path / "clean"
    assert _run(clean_dir, folder)
    killed_ids, killed_count, killed_versions = _state(killed_dir)
    clean_ids, clean_count, clean_versions = _state(clean_dir)

    assert killed_ids == clean_ids  # no lost or duplicate chunk
    assert killed_count == clean_count == len(clean_ids)  # no orphan in the store
    assert killed_versions == clean_versions  # one version per source, the current one
    assert completed < KILLS  # the kills really interrupted runs
