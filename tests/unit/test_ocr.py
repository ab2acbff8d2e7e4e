"""OCR readers with a fake Tesseract (pytesseract.image_to_data): layout, limits, settings, and
the OCR fields from page to stored chunk to search result. tests/integration/test_ocr_real.py
runs the real Tesseract."""

import io
from pathlib import Path

import pytesseract
import pytest
from PIL import Image

from rag.app import RagApp
from rag.connectors import RawSource
from rag.connectors.files import scan_path
from rag.errors import ConfigError, SourceError
from rag.ingest.ocr import MISSING_TESSERACT, OcrConfig
from rag.ingest.readers import read_documents
from rag.settings import Settings, load_settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.scans import image_bytes, mixed_pdf, png_bomb, render_page

LINES = ["Locker 47 holds the boiler room key.", "Ask facilities for a copy."]


class FakeTesseract:
    """Answers image_to_data with fixed words (two lines, then a paragraph of one line) and
    keeps each image it was given."""

    def __init__(self) -> None:
        self.images: list[Image.Image] = []

    @property
    def sizes(self) -> list[tuple[int, int]]:
        return [image.size for image in self.images]

    def __call__(self, image: Image.Image, **kwargs: object) -> dict[str, list]:
        self.images.append(image)
        return {
            "text": ["", "Locker", "47", "holds", "key.", "Ask", "facilities", " "],
            "conf": [-1, 96, 90, 94, 80, 92, 88, -1],
            "block_num": [1, 1, 1, 1, 1, 1, 1, 1],
            "par_num": [1, 1, 1, 1, 1, 2, 2, 2],
            "line_num": [1, 1, 1, 2, 2, 1, 1, 1],
        }


@pytest.fixture
def tesseract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeTesseract:
    fake = FakeTesseract()
    monkeypatch.setattr(pytesseract, "image_to_data", fake)
    # What `tesseract --list-langs` prints where only English is installed.
    binary = tmp_path / "tesseract"
    binary.write_text('#!/bin/sh\necho "List of available languages (2):"; echo eng; echo osd\n')
    binary.chmod(0o755)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(binary))
    return fake


def _read(data: bytes, file_type: str, ocr: OcrConfig | None = None):
    return read_documents(RawSource(f"/scan.{file_type}", file_type, read=lambda: data), data, ocr)


def test_words_become_lines_and_paragraphs_with_mean_confidence(tesseract: FakeTesseract):
    (page,) = _read(image_bytes([render_page(LINES, 100)], "PNG"), "png")

    assert page.text == "Locker 47\nholds key.\n\nAsk facilities"
    assert page.metadata["ocr_confidence"] == pytest.approx(0.9)
    assert page.metadata["page"] == 1  # an image is a one-page document


def test_multipage_tiff_pages_are_numbered_from_one(tesseract: FakeTesseract) -> None:
    pages = [render_page(LINES, 100), render_page(LINES[::-1], 100)]
    documents = _read(image_bytes(pages, "TIFF", dpi=100), "tiff")
    assert [d.metadata["page"] for d in documents] == [1, 2]


def test_image_bomb_is_refused_from_its_header(tesseract: FakeTesseract) -> None:
    with pytest.raises(SourceError, match="image bomb"):
        _read(png_bomb(50_000, 50_000), "png")
    with pytest.raises(SourceError, match=r"12000 x 10000 pixels, over the 100,000,000-pixel"):
        _read(png_bomb(12_000, 10_000), "png")
    assert tesseract.sizes == []


def test_too_many_pages_are_refused_before_any_ocr(tesseract: FakeTesseract) -> None:
    pages = [render_page([f"Page {n}"], 72) for n in range(3)]
    limit = OcrConfig(max_pages=2)
    with pytest.raises(SourceError, match="3 pages to OCR, over the 2-page limit"):
        _read(image_bytes(pages, "TIFF", dpi=72), "tiff", limit)
    with pytest.raises(SourceError, match="3 pages to OCR"):
        _read(image_bytes(pages, "PDF", dpi=72), "pdf", limit)
    assert tesseract.sizes == []


