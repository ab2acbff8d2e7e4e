"""Files sent over HTTP are kept under `$RAG_DATA_DIR/uploads/<collection>/` and indexed there.

The client's file name only labels the file: a name with folders, control characters or a
leading dot is refused, odd characters become `_`, and the final path is resolved and checked to
lie inside the upload folder before anything is written. A
file is written to a temporary name and renamed, so a failed upload leaves nothing behind.
Uploading a name again replaces that document (its chunks are synced, never duplicated).
"""

import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from rag.connectors.files import FILE_TYPES
from rag.datadir import check_collection_name
from rag.errors import InvalidInputError, TooLargeError, UnsupportedTypeError

_UNSAFE = re.compile(r"[^\w. -]+")
_FORBIDDEN = re.compile(r"[/\\\x00-\x1f\x7f]")
MAX_NAME_CHARS = 200
_COPY_BYTES = 1 << 20


class UploadArea:
    def __init__(
        self, root: Path, max_bytes: int, file_types: Mapping[str, str] = FILE_TYPES
    ) -> None:
        self.root = root
        self._max_bytes = max_bytes
        self._file_types = file_types  # extension → file type of the enabled readers

    def path_for(self, collection: str, filename: str | None) -> Path:
        """Where an upload of this name goes; refuses names that are not a supported file."""
        name = safe_filename(filename)
        suffix = Path(name).suffix.lower()
        if suffix not in self._file_types:
            supported = ", ".join(sorted(self._file_types))
            raise UnsupportedTypeError(
                f"{name!r} is not a supported file type; upload one of: {supported}"
            )
        folder = (self.root / check_collection_name(collection)).resolve()
        path = (folder / name).resolve()
        if path.parent != folder:
            raise InvalidInputError(f"invalid file name {filename!r}")
        return path

    def save(self, path: Path, data: BinaryIO) -> None:
        """Copy `data` to `path` (from `path_for`), all or nothing, within the size limit."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            size = 0
            with os.fdopen(fd, "wb") as out:
                while block := data.read(_COPY_BYTES):
                    size += len(block)
                    if size > self._max_bytes:
                        raise TooLargeError(
                            f"{path.name} is over the {self._max_bytes:,}-byte upload limit "
                            "(RAG_MAX_FILE_BYTES)"
                        )
                    out.write(block)
            if size == 0:
                raise InvalidInputError(f"{path.name} is empty")
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def discard(self, source_id: str) -> None:
        """Remove an uploaded file once its document is deleted; other sources are left alone."""
        path = Path(source_id)
        if path.is_absolute() and path.resolve().is_relative_to(self.root.resolve()):
            path.unlink(missing_ok=True)


def safe_filename(filename: str | None) -> str:
    """The name to store an upload under. A name that tries to be a path is refused outright."""
    # " .hidden" is stored stripped: a dotfile too.
    if not filename or _FORBIDDEN.search(filename) or filename.lstrip().startswith("."):
        raise InvalidInputError(
            f"invalid file name {filename!r}: send a plain file name, without folders, "
            "control characters or a leading dot"
        )
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", filename)).strip(" ")
    if not name.strip("._"):
        raise InvalidInputError(f"invalid file name {filename!r}")
    stem, suffix = os.path.splitext(name)
    return stem[: MAX_NAME_CHARS - len(suffix)] + suffix
