import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.datadir import DataDir, check_collection_name
from rag.errors import IndexLockedError, InvalidInputError


def test_second_owner_in_another_process_gets_a_clear_error(tmp_path: Path) -> None:
    owner = DataDir(tmp_path)
    owner.acquire()
    try:
        code = (
            "from pathlib import Path\nfrom rag.datadir import DataDir\n"
            f"DataDir(Path({str(tmp_path)!r})).acquire()"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode != 0
        assert "IndexLockedError" in result.stderr
        assert f"pid {os.getpid()}" in result.stderr
    finally:
        owner.release()


def test_lock_is_released_and_can_be_taken_again(tmp_path: Path) -> None:
    first = DataDir(tmp_path)
    first.acquire()
    first.release()
    second = DataDir(tmp_path)
    second.acquire()
    second.release()


def test_two_owners_in_one_process_conflict(tmp_path: Path) -> None:
    first = DataDir(tmp_path)
    first.acquire()
    try:
        with pytest.raises(IndexLockedError, match="in use by another process"):
            DataDir(tmp_path).acquire()
    finally:
        first.release()


@pytest.mark.parametrize("name", ["", "../etc", "a/b", ".hidden", "x" * 65, "spaces here"])
def test_unsafe_collection_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidInputError):
        check_collection_name(name)


def test_shard_path_stays_inside_the_data_dir(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path)
    assert data_dir.shard_path("docs_2026").is_relative_to(data_dir.root)
