"""Readers: a raw source's bytes → the extracted text of each page, as llama-index Documents.

The extracted text is the reference for citations: a citation's `start`/`end` index into it.
Paged formats (PDF pages, PPTX slides, XLSX sheets, images: a TIFF may hold several pages) give
one Document per page, numbered from 1; the others give one Document with page None. Parsers
are well-kept libraries (pypdf, pdfplumber, python-docx, openpyxl, python-pptx, trafilatura;
Tesseract for scans and images, rag.ingest.ocr); each is imported only when its format shows
up. Table rows (CSV, XLSX, DOCX, PPTX and PDF tables) become "column: value; ..." lines whose
cells the page remembers; Markdown and HTML tables stay pipe tables in the text. Every table also
travels whole with its page (pages.PageTable) to the table engine (rag/tables): a CSV is parsed
once into Arrow, an XLSX sheet gives its formulas' cached values (never evaluated), merged cells
repeat their value, and the header row is found below any title rows.
"""

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial
from typing import TYPE_CHECKING

from rag.connectors import RawSource
from rag.connectors.files import FILE_TYPES
from rag.errors import RagError, SourceError
from rag.ingest.arrow_rows import ArrowRows
from rag.ingest.grids import header_index, pipe_tables
from rag.ingest.ocr import OcrConfig, read_image
from rag.ingest.pages import Page, PageWriter
from rag.ingest.pdf import read_pdf
from rag.plugins.kinds import ReaderContext, ReaderPlugin

if TYPE_CHECKING:
    from llama_index.core.schema import Document

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Office files are zip archives: refuse bombs before any parser inflates them.
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_ZIP_RATIO = 200
# python-docx holds ~40 bytes of objects per byte of XML and parses ~0.5 MB a second: a DOCX's
# XML past this is refused rather than read (issue 39: 30 MB took 62 s and 1.29 GB).
MAX_DOCX_XML_BYTES = 8 * 1024 * 1024
# Below this size a workbook is read whole, which tells its merged cells; above it, streamed.
_XLSX_MERGES_BYTES = 16 * 1024 * 1024


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


def _text(data: bytes) -> list[Page]:
    return [Page(decode_text(data).replace("\r\n", "\n"))]


def _markdown(data: bytes) -> list[Page]:
    return [_with_pipe_tables(decode_text(data).replace("\r\n", "\n"))]


def _with_pipe_tables(text: str) -> Page:
    return Page(text, tables=tuple(table.page_table() for table in pipe_tables(text)))


def _html(data: bytes) -> list[Page]:
    import trafilatura

    markup = decode_text(data)
    text = trafilatura.extract(
        markup, include_comments=False, include_tables=True, favor_recall=True
    )
    return [_with_pipe_tables(text) if text else Page(_visible_text(markup))]


