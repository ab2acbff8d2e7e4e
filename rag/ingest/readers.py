"""Readers: a raw source's bytes → the extracted text of each page, as llama-index Documents.

The extracted text is the reference for citations: a citation's `start`/`end` index into it.
Unpaged formats are one Document with page None.
"""

import codecs
from collections.abc import Callable

from llama_index.core.schema import Document

from rag.connectors import RawSource
from rag.errors import SourceError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> str:
    """Decode text in any common encoding: BOM-marked Unicode, UTF-8, else Windows-1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    if b"\x00" in data:
        raise SourceError("file looks binary (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_text(data: bytes) -> list[tuple[str, int | None]]:
    return [(decode_text(data).replace("\r\n", "\n"), None)]


_READERS: dict[str, Callable[[bytes], list[tuple[str, int | None]]]] = {
    "md": _read_text,
    "txt": _read_text,
}


def read_documents(source: RawSource, data: bytes) -> list[Document]:
    """Extract `source`'s pages; raise SourceError when nothing readable is in it."""
    reader = _READERS.get(source.file_type)
    if reader is None:
        raise SourceError(f"no reader for file type {source.file_type!r}")
    pages = [(text, page) for text, page in reader(data) if text.strip()]
    if not pages:
        raise SourceError("no extractable text")
    return [
        Document(
            text=text,
            metadata={"source": source.source_id, "file_type": source.file_type, "page": page},
        )
        for text, page in pages
    ]
