"""Scans and images: the page's words found again by Tesseract, with their boxes.

The index keeps only the text OCR read (rag/ingest/ocr.py); where each word stood is asked of
Tesseract again when a citation of the page is viewed, on the image as shown (a bounded copy of
the page OCR read), and the span's words are placed among them by `rag.view.spans.align`.
"""

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.errors import SourceError
from rag.ingest.ocr import OcrConfig, _frames, _pytesseract, _tesseract
from rag.view.cache import BoundedCache
from rag.view.image import Box, MarkedPage, bounded, lines_of, marked_png
from rag.view.spans import CitedSpan, align, words

if TYPE_CHECKING:
    from PIL.Image import Image


def image_page(data: bytes, file_type: str, number: int, ocr: OcrConfig) -> "Image":
    """Page `number` (1-based) of an image file, upright and greyscale as OCR read it; the
    same pixel and page limits apply."""
    for index, frame in _frames(data, file_type, ocr):
        if index == number:
            return frame
    raise LookupError(f"the image has no page {number}")


def marked_scan(
    image: "Image", number: int, span: CitedSpan, ocr: OcrConfig, max_pixels: int
) -> MarkedPage:
    """Page `number` with the OCR boxes of the span highlighted."""
    shown, _ = bounded(image, max_pixels)
    if span.empty:
        return MarkedPage(marked_png(shown, []), "none")
    try:
        found = ocr_words(shown, ocr, number)
    except SourceError:  # Tesseract missing or too slow: the page, unmarked
        return MarkedPage(marked_png(shown, []), "none")
    keys = [key for key, _ in found]
    placed = align(span, keys)
    if placed is None:
        return MarkedPage(marked_png(shown, []), "none")
    boxes = [box for _, box in found[placed.first : placed.last + 1]]
    return MarkedPage(marked_png(shown, lines_of(boxes)), placed.match)


@dataclass(frozen=True)
class PageWords:
    found: list[tuple[str, Box]]

    @property
    def size(self) -> int:
        return 100 * len(self.found) + 100  # about, in bytes


# A page's words by its pixels: a second citation of the same scanned page waits for no OCR.
_READ: BoundedCache[PageWords] = BoundedCache(max_entries=64, max_bytes=8 * 1024 * 1024)


def ocr_words(image: "Image", ocr: OcrConfig, number: int) -> list[tuple[str, Box]]:
    """Each word Tesseract reads on the image (as `word_key`s: "claim," is "claim") with its
    box in the image's pixels."""
    key = (hashlib.sha256(image.tobytes()).hexdigest(), image.mode, image.size, ocr.langs)
    if (known := _READ.get(key)) is None:
        known = PageWords(_read_words(image, ocr, number))
        _READ.put(key, known)
    return known.found


def _read_words(image: "Image", ocr: OcrConfig, number: int) -> list[tuple[str, Box]]:
    pytesseract = _pytesseract()
    data = _tesseract(
        lambda: pytesseract.image_to_data(
            image, lang=ocr.langs, timeout=ocr.page_timeout_s, output_type=pytesseract.Output.DICT
        ),
        ocr,
        number,
    )
    found = []
    for text, left, top, width, height in zip(
        data["text"], data["left"], data["top"], data["width"], data["height"], strict=True
    ):
        box = (float(left), float(top), float(left + width), float(top + height))
        found += [(word.key, box) for word in words(text)]
    return found