def _visible_text(markup: str) -> str:
    """Every visible string, for pages where trafilatura finds no main text: lxml gives up on
    very deep nesting (thousands of levels), Python's own HTML parser does not."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "header", "footer"]):
        tag.decompose()
    return soup.get_text("\n", strip=True)


def _csv(data: bytes) -> list[Page]:
    """Each row becomes one line of `header: value` pairs, so a chunk keeps its column names.

    The rows are parsed once, into Arrow (ArrowRows): a million-row file is held as about its
    own size of cells, not a million lists, and counted, sampled and registered from there."""
    text = decode_text(data)
    head = list(itertools.islice(csv.reader(io.StringIO(text)), 10))
    if not head:
        return []
    at = header_index(head)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number > at + 1 and "".join(row).strip():
                yield number, row

    writer = PageWriter()
    for title in head[:at]:
        if any(cell.strip() for cell in title):
            writer.line(" ".join(cell.strip() for cell in title if cell.strip()))
    writer.streamed_table(head[at], ArrowRows(rows()), header_row=at + 1)
    return [writer.page()]


def _grid_table(
    writer: PageWriter,
    grid: list[tuple[int, list[str]]],
    sheet: str | None = None,
) -> None:
    """A grid of (row number, cells) rows: title rows above the header as lines, then the
    table."""
    if not grid:
        return
    at = header_index([cells for _, cells in grid])
    for _, title in grid[:at]:
        if any(title):
            writer.line(" ".join(cell for cell in title if cell))
    header_row, header = grid[at]
    body = [(n, cells) for n, cells in grid[at + 1 :] if any(cells)]
    writer.table(
        header,
        [cells for _, cells in body],
        sheet=sheet,
        header_row=header_row,
        row_numbers=[n for n, _ in body],
    )


def _docx(data: bytes) -> list[Page]:
    from docx import Document as DocxDocument

    _check_zip(data, max_xml_bytes=MAX_DOCX_XML_BYTES)
    doc = DocxDocument(io.BytesIO(data))
    writer = PageWriter()
    number = 0
    for paragraph in doc.paragraphs:
        if not paragraph.text.strip():
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        number = number + 1 if style.startswith("List Number") else 0
        # Word keeps a list's bullets and numbers in the style, not the text: written out, a
        # list reads as one (rag/answer/context.py gathers its items for a list question).
        marker = f"{number}. " if number else "- " if style.startswith("List") else ""
        writer.line(marker + paragraph.text)
    for table in doc.tables:
        # A merged cell is listed once per grid column it spans: its value repeats.
        rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        _grid_table(writer, list(enumerate(rows, start=1)))
    return [writer.page()]


def _xlsx(data: bytes) -> list[Page]:
    from openpyxl import load_workbook

    _check_zip(data)
    whole = len(data) <= _XLSX_MERGES_BYTES
    # data_only: a formula cell gives the value Excel cached when it saved, never evaluated.
    book = load_workbook(io.BytesIO(data), read_only=not whole, data_only=True)
    pages = []
    for number, sheet in enumerate(book.worksheets, start=1):
        merged = _merged_cells(sheet) if whole else {}
        grid = []
        for row_number, row in enumerate(sheet.iter_rows(min_row=1), start=1):
            cells = [
                merged.get((row_number, column), _cell_text(cell))
                for column, cell in enumerate(row, start=1)
            ]
            if any(cells):
                grid.append((row_number, cells))
        if grid:
            writer = PageWriter()
            writer.line(f"Sheet: {sheet.title}")
            _grid_table(writer, grid, sheet=sheet.title)
            pages.append(writer.page(number))
    book.close()
    return pages


def _merged_cells(sheet) -> dict[tuple[int, int], str]:
    """Every cell of a merged range, keyed (row, column), holds the range's top-left value."""
    filled = {}
    for cells in sheet.merged_cells.ranges:
        value = _cell_text(sheet.cell(cells.min_row, cells.min_col))
        for row in range(cells.min_row, cells.max_row + 1):
            for column in range(cells.min_col, cells.max_col + 1):
                filled[(row, column)] = value
    return filled


