from pathlib import Path

import pytest

from rag.connectors import RawSource
from rag.connectors.files import scan_path
from rag.errors import SourceError
from rag.ingest.readers import decode_text, read_documents


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("naïve café".encode(), "naïve café"),
        ("naïve café".encode("utf-16"), "naïve café"),
        ("naïve café".encode("cp1252"), "naïve café"),
        (b"\xef\xbb\xbfbom", "bom"),
    ],
)
def test_common_encodings_decode(data: bytes, expected: str) -> None:
    assert decode_text(data) == expected


def test_binary_file_named_as_text_is_refused() -> None:
    source = RawSource("/x.md", "md", read=lambda: b"")
    with pytest.raises(SourceError, match="binary"):
        read_documents(source, b"\x89PNG\x00\x00\x01")


def test_empty_file_has_no_extractable_text() -> None:
    source = RawSource("/x.txt", "txt", read=lambda: b"")
    with pytest.raises(SourceError, match="no extractable text"):
        read_documents(source, b"  \n\n ")


def test_folder_scan_finds_supported_files_recursively(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.md").write_text("# A")
    (tmp_path / "sub" / "b.txt").write_text("B")
    (tmp_path / "drawing.svg").write_bytes(b"<svg/>")
    (tmp_path / ".hidden.md").write_text("secret")

    scan = scan_path(tmp_path, max_file_bytes=1000)

    assert sorted(Path(s.source_id).name for s in scan.sources) == ["a.md", "b.txt"]
    assert scan.scope == str(tmp_path.resolve()) + "/"
    assert scan.failures == []


def test_symlink_out_of_the_folder_is_not_followed_and_is_reported(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("private")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "link.md").symlink_to(outside)

    scan = scan_path(folder, max_file_bytes=1000)
    assert scan.sources == []
    assert [(f.source_id, f.error) for f in scan.failures] == [
        (str(folder.resolve() / "link.md"), "symlink points outside the folder: skipped")
    ]


def test_oversized_and_missing_files_are_failures(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("x" * 100)

    assert "over the 10-byte limit" in scan_path(big, max_file_bytes=10).failures[0].error
    assert scan_path(tmp_path / "nope.md", 10).failures[0].error == "no such file or folder"


def test_explicit_unsupported_file_is_a_failure(tmp_path: Path) -> None:
    file = tmp_path / "photo.heic"
    file.write_bytes(b"heic")
    assert "unsupported file type" in scan_path(file, 1000).failures[0].error


def test_include_and_exclude_patterns_are_relative_to_the_folder(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    for name in ("a.md", "b.pdf", "drafts/c.md", "notes.txt"):
        (tmp_path / name).write_text("x")

    scan = scan_path(tmp_path, 1000, include=["*.md", "*.txt"], exclude=["drafts/*"])

    assert sorted(Path(s.source_id).relative_to(tmp_path).as_posix() for s in scan.sources) == [
        "a.md",
        "notes.txt",
    ]
