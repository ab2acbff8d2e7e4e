"""Files and folders on the local disk. A folder is walked recursively and synced as a whole."""

import os
from collections.abc import Mapping, Sequence
from fnmatch import fnmatch
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rag.connectors import RawSource, Scan, SourceFailure
from rag.ingest.confine import read_confined

if TYPE_CHECKING:
    from rag.plugins import ConnectorContext

# File extension → file type of the built-in readers (rag.ingest.readers); readers from plugins
# add theirs.
FILE_TYPES: dict[str, str] = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pptx": "pptx",
    # images are read with OCR (rag.ingest.ocr)
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".tif": "tiff",
    ".tiff": "tiff",
}

# Why a file found in a folder is not read; a plugin's reader may have indexed it earlier.
_NO_READER = "no enabled reader handles {suffix} files (is its plugin in RAG_PLUGINS?)"


class FileConnector:
    """Paths to files and folders. Every file found is read later through `read_confined`: under
    the context's roots (the server's RAG_API_INGEST_ROOTS, the upload folder) or, for the
    CLI, under the file or folder named as it resolved when scanned, checked again when the file
    is opened. A folder swapped for a symlink between the scan and the read is refused."""

    schemes = ("file",)  # what a plain path is taken as; a file:// URI itself is refused

    def scan(self, uri: str, context: "ConnectorContext") -> Scan:
        if "://" in uri:
            refusal = "refused: the scheme 'file' is not taken; name the file's path"
            return Scan(failures=[SourceFailure(uri, refusal)])
        path = Path(uri)
        resolved = path.expanduser().resolve()
        roots = [resolved] if context.roots is None else list(context.roots)
        if not any(resolved.is_relative_to(root) for root in roots):
            return Scan(failures=[SourceFailure(str(path), "outside the allowed folders: refused")])
        return scan_path(
            resolved,
            context.max_bytes,
            context.include,
            context.exclude,
            context.file_types,
            roots=roots,
        )


def no_reader(path: Path, file_types: Mapping[str, str]) -> str | None:
    """Why no enabled reader reads `path` (its type's plugin is off), or None when one does."""
    suffix = path.suffix.lower()
    return None if suffix in file_types else _NO_READER.format(suffix=suffix or "extensionless")


def scan_path(
    path: Path,
    max_file_bytes: int,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    file_types: Mapping[str, str] = FILE_TYPES,
    roots: Sequence[Path] | None = None,
) -> Scan:
    """Find the sources under `path` (a file or a folder) of the given extensions.

    In a folder, `include` / `exclude` are shell patterns on the path relative to it
    (`*.pdf`, `drafts/*`): a file is taken when it matches some include (or none is given) and
    no exclude. Each source reads the very file listed (`read_confined`), under `roots` (by
    default the file or folder itself as resolved now).
    """
    resolved = path.expanduser().resolve()
    roots = [resolved] if roots is None else roots
    if resolved.is_dir():
        return _scan_folder(resolved, max_file_bytes, include, exclude, file_types, roots)
    if resolved.is_file():
        return _scan_files([resolved], max_file_bytes, file_types, roots)
    return Scan(failures=[SourceFailure(str(resolved), "no such file or folder")])


def _scan_folder(
    root: Path,
    max_file_bytes: int,
    include: Sequence[str],
    exclude: Sequence[str],
    file_types: Mapping[str, str],
    roots: Sequence[Path],
) -> Scan:
    files: list[Path] = []
    outside: list[SourceFailure] = []
    unread: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            candidate = Path(dirpath) / name
            relative = candidate.relative_to(root).as_posix()
            if include and not any(fnmatch(relative, p) for p in include):
                continue
            if any(fnmatch(relative, p) for p in exclude):
                continue
            if reason := no_reader(candidate, file_types):  # still there: its index is kept
                unread[str(candidate)] = reason
                continue
            # A symlink may point anywhere; only what really lies under the folder is its content.
            if candidate.resolve().is_relative_to(root):
                files.append(candidate)
            else:
                outside.append(
                    SourceFailure(str(candidate), "symlink points outside the folder: skipped")
                )
    scan = _scan_files(files, max_file_bytes, file_types, roots)
    scan.failures.extend(outside)
    scan.scope = str(root) + os.sep
    scan.unread = unread
    return scan


def _scan_files(
    files: list[Path], max_file_bytes: int, file_types: Mapping[str, str], roots: Sequence[Path]
) -> Scan:
    scan = Scan()
    for file in files:
        source_id = str(file)
        file_type = file_types.get(file.suffix.lower())
        if file_type is None:
            supported = ", ".join(sorted(file_types))
            scan.failures.append(
                SourceFailure(source_id, f"unsupported file type (supported: {supported})")
            )
            continue
        stat = file.stat()
        size = stat.st_size
        if size > max_file_bytes:
            scan.failures.append(
                SourceFailure(
                    source_id, f"file is {size} bytes, over the {max_file_bytes}-byte limit"
                )
            )
            continue
        listed = (stat.st_dev, stat.st_ino)
        read = partial(read_confined, file, roots, max_file_bytes, listed)
        scan.sources.append(RawSource(source_id, file_type, read=read, modified=stat.st_mtime))
    return scan