def _cell_text(cell) -> str:
    """A cell as the sheet shows it: dates in ISO form, percentages and currency symbols kept
    from the number format (the stored value of "12.5%" is 0.125)."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value).strip()
    text = str(value) if isinstance(value, int) else f"{value:.15g}"
    number_format = getattr(cell, "number_format", "") or ""
    if "%" in number_format:
        return f"{value * 100:.15g}%"
    symbol = next((s for s in "€$£¥" if s in number_format), None)
    return f"{symbol}{text}" if symbol else text


def _pptx(data: bytes) -> list[Page]:
    from pptx import Presentation

    _check_zip(data)
    deck = Presentation(io.BytesIO(data))
    pages = []
    for number, slide in enumerate(deck.slides, start=1):
        writer = PageWriter()
        for shape in slide.shapes:
            if getattr(shape, "has_table", False):
                rows = [[cell.text.strip() for cell in row.cells] for row in shape.table.rows]
                _grid_table(writer, list(enumerate(rows, start=1)))
                continue
            if not shape.has_text_frame:
                continue
            paragraphs = [p.text for p in shape.text_frame.paragraphs if p.text.strip()]
            # A box of several lines is a slide's bullets (written without markers, as Word
            # keeps them): marked, they read as one list (rag/answer/context.py).
            bullets = len(paragraphs) > 1 and shape != slide.shapes.title
            for text in paragraphs:
                writer.line(f"- {text}" if bullets else text)
        pages.append(writer.page(number))
    return pages


def _check_zip(data: bytes, max_xml_bytes: int | None = None) -> None:
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise SourceError("file is not a valid Office document (bad zip archive)") from None
    unzipped = sum(info.file_size for info in infos)
    if unzipped > MAX_UNZIPPED_BYTES or unzipped > MAX_ZIP_RATIO * max(len(data), 1):
        raise SourceError(
            f"archive would expand to {unzipped} bytes from {len(data)}: refused as a zip bomb"
        )
    xml = sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels")))
    if max_xml_bytes is not None and xml > max_xml_bytes:
        raise SourceError(
            f"document holds {xml} bytes of XML, over the {max_xml_bytes}-byte limit: "
            "refused (split the document)"
        )


@dataclass(frozen=True)
class FormatReader:
    """A built-in reader, registered like any reader plugin under the `rag.readers` entry
    points (pyproject.toml); its extensions are its file type's in FILE_TYPES."""

    file_type: str
    parse: Callable[..., list[Page]]  # (data) or, with `ocr`, (data, OcrConfig)
    ocr: bool = False

    @property
    def extensions(self) -> tuple[str, ...]:
        return tuple(ext for ext, kind in FILE_TYPES.items() if kind == self.file_type)

    def read(self, data: bytes, context: ReaderContext) -> list[Page]:
        if self.ocr:
            return self.parse(data, context.ocr or OcrConfig())
        return self.parse(data)


MARKDOWN = FormatReader("md", _markdown)
TEXT = FormatReader("txt", _text)
HTML = FormatReader("html", _html)
CSV = FormatReader("csv", _csv)
DOCX = FormatReader("docx", _docx)
XLSX = FormatReader("xlsx", _xlsx)
PPTX = FormatReader("pptx", _pptx)
PDF = FormatReader("pdf", read_pdf, ocr=True)
PNG = FormatReader("png", partial(read_image, "png"), ocr=True)
JPEG = FormatReader("jpeg", partial(read_image, "jpeg"), ocr=True)
TIFF = FormatReader("tiff", partial(read_image, "tiff"), ocr=True)


def read_documents(
    source: RawSource,
    data: bytes,
    ocr: OcrConfig | None = None,
    readers: Mapping[str, ReaderPlugin] | None = None,
) -> list["Document"]:
    """Extract `source`'s pages with the reader of its file type; raise SourceError (a
    plugin's failure: PluginError) when nothing readable is in it.

    `ocr` says whether and how scans and images are read (default: on, English); `readers`
    are the enabled readers by file type (default: the built-ins)."""
    return documents_of(source, read_pages(source, data, ocr, readers))


def read_pages(
    source: RawSource,
    data: bytes,
    ocr: OcrConfig | None = None,
    readers: Mapping[str, ReaderPlugin] | None = None,
) -> list[Page]:
    """`source`'s pages with any text, as its reader gives them (with their tables); see
    `read_documents`."""
    if readers is None:
        from rag.plugins.registry import builtin_readers

        readers = builtin_readers()
    reader = readers.get(source.file_type)
    if reader is None:
        raise SourceError(f"no reader for file type {source.file_type!r}")
    if not data:
        raise SourceError("file is empty (0 bytes)")
    context = ReaderContext(source.source_id, source.file_type, {}, ocr or OcrConfig())
    try:
        pages = [p for p in reader.read(data, context) if p.text.strip()]
    except RagError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser failing on a bad file is a per-source error
        message = f"cannot parse {source.file_type} file: {type(exc).__name__}: {exc}"
        raise SourceError(message) from None
    if not pages:
        raise SourceError("no extractable text")
    return pages


def documents_of(source: RawSource, pages: list[Page]) -> list["Document"]:
    """Pages as the llama-index Documents the chunker splits (llama-index is imported here, when
    a source is read, not when the readers register: seconds of an answer's start-up)."""
    from llama_index.core.schema import Document

    return [
        Document(
            text=page.text,
            metadata={"source": source.source_id, "file_type": source.file_type, **page.metadata()},
        )
        for page in pages
    ]
