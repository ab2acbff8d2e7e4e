"""SIGKILL an ingest at random moments, many times: the index converges to a clean run's."""

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ReliabilityLog
from tests.convergence import index_state, write_versioned_corpus

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


def test_killed_ingests_converge_to_a_clean_run(
    tmp_path: Path, reliability: ReliabilityLog
) -> None:
    folder = tmp_path / "docs"
    write_versioned_corpus(folder, version=1)
    killed_dir = tmp_path / "killed"
    assert _run(killed_dir, folder)  # the index starts from a complete older version

    write_versioned_corpus(folder, version=2)
    rng = random.Random(1234)
    completed = 0
    for _ in range(KILLS):
        completed += _run(killed_dir, folder, kill_after=rng.uniform(0.0, 1.5))
    assert _run(killed_dir, folder)

    clean_dir = tmp_path / "clean"
    assert _run(clean_dir, folder)
    killed_ids, killed_count, killed_versions = index_state(killed_dir)
    clean_ids, clean_count, clean_versions = index_state(clean_dir)

    assert killed_ids == clean_ids  # no lost or duplicate chunk
    assert killed_count == clean_count == len(clean_ids)  # no orphan in the store
    assert killed_versions == clean_versions  # one version per source, the current one
    assert completed < KILLS  # the kills really interrupted runs
    reliability.add(
        f"SIGKILL of a folder ingest ({KILLS} kills)",
        inputs=KILLS,
        crashes=0,
        kills_survived=KILLS,
        chunks_lost=0,
        duplicates=0,
        notes=f"{KILLS - completed} runs cut short; chunk ids equal a clean run's",
    )
