"""PDF pages rendered with PDFium, the cited span's characters marked.

PDFium's text page gives every character with its box. Its text is compared word by word with
the indexed text (pypdf's, or pdfplumber's records: `rag.view.spans`), and the boxes of the
characters of the matched words are marked, merged into one band a line. A page without a text
layer worth the name (a scan: ingest OCR'd it) is read again by Tesseract for word boxes.
"""

import ctypes
from typing import TYPE_CHECKING

from rag.ingest.ocr import OcrConfig
from rag.ingest.pdf import _PDFIUM_LOCK
from rag.view.image import Box, MarkedPage, fit_scale, lines_of, marked_png
from rag.view.scan import marked_scan
from rag.view.spans import CitedSpan, Match, align, words

if TYPE_CHECKING:
    from pypdfium2 import PdfPage, PdfTextPage

# 1.5 x 72 = 108 DPI: a page of 11-point text is readable at the width of a chat side panel.
DISPLAY_SCALE = 1.5
# Fewer letters than this and the page was a scan (rag.ingest.pdf reads such pages by OCR).
_SCAN_LETTERS = 20


def marked_pdf_page(
    data: bytes, number: int, span: CitedSpan, ocr: OcrConfig, max_pixels: int
) -> MarkedPage:
    """Page `number` (1-based) as PNG, at most `max_pixels`, the span's characters marked."""
    import pypdfium2

    with _PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(data)
        try:
            if not 1 <= number <= len(document):
                raise LookupError(f"the PDF has no page {number}")
            page = document[number - 1]
            scale = fit_scale(*page.get_size(), max_pixels, DISPLAY_SCALE)
            image = page.render(scale=scale).to_pil()
            text_page = page.get_textpage()
            text = _characters(text_page)
            scanned = sum(ch.isalnum() for ch in text) < _SCAN_LETTERS
            marked = None
            if not scanned and not span.empty:
                marked = _span_boxes(page, text_page, text, span, image.size)
        finally:
            document.close()
    if scanned:
        return marked_scan(image, number, span, ocr, max_pixels)
    if marked is None:
        return MarkedPage(marked_png(image, []), "none")
    boxes, match = marked
    return MarkedPage(marked_png(image, lines_of(boxes)), match)


def _characters(text_page: "PdfTextPage") -> str:
    """The page's characters one by one, so that index n is PDFium's character n (its text
    ranges may not keep to that)."""
    import pypdfium2.raw as pdfium

    return "".join(
        chr(pdfium.FPDFText_GetUnicode(text_page.raw, n) or 0xFFFD)
        for n in range(text_page.count_chars())
    )


def _span_boxes(
    page: "PdfPage",
    text_page: "PdfTextPage",
    text: str,
    span: CitedSpan,
    size: tuple[int, int],
) -> tuple[list[Box], Match] | None:
    """The pixel boxes of the span's characters and how they were matched, or None."""
    found = words(text)
    placed = align(span, [w.key for w in found])
    if placed is None:
        return None
    first, last = found[placed.first].start, found[placed.last].end
    boxes = [
        _to_pixels(page, text_page.get_charbox(n, loose=True), size)
        for n in range(first, last)
        if not text[n].isspace()
    ]
    return boxes, placed.match


def _to_pixels(
    page: "PdfPage", box: tuple[float, float, float, float], size: tuple[int, int]
) -> Box:
    """A box in page points (left, bottom, right, top) → pixels of the rendered bitmap, through
    PDFium's own transform (crop box, page rotation)."""
    import pypdfium2.raw as pdfium

    left, bottom, right, top = box
    corners = []
    for x, y in ((left, top), (right, bottom)):
        device_x, device_y = ctypes.c_int(), ctypes.c_int()
        pdfium.FPDF_PageToDevice(page.raw, 0, 0, size[0], size[1], 0, x, y, device_x, device_y)
        corners.append((device_x.value, device_y.value))
    (x0, y0), (x1, y1) = corners
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
