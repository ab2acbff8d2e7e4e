"""A cited place, drawn: which page of which document, the span `[start, end)` of its indexed
text (what citations index into), and the view of it in the document's own format.

The text comes from the index (`Catalog.document_text`), so a view marks exactly what was
cited even for a web page that is not kept or a file changed since. The original file is read,
at the exact path it was indexed from (`open_exact`), only for what the index lacks: a PDF
page's or an image's pixels and where each character stands. Views are cached by document
version, page and span.
"""

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from rag.errors import InvalidInputError, NotFoundError, SourceError
from rag.ingest.confine import open_exact
from rag.ingest.ocr import OcrConfig
from rag.view.cache import BoundedCache
from rag.view.html import Row, table_html, text_html
from rag.view.spans import CitedSpan, Match

if TYPE_CHECKING:
    from rag.catalog import Catalog
    from rag.ingest.ledger import SourceRecord
    from rag.store import VectorStore
    from rag.view.image import MarkedPage

IMAGE_TYPES = ("png", "jpeg", "tiff")
TABLE_TYPES = ("csv", "xlsx")
_PAGE_UNITS = {"pptx": "slide", "xlsx": "sheet"}
_SHEET = "Sheet: "  # an XLSX page's first line names its sheet (rag/ingest/readers.py)


@dataclass(frozen=True)
class ViewLimits:
    max_pixels: int = 2_500_000  # a PNG's width x height
    max_html_chars: int = 200_000  # of document text in an HTML view (escaped: a few MB at most)
    max_rows: int = 500  # table rows in an HTML view
    cache_entries: int = 256
    cache_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True)
class View:
    media_type: str  # image/png or text/html
    body: bytes
    match: Match  # how surely the marked place is the span's: exact, approximate or none

    @property
    def size(self) -> int:
        return len(self.body)


class SourceViewer:
    def __init__(
        self,
        catalog: "Catalog",
        store: "VectorStore",
        ocr: OcrConfig,
        max_file_bytes: int,
        limits: ViewLimits | None = None,
    ) -> None:
        self._catalog = catalog
        self._store = store
        self._ocr = ocr
        self._max_file_bytes = max_file_bytes
        self.limits = limits or ViewLimits()
        self.cache: BoundedCache[View] = BoundedCache(
            self.limits.cache_entries, self.limits.cache_bytes
        )

    def view(
        self,
        collection: str,
        document: str,
        page: int | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> View:
        """The view of `page` (its first page when None) of a document of `collection` (which
        the caller may read) with `[start, end)` marked; no span: the page unmarked."""
        if (start is None) != (end is None):
            raise InvalidInputError("give both start and end, or neither")
        start, end = start or 0, end or 0
        if end < start:
            raise InvalidInputError(f"end ({end}) is before start ({start})")
        record = self._catalog.document(collection, document)
        key = (collection, record.document_id, record.content_hash, page, start, end)
        if (cached := self.cache.get(key)) is not None:
            return cached
        number, text = self._page_text(collection, record, page)
        if start > len(text):
            raise InvalidInputError(
                f"start ({start}) is past the end of the page's text ({len(text)} characters)"
            )
        shown = self._draw(collection, record, number, CitedSpan(text, start, end))
        self.cache.put(key, shown)
        return shown

    def _page_text(
        self, collection: str, record: "SourceRecord", page: int | None
    ) -> tuple[int | None, str]:
        pages = self._catalog.document_text(collection, record.document_id)
        for entry in pages:
            # A format without pages (text, Markdown, DOCX) has one, numbered None.
            if page is None or entry["page"] in (page, None):
                return entry["page"], str(entry["text"])
        name = PurePosixPath(record.source_id).name
        raise NotFoundError(f"{name} has no {_unit(record.file_type)} {page} in the index")

    def _draw(
        self, collection: str, record: "SourceRecord", number: int | None, span: CitedSpan
    ) -> View:
        kind = record.file_type
        title = _title(record, number, span.page_text)
        if kind == "pdf" or kind in IMAGE_TYPES:
            data = self._original(record)
            if data is not None:
                marked = self._marked_page(data, kind, number or 1, span)
                if marked is not None:
                    return View("image/png", marked.png, marked.match)
            title += " · the original file is not available: its indexed text"
        elif kind in TABLE_TYPES:
            rows = self._rows(collection, record, number)
            if rows:
                page = table_html(title, rows, span.start, span.end, self.limits.max_rows)
                cited = any(row.start < span.end and span.start < row.end for row in rows)
                return _html(page, "exact" if cited else "none")
        page = text_html(title, span.page_text, span.start, span.end, self.limits.max_html_chars)
        return _html(page, "none" if span.empty else "exact")

    def _marked_page(
        self, data: bytes, kind: str, number: int, span: CitedSpan
    ) -> "MarkedPage | None":
        from rag.view.pdf import marked_pdf_page
        from rag.view.scan import image_page, marked_scan

        pixels = self.limits.max_pixels
        try:
            if kind == "pdf":
                return marked_pdf_page(data, number, span, self._ocr, pixels)
            image = image_page(data, kind, number, self._ocr)
            return marked_scan(image, number, span, self._ocr, pixels)
        except (LookupError, SourceError):
            return None  # the file changed since (fewer pages) or is no longer readable

    def _original(self, record: "SourceRecord") -> bytes | None:
        """The file as it is now at its indexed path, or None (a web page, gone, too large)."""
        if "://" in record.source_id:
            return None
        try:
            descriptor = open_exact(Path(record.source_id))
        except SourceError:
            return None
        with os.fdopen(descriptor, "rb") as file:
            data = file.read(self._max_file_bytes + 1)
        return data if len(data) <= self._max_file_bytes else None

    def _rows(self, collection: str, record: "SourceRecord", number: int | None) -> list[Row]:
        """The page's table rows, from the records its chunks carry (rows shared by two
        overlapping chunks once)."""
        rows: dict[int, Row] = {}
        for point in self._store.retrieve(collection, list(record.chunk_ids)):
            if point.payload.get("page") == number:
                for found in point.payload.get("records") or ():
                    rows.setdefault(int(found["start"]), Row.of(found))
        return [rows[start] for start in sorted(rows)]


def _unit(file_type: str) -> str:
    return _PAGE_UNITS.get(file_type, "page")


def _title(record: "SourceRecord", number: int | None, text: str) -> str:
    source = record.source_id
    name = source if "://" in source else PurePosixPath(source).name
    if not number:
        return name
    sheet = text.split("\n", 1)[0].removeprefix(_SHEET) if text.startswith(_SHEET) else ""
    return f"{name} · {_unit(record.file_type)} {number}" + (f" ({sheet})" if sheet else "")


def _html(page: str, match: Match) -> View:
    return View("text/html", page.encode(), match)


def view_url(collection: str, citation: dict[str, Any]) -> str:
    """The REST address of a citation's view (DESIGN.md, Source viewer), mark in sight."""
    from urllib.parse import urlencode

    query: dict[str, Any] = {"collection": collection}
    if citation.get("page"):
        query["page"] = citation["page"]
    query |= {"start": citation["start"], "end": citation["end"]}
    return f"/v1/documents/{citation['document_id']}/view?{urlencode(query)}#cited"
