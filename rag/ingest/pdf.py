"""PDF pages: the text layer read with pypdf, tables as records (pdfplumber), and pages without
a text layer OCR'd from a pypdfium2 rendering. A mixed PDF gets both; every page keeps its own
number, which is the citation page.
"""

import io
import math
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.errors import SourceError
from rag.ingest.ocr import OcrConfig, check_tesseract, recognize
from rag.ingest.pages import Page
from rag.ingest.pdf_tables import pages_with_tables

if TYPE_CHECKING:
    from PIL.Image import Image
    from pypdfium2 import PdfPage

# A line (`x y l`) or rectangle (`x y w h re`) operator in a page's content stream. Tables drawn
# inside form XObjects are not seen; their pages keep pypdf's text.
_RULE = re.compile(rb"[\d.]\s+(?:l|re)\s")
_MIN_RULES = 4
# A scanner's stamp ("Page 3", a Bates number) over the scanned image is not the page's text:
# fewer characters than this beside a painted image (`/Im0 Do`) and the page is OCR'd.
_PAINTS_XOBJECT = re.compile(rb"/[^\s/]+\s+Do\b")
_STAMP_CHARS = 20

# PDFium is not thread-safe, and a server may read two PDFs at once (say, an ingest job while
# `rag eval` re-reads its sources), so every call into it holds this lock.
_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class _LayerPage:
    number: int
    text: str  # pypdf's text ("" for a page without a text layer)
    ruled: bool  # draws enough lines or rectangles to hold a ruled table
    scanned: bool  # no text worth the name, or a few characters over a drawn image (a stamp)


def read_pdf(data: bytes, ocr: OcrConfig) -> list[Page]:
    layer = _text_layer(data)
    scanned = [page.number for page in layer if page.scanned]
    if not ocr.enabled:
        if not any(page.text.strip() for page in layer):
            raise SourceError("PDF has no extractable text (a scan? OCR is off: RAG_OCR_ENABLED)")
        scanned = []  # a mixed PDF with OCR off: its text pages are still worth indexing
    ocr.check_page_count(len(scanned))
    ruled = [page.number for page in layer if page.ruled and not page.scanned]
    tables = pages_with_tables(data, ruled) if ruled else {}
    recognized = {page.number: page for page in _ocr_pages(data, scanned, ocr)}
    return [
        recognized.get(page.number) or tables.get(page.number) or Page(page.text, page.number)
        for page in layer
    ]


def _text_layer(data: bytes) -> list[_LayerPage]:
    """Each page's text as pypdf extracts it, and what its content stream draws: pdfplumber
    takes about 20 times pypdf's time on a page, so only ruled pages are searched for tables."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError("PDF is encrypted with a password")
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            # extract_text() swallows pypdf's decompression limit and returns "", which would
            # report a bomb as a scan; decoding the content stream first surfaces it.
            contents = page.get_contents()
            drawn = contents.get_data() if contents is not None else b""
            text = page.extract_text() or ""
            letters = len("".join(text.split()))
            stamp = letters < _STAMP_CHARS and _PAINTS_XOBJECT.search(drawn) is not None
            ruled = len(_RULE.findall(drawn)) >= _MIN_RULES
            pages.append(_LayerPage(number, text, ruled, scanned=letters == 0 or stamp))
    except LimitReachedError:
        raise SourceError(
            "a PDF stream expands past the decompression limit: refused as a decompression bomb"
        ) from None
    except PdfReadError as exc:
        raise SourceError(f"PDF cannot be read: {exc}") from None
    return pages


def _ocr_pages(data: bytes, numbers: list[int], ocr: OcrConfig) -> list[Page]:
    """Render each listed page (1-based) at the OCR resolution and read it with Tesseract."""
    if not numbers:
        return []
    import pypdfium2

    check_tesseract(ocr)

    with _PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(data)
    try:
        pages = []
        for done, number in enumerate(numbers):
            ocr.report(done + 1, len(numbers))
            with _PDFIUM_LOCK:
                image = _render(document[number - 1], ocr)
            pages.append(recognize(image, ocr, number))  # Tesseract runs outside the lock
        return pages
    finally:
        with _PDFIUM_LOCK:
            document.close()


def _render(page: "PdfPage", ocr: OcrConfig) -> "Image":
    """The page in greyscale at the OCR DPI, scaled down to stay within the pixel limit (a page
    can declare any size: a 200-inch page at 300 DPI would be 3.6 billion pixels)."""
    width, height = page.get_size()  # in points, 1/72 inch
    scale = ocr.dpi / 72
    pixels = width * height * scale * scale
    if pixels > ocr.max_image_pixels:
        scale *= math.sqrt(ocr.max_image_pixels / pixels)
    try:
        return page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()