def test_ten_thousand_page_scan_is_refused(tesseract: FakeTesseract) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(10_000):
        writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(SourceError, match="10000 pages to OCR, over the 500-page limit"):
        _read(buffer.getvalue(), "pdf")
    assert tesseract.sizes == []


def test_a_huge_pdf_page_is_rendered_within_the_pixel_limit(tesseract: FakeTesseract) -> None:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(14_400, 14_400))  # 200 x 200 inches: 3.6 Gpx at 300 DPI
    pdf.add_page()
    _read(bytes(pdf.output()), "pdf", OcrConfig(max_image_pixels=4_000_000))
    ((width, height),) = tesseract.sizes
    assert width * height <= 4_000_000 and width > 1_900


def test_mixed_pdf_reads_text_pages_and_ocrs_image_pages(tesseract: FakeTesseract) -> None:
    data = mixed_pdf(["The warranty lasts ten years."], render_page(LINES, 100), dpi=100)
    first, second = _read(data, "pdf")

    assert (first.metadata["page"], second.metadata["page"]) == (1, 2)
    assert "ten years" in first.text and "ocr_confidence" not in first.metadata
    assert second.text.startswith("Locker 47") and second.metadata["ocr_confidence"] > 0
    assert len(tesseract.sizes) == 1


def test_a_scanned_page_under_a_stamp_is_ocr(tesseract: FakeTesseract) -> None:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="letter")
    pdf.add_page()
    pdf.image(render_page(LINES, 100), x=0, y=0, w=468)
    pdf.set_font("helvetica", size=8)
    pdf.text(500, 780, "Bates 000123")  # what a scanner or a legal review stamps on
    off = OcrConfig(enabled=False)
    data = bytes(pdf.output())

    (page,) = _read(data, "pdf")
    assert page.text.startswith("Locker 47") and len(tesseract.sizes) == 1
    (stamp_only,) = _read(data, "pdf", off)
    assert stamp_only.text == "Bates 000123"


def test_a_page_read_poorly_is_turned_upright_and_read_again(
    monkeypatch: pytest.MonkeyPatch, tesseract: FakeTesseract
) -> None:
    sideways = render_page(LINES, 100).rotate(90, expand=True)

    def read(image: Image.Image, **kwargs: object) -> dict[str, list]:
        words = tesseract(image)
        if image.size == sideways.size:  # as Tesseract reads a page on its side: noise
            words = {**words, "text": ["~", "I1"], "conf": [30, 40], **_one_line(2)}
        return words

    monkeypatch.setattr(pytesseract, "image_to_data", read)
    monkeypatch.setattr(pytesseract, "image_to_osd", lambda image, **kw: {"rotate": 270})
    (page,) = _read(image_bytes([sideways], "PNG"), "png")

    assert page.text.startswith("Locker 47") and page.metadata["ocr_confidence"] > 0.6
    assert tesseract.sizes == [sideways.size, sideways.size[::-1]]


def _one_line(words: int) -> dict[str, list]:
    return {"block_num": [1] * words, "par_num": [1] * words, "line_num": [1] * words}


def test_with_ocr_off_images_and_scans_are_refused_and_mixed_pdfs_keep_their_text(
    tesseract: FakeTesseract,
) -> None:
    off = OcrConfig(enabled=False)
    with pytest.raises(SourceError, match=r"needs OCR, which is off \(RAG_OCR_ENABLED=false\)"):
        _read(image_bytes([render_page(LINES, 100)], "JPEG"), "jpeg", off)
    with pytest.raises(SourceError, match="no extractable text"):
        _read(image_bytes([render_page(LINES, 100)], "PDF", dpi=100), "pdf", off)
    (page,) = _read(mixed_pdf(["Typed page."], render_page(LINES, 100), dpi=100), "pdf", off)
    assert page.text == "Typed page." and tesseract.sizes == []


