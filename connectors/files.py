"""Files and folders on the local disk. A folder is walked recursively and synced as a whole."""

import os
from collections.abc import Sequence
from fnmatch import fnmatch
from pathlib import Path

from rag.connectors import RawSource, Scan, SourceFailure

# File extension → file type understood by rag.ingest.readers.
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


def scan_path(
    path: Path,
    max_file_bytes: int,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Scan:
    """Find the sources under `path` (a file or a folder).

    In a folder, `include` / `exclude` are shell patterns on the path relative to it
    (`*.pdf`, `drafts/*`): a file is taken when it matches some include (or none is given) and
    no exclude.
    """
    resolved = path.expanduser().resolve()
    if resolved.is_dir():
        return _scan_folder(resolved, max_file_bytes, include, exclude)
    if resolved.is_file():
        return _scan_files([resolved], max_file_bytes)
    return Scan(failures=[SourceFailure(str(resolved), "no such file or folder")])


def _scan_folder(
    root: Path, max_file_bytes: int, include: Sequence[str], exclude: Sequence[str]
) -> Scan:
    files: list[Path] = []
    outside: list[SourceFailure] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or Path(name).suffix.lower() not in FILE_TYPES:
                continue
            candidate = Path(dirpath) / name
            relative = candidate.relative_to(root).as_posix()
            if include and not any(fnmatch(relative, p) for p in include):
                continue
            if any(fnmatch(relative, p) for p in exclude):
                continue
            # A symlink may point anywhere; only what really lies under the folder is its content.
            if candidate.resolve().is_relative_to(root):
                files.append(candidate)
            else:
                outside.append(
                    SourceFailure(str(candidate), "symlink points outside the folder: skipped")
                )
    scan = _scan_files(files, max_file_bytes)
    scan.failures.extend(outside)
    scan.scope = str(root) + os.sep
    return scan


def _scan_files(files: list[Path], max_file_bytes: int) -> Scan:
    scan = Scan()
    for file in files:
        source_id = str(file)
        file_type = FILE_TYPES.get(file.suffix.lower())
        if file_type is None:
            supported = ", ".join(sorted(FILE_TYPES))
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
        scan.sources.append(
            RawSource(source_id, file_type, read=file.read_bytes, modified=stat.st_mtime)
        )
    return scan
