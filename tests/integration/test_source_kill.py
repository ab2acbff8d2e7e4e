"""SIGKILL a server's scheduled source sync at random moments: after a restart the source is
due again (catch-up), and its index converges to a clean run's, nothing lost or duplicated."""

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
KILLS = 10
HOUR = 3600


def _run(data_dir: Path, folder: Path, offset: float, kill_after: float | None = None) -> str:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.source_sync_child",
            str(data_dir),
            str(folder),
            str(offset),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "READY"
    if kill_after is not None:
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
    child.wait(timeout=300)
    return child.stdout.read().strip() if child.returncode == 0 else "KILLED"


def test_killed_scheduled_syncs_catch_up_and_converge(
    tmp_path: Path, reliability: ReliabilityLog
) -> None:
    folder = tmp_path / "docs"
    write_versioned_corpus(folder, version=1)
    killed_dir = tmp_path / "killed"
    assert _run(killed_dir, folder, 0) == "SYNCED"
    assert _run(killed_dir, folder, 0) == "IDLE"  # not due again for a minute

    write_versioned_corpus(folder, version=2)
    rng = random.Random(37)
    outcomes = [
        _run(killed_dir, folder, HOUR * (k + 1), kill_after=rng.uniform(0.3, 2.0))
        for k in range(KILLS)
    ]
    # A restart after the last kill: the source is overdue, so the first pass syncs it.
    assert _run(killed_dir, folder, HOUR * (KILLS + 1)) == "SYNCED"

    clean_dir = tmp_path / "clean"
    assert _run(clean_dir, folder, 0) == "SYNCED"
    killed_ids, killed_count, killed_versions = index_state(killed_dir)
    clean_ids, clean_count, clean_versions = index_state(clean_dir)
    assert killed_ids == clean_ids  # no lost or duplicate chunk
    assert killed_count == clean_count == len(clean_ids)  # no orphan in the store
    assert killed_versions == clean_versions
    assert outcomes.count("KILLED") > KILLS // 2  # the kills really cut syncs short
    reliability.add(
        f"SIGKILL of a scheduled source sync ({KILLS} kills)",
        inputs=KILLS,
        crashes=0,
        kills_survived=KILLS,
        chunks_lost=0,
        duplicates=0,
        notes="each restart found the source due and synced it; chunk ids equal a clean run's",
    )
