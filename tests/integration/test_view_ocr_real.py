"""The source viewer on scans with the real Tesseract: an image file and a scanned page inside a
mixed PDF come back as PNG with the OCR word boxes of the cited line marked, and on that line."""

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.ingest.chunking import document_id
from tests.scans import image_bytes, mixed_pdf, render_page
from tests.unit.test_view import _marked_pixels

pytestmark = pytest.mark.integration

LINES = [
    "Aurora K2 service report, site visit of 14 March 2026.",
    "The inverter was replaced and the firmware updated to 4.2.1.",
    "Battery capacity measured at 92 percent of the rated value.",
    "Next inspection is due in September; the owner was informed.",
]
CITED = "Battery capacity measured at 92 percent"


@pytest.mark.parametrize(
    ("name", "data", "page"),
    [
        (
            "report.png",
            lambda: image_bytes([render_page(LINES, 300, noise=0.3, tilt_deg=1)], "PNG"),
            1,
        ),
        (
            "mixed.pdf",
            lambda: mixed_pdf(["A text page about the warranty."], render_page(LINES, 300)),
            2,
        ),
    ],
)
def test_a_scanned_page_marks_the_ocr_words_of_the_cited_line(
    rag_app: RagApp, tmp_path: Path, name: str, data, page: int
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / name).write_bytes(data())
    rag_app.indexer.sync([scan_path(folder, rag_app.settings.max_file_bytes)], "default")
    doc = document_id(str((folder / name).resolve()))
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        pages = client.get(f"/v1/documents/{doc}/text").json()["pages"]
        text = next(p["text"] for p in pages if p["page"] == page)
        start = text.index(CITED)
        params = {"page": page, "start": start, "end": start + len(CITED)}
        shown = client.get(f"/v1/documents/{doc}/view", params=params)
        before = client.get(f"/v1/documents/{doc}/view", params={**params, "start": 0, "end": 10})

    assert shown.headers["content-type"] == "image/png"
    assert shown.headers["x-highlight"] in ("exact", "approximate")
    marked, first_line = _marked_pixels(shown.content), _marked_pixels(before.content)
    assert marked and first_line
    height = Image.open(io.BytesIO(shown.content)).height
    # The third line's band lies below the first line's and is about a line high.
    assert min(y for _, y in marked) > max(y for _, y in first_line)
    assert max(y for _, y in marked) - min(y for _, y in marked) < height / 8