def test_missing_tesseract_is_one_line_naming_the_package(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(SourceError) as caught:
        _read(image_bytes([render_page(LINES, 100)], "PNG"), "png")
    assert str(caught.value) == MISSING_TESSERACT
    assert "\n" not in MISSING_TESSERACT and "tesseract-ocr" in MISSING_TESSERACT


def test_a_language_not_installed_is_named_with_its_package(tesseract: FakeTesseract) -> None:
    data = image_bytes([render_page(LINES, 72)], "PNG")
    with pytest.raises(SourceError, match=r"'deu' is not installed .*package tesseract-ocr-deu$"):
        _read(data, "png", OcrConfig(langs="eng+deu"))
    assert tesseract.sizes == []


def test_a_page_over_the_time_limit_names_the_page_and_the_setting(
    monkeypatch: pytest.MonkeyPatch, tesseract: FakeTesseract
) -> None:
    def slow(image: Image.Image, **kwargs: object) -> dict[str, list]:
        assert kwargs["timeout"] == 2.5
        raise RuntimeError("Tesseract process timeout")  # what pytesseract raises

    monkeypatch.setattr(pytesseract, "image_to_data", slow)
    data = image_bytes([render_page(LINES, 72)] * 2, "PDF", dpi=72)
    with pytest.raises(SourceError, match=r"OCR of page 1 took longer than 2.5 s \(RAG_OCR_PAGE"):
        _read(data, "pdf", OcrConfig(page_timeout_s=2.5))


def test_ocr_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_OCR_LANGS", "eng+deu")
    monkeypatch.setenv("RAG_OCR_DPI", "200")
    monkeypatch.setenv("RAG_OCR_ENABLED", "false")
    monkeypatch.setenv("RAG_OCR_PAGE_TIMEOUT_S", "5")
    config = OcrConfig.from_settings(load_settings())
    assert config == OcrConfig(enabled=False, langs="eng+deu", dpi=200, page_timeout_s=5.0)

    monkeypatch.setenv("RAG_OCR_LANGS", "eng --psm 0")
    with pytest.raises(ConfigError, match="ocr_langs"):
        load_settings()


def test_ocr_fields_reach_the_search_result_and_a_bomb_fails_alone(
    rag_app: RagApp, tesseract: FakeTesseract, tmp_path: Path
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "locker.png").write_bytes(image_bytes([render_page(LINES, 100)], "PNG"))
    (folder / "bomb.png").write_bytes(png_bomb(50_000, 50_000))
    (folder / "notes.md").write_text("The canteen opens at 8.\n")

    report = rag_app.indexer.sync([scan_path(folder, 10**6)], "default")

    assert sorted(Path(s).name for s in report.added) == ["locker.png", "notes.md"]
    assert [Path(f["source"]).name for f in report.failed] == ["bomb.png"]
    assert "image bomb" in report.failed[0]["error"]
    (hit,) = rag_app.search(rag_app.ask_request("locker 47 key", top_k=1))
    shown = hit.to_json()
    assert shown["source"].endswith("locker.png")
    assert shown["ocr"] is True and shown["ocr_confidence"] == pytest.approx(0.9)
    assert hit.span_fields(hit.start, hit.end) == {"ocr": True, "ocr_confidence": 0.9}


def test_an_unchanged_scan_is_not_read_again(
    rag_app: RagApp, tesseract: FakeTesseract, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_bytes(_pages(2), "PDF", dpi=72))
    first = rag_app.indexer.sync([scan_path(scan, 10**6)], "default")
    second = rag_app.indexer.sync([scan_path(scan, 10**6)], "default")

    assert first.added == [str(scan)] and second.unchanged == 1
    assert len(tesseract.sizes) == 2  # the two pages, once


def test_each_page_to_ocr_is_reported_before_it_is_read(
    rag_app: RagApp, tesseract: FakeTesseract, tmp_path: Path
) -> None:
    (tmp_path / "scan.pdf").write_bytes(image_bytes(_pages(2), "PDF", dpi=72))
    (tmp_path / "scan.tiff").write_bytes(image_bytes(_pages(2, "TIFF page"), "TIFF", dpi=72))
    seen: list[tuple[str, int, int, int]] = []

    def reading(source_id: str, page: int, total: int) -> None:
        seen.append((Path(source_id).name, page, total, len(tesseract.sizes)))

    rag_app.indexer.sync([scan_path(tmp_path, 10**6)], "default", on_ocr_page=reading)
    # (file, page, pages to OCR, pages Tesseract had read by then)
    assert seen == [
        ("scan.pdf", 1, 2, 0), ("scan.pdf", 2, 2, 1), ("scan.tiff", 1, 2, 2), ("scan.tiff", 2, 2, 3)
    ]  # fmt: skip


def test_photos_are_turned_by_their_exif_and_transparency_reads_as_white(
    tesseract: FakeTesseract,
) -> None:
    photo = render_page(LINES, 72).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned, rotate 90 degrees to view
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif)
    _read(buffer.getvalue(), "jpeg")

    transparent = Image.new("LA", (400, 100), (0, 0))  # black and fully transparent
    transparent.paste((0, 255), (20, 40, 380, 60))  # an opaque black bar
    _read(image_bytes([transparent], "PNG"), "png")

    upright, flattened = tesseract.images
    assert upright.size == photo.size[::-1]
    assert flattened.getpixel((0, 0)) == 255 and flattened.getpixel((200, 50)) == 0


