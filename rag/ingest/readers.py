"""Readers: a raw source's bytes → the extracted text of each page, as llama-index Documents.

The extracted text is the reference for citations: a citation's `start`/`end` index into it.
Paged formats (PDF pages, PPTX slides, XLSX sheets, images: a TIFF may hold several pages) give
one Document per page, numbered from 1; the others give one Document with page None. Parsers
are well-kept libraries (pypdf, pdfplumber, python-docx, openpyxl, python-pptx, trafilatura;
Tesseract for scans and images, rag.ingest.ocr); each is imported only when its format shows
up. Table rows (CSV, XLSX, DOCX and PDF tables) become "column: value; ..." lines whose cells
the page remembers.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from llama_index.core.schema import Document

from rag.connectors import RawSource
from rag.connectors.files import FILE_TYPES
from rag.errors import RagError, SourceError
from rag.ingest.ocr import OcrConfig, read_image
from rag.ingest.pages import Page, PageWriter
from rag.ingest.pdf import read_pdf
from rag.plugins.kinds import ReaderContext, ReaderPlugin

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


def _html(data: bytes) -> list[Page]:
    import trafilatura

    markup = decode_text(data)
    text = trafilatura.extract(
        markup, include_comments=False, include_tables=True, favor_recall=True
    )
    return [Page(text or _visible_text(markup))]


def _visible_text(markup: str) -> str:
    """Every visible string, for pages where trafilatura finds no main text: lxml gives up on
    very deep nesting (thousands of levels), Python's own HTML parser does not."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "header", "footer"]):
        tag.decompose()
    return soup.get_text("\n", strip=True)


def _csv(data: bytes) -> list[Page]:
    """Each row becomes one line of `header: value` pairs, so a chunk keeps its column names."""
    rows = list(csv.reader(io.StringIO(decode_text(data))))
    if not rows:
        return []
    header, *records = rows
    writer = PageWriter()
    writer.table(header, records)
    return [writer.page()]


def _docx(data: bytes) -> list[Page]:
    from docx import Document as DocxDocument

    _check_zip(data)
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
        rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        if rows:
            header, *records = rows
            writer.table(header, records)
    return [writer.page()]


def _xlsx(data: bytes) -> list[Page]:
    from openpyxl import load_workbook

    _check_zip(data)
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    pages = []
    for number, sheet in enumerate(book.worksheets, start=1):
        rows = [
            ["" if v is None else str(v) for v in row]
            for row in sheet.iter_rows(values_only=True)
            if any(v is not None for v in row)
        ]
        if rows:
            header, *records = rows
            writer = PageWriter()
            writer.line(f"Sheet: {sheet.title}")
            writer.table(header, records)
            pages.append(writer.page(number))
    book.close()
    return pages


def _pptx(data: bytes) -> list[Page]:
    from pptx import Presentation

    _check_zip(data)
    deck = Presentation(io.BytesIO(data))
    pages = []
    for number, slide in enumerate(deck.slides, start=1):
        lines = []
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            paragraphs = [p.text for p in shape.text_frame.paragraphs if p.text.strip()]
            # A box of several lines is a slide's bullets (written without markers, as Word
            # keeps them): marked, they read as one list (rag/answer/context.py).
            bullets = len(paragraphs) > 1 and shape != slide.shapes.title
            lines += [f"- {text}" if bullets else text for text in paragraphs]
        pages.append(Page("\n".join(lines), number))
    return pages


def _check_zip(data: bytes) -> None:
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        raise SourceError("file is not a valid Office document (bad zip archive)") from None
    unzipped = sum(info.file_size for info in infos)
    if unzipped > MAX_UNZIPPED_BYTES or unzipped > MAX_ZIP_RATIO * max(len(data), 1):
        raise SourceError(
            f"archive would expand to {unzipped} bytes from {len(data)}: refused as a zip bomb"
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


MARKDOWN = FormatReader("md", _text)
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
) -> list[Document]:
    """Extract `source`'s pages with the reader of its file type; raise SourceError (a
    plugin's failure: PluginError) when nothing readable is in it.

    `ocr` says whether and how scans and images are read (default: on, English); `readers`
    are the enabled readers by file type (default: the built-ins)."""
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
    return [
        Document(
            text=page.text,
            metadata={"source": source.source_id, "file_type": source.file_type, **page.metadata()},
        )
        for page in pages
    ]
