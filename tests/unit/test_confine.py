"""rag.ingest.confine: a file is opened at exactly its path, no symlink followed, inside roots."""

import os
import tracemalloc
from pathlib import Path

import pytest

from rag.errors import SourceError
from rag.ingest.confine import open_exact, read_confined


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "sub" / "a.txt").write_text("inside")
    (tmp_path / "secret.txt").write_text("outside")
    return tmp_path


def test_a_plain_file_opens_and_reads(folder: Path) -> None:
    os.close(open_exact(folder / "docs" / "sub" / "a.txt"))
    assert read_confined(folder / "docs/sub/a.txt", [folder / "docs"], 100) == b"inside"


@pytest.mark.parametrize("path", ["docs/sub/../sub/a.txt", "docs/sub"])
def test_unnormalised_paths_and_folders_are_refused(folder: Path, path: str) -> None:
    with pytest.raises(SourceError):
        os.close(open_exact(Path(f"{folder}/{path}")))


def test_a_symlink_anywhere_along_the_path_is_refused(folder: Path) -> None:
    (folder / "link.txt").symlink_to(folder / "secret.txt")
    (folder / "docs" / "linked").symlink_to(folder / "docs" / "sub")
    for path in (folder / "link.txt", folder / "docs" / "linked" / "a.txt"):
        with pytest.raises(SourceError, match="symlink"):
            open_exact(path)


def test_a_fifo_does_not_hang_and_is_refused(folder: Path) -> None:
    os.mkfifo(folder / "docs" / "pipe.txt")
    with pytest.raises(SourceError, match="regular file"):
        open_exact(folder / "docs" / "pipe.txt")


def test_read_confined_follows_links_only_into_the_roots_and_bounds_size(folder: Path) -> None:
    (folder / "docs" / "in.txt").symlink_to(folder / "docs" / "sub" / "a.txt")
    (folder / "docs" / "out.txt").symlink_to(folder / "secret.txt")
    assert read_confined(folder / "docs" / "in.txt", [folder / "docs"], 100) == b"inside"
    with pytest.raises(SourceError, match="outside"):
        read_confined(folder / "docs" / "out.txt", [folder / "docs"], 100)
    with pytest.raises(SourceError, match="limit"):
        read_confined(folder / "docs" / "sub" / "a.txt", [folder / "docs"], 3)


def test_each_refusal_names_the_path_and_why(folder: Path) -> None:
    # Exact messages: the test's own folder name can hold any word ("symlink", "outside").
    (folder / "link.txt").symlink_to(folder / "secret.txt")
    refusals = {
        Path("docs/a.txt"): "docs/a.txt is not an absolute, normalised path",
        folder / "link.txt": f"a symlink stands in {folder}/link.txt now (it was not one when "
        "checked): refused",
        folder / "docs/sub/a.txt/b.txt": f"a symlink stands in {folder}/docs/sub/a.txt/b.txt now "
        "(it was not one when checked): refused",  # a file where a folder was
        folder / "gone.txt": f"{folder}/gone.txt no longer exists",
    }
    for path, message in refusals.items():
        with pytest.raises(SourceError) as refused:
            open_exact(path)
        assert str(refused.value) == message


def test_a_file_of_exactly_the_limit_is_read_whole(folder: Path) -> None:
    path = folder / "docs" / "sub" / "a.txt"  # 6 bytes
    assert read_confined(path, [folder / "docs"], 6) == b"inside"
    with pytest.raises(SourceError) as refused:
        read_confined(path, [folder / "docs"], 5)
    assert str(refused.value) == "file is over the 5-byte limit"


def test_a_file_over_the_limit_by_its_size_is_refused_unread(folder: Path) -> None:
    # A 55 MB file under a 50 MiB limit was read to 50 MiB before it was refused (issue 39's
    # load with the hostile corpus).
    path = folder / "docs" / "big.txt"
    path.write_bytes(b"a" * (8 << 20))
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="over the 4194304-byte limit"):
            read_confined(path, [folder / "docs"], 4 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