def _pages(count: int, label: str = "Page") -> list[Image.Image]:
    """`count` scanned pages, each with its own pixels (a page seen before is not read again)."""
    return [render_page([f"{label} {n}", *LINES], 72) for n in range(1, count + 1)]


def test_a_scan_changed_by_one_page_reads_only_that_page(
    rag_app: RagApp, tesseract: FakeTesseract, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_bytes(_pages(2), "PDF", dpi=72))
    rag_app.indexer.sync([scan_path(scan, 10**6)], "default")
    scan.write_bytes(image_bytes(_pages(3), "PDF", dpi=72))  # one page added
    report = rag_app.indexer.sync([scan_path(scan, 10**6)], "default")

    assert report.updated == [str(scan)]
    assert len(tesseract.sizes) == 3  # pages 1 and 2 once, page 3 once
    found = rag_app.search(rag_app.ask_request("Locker 47", "default", 10))
    assert {c.page for c in found} == {1, 2, 3} and all(c.ocr_confidence for c in found)


def test_a_cached_page_is_keyed_by_its_pixels_and_languages_and_survives_a_bad_entry(
    tesseract: FakeTesseract, tmp_path: Path
) -> None:
    from rag.ingest.ocr_cache import OcrCache

    cache = OcrCache(tmp_path / "cache")
    config = OcrConfig(cache=cache)
    first, second = _pages(2)
    png = image_bytes([first], "PNG")
    assert _read(png, "png", config)[0].text == _read(png, "png", config)[0].text
    assert len(tesseract.images) == 1
    assert cache.key(first, "eng") != cache.key(second, "eng")
    assert cache.key(first, "eng") != cache.key(first, "eng+deu")

    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{not json")  # a torn or tampered entry: read the page again
    assert _read(png, "png", config)[0].text.startswith("Locker 47")
    assert len(tesseract.images) == 2
    assert _read(png, "png", config) and len(tesseract.images) == 2  # rewritten whole


def test_with_the_ocr_cache_off_no_page_text_is_kept_on_disk(
    settings: Settings, tesseract: FakeTesseract, tmp_path: Path
) -> None:
    scan = tmp_path / "scans" / "scan.pdf"
    scan.parent.mkdir()
    scan.write_bytes(image_bytes(_pages(1), "PDF", dpi=72))
    private = settings.model_copy(update={"ocr_cache": False})
    with RagApp(private, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        app.indexer.sync([scan_path(scan, 10**6)], "default")
        app.indexer.sync([scan_path(scan, 10**6)], "copy")
    assert len(tesseract.images) == 2  # read for each collection
    assert not (settings.data_dir / "ocr-cache").exists()
