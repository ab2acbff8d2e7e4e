"""Pages already read by OCR, kept by what decides the reading: the page's pixels, the
languages and the Tesseract version.

OCR is the slow part of ingesting scans (seconds a page). A scan that changed by one page, the
same scan in a second collection, or a collection rebuilt with another chunk size reads only
pages it has not read before. Entries are small JSON files under the data directory, named by
a SHA-256 digest (no path comes from a document), written whole or not at all; an entry that
cannot be read is read again from the page.
"""

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from rag.ingest.pages import Page

if TYPE_CHECKING:
    from PIL.Image import Image

FORMAT = "ocr-page-1"  # bump when what a cached page holds changes


class OcrCache:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def key(self, image: "Image", reader: str) -> str:
        """`reader` names what reads the page: the OCR languages and the Tesseract version."""
        digest = hashlib.sha256()
        for part in (FORMAT, reader, image.mode, str(image.size)):
            digest.update(part.encode() + b"\0")
        digest.update(image.tobytes())
        return digest.hexdigest()

    def get(self, key: str, number: int) -> Page | None:
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
            text, confidence = entry["text"], entry["ocr_confidence"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(text, str) or not isinstance(confidence, int | float):
            return None
        return Page(text, number, ocr_confidence=float(confidence))

    def put(self, key: str, page: Page) -> None:
        path = self._path(key)
        entry = {"text": page.text, "ocr_confidence": page.ocr_confidence or 0.0}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, scratch = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(entry, out)
            os.replace(scratch, path)
        except OSError:
            return  # a full or read-only disk costs a re-read later, never the ingest

    def _path(self, key: str) -> Path:
        return self._folder / key[:2] / f"{key}.json"
