"""Scans and images read by the real Tesseract, indexed with the bundled MiniLM in a real Qdrant
Edge shard, and asked with the bundled model: a fact that stands only in a scan is found and
cited on its page; a PDF table question is found in its row and column.

The scans are made here: known text rendered with Pillow at 200-300 DPI, some tilted and
noised. No test asserts the model's words (they differ between CPUs).
"""

from collections.abc import Iterator
from pathlib import Path

import pytesseract
import pytest

from rag.answer.types import AskResult
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.eval.answers import SourceTexts
from rag.ingest.report import IngestReport
from rag.settings import Settings
from tests.scans import PRICE_TABLE, image_bytes, mixed_pdf, png_bomb, render_page, table_pdf

pytestmark = pytest.mark.integration

INSPECTION = [
    [
        "Site inspection report, Harbour Depot.",
        "The inspection covered the loading bays and the roof.",
    ],
    [
        "The emergency generator was last serviced on 12 August 2026.",
        "The service was carried out by Voltaren Services of Ghent.",
    ],
    [
        "Open actions: repaint the fire lane markings.",
        "The next inspection is planned for spring.",
    ],
]
RECEIPT = ["Hotel Lindqvist, Uppsala", "Two nights, breakfast included", "Total paid: 342.80 EUR"]
SLIDES = [
    ["Quarterly review", "Sales grew in every region."],
    ["Hiring plan", "The Malmo office will hire 14 field technicians."],
]
UPSIDE_DOWN = ["The roof access ladder is stored behind door R-9.", "Two people carry it."]
MIXED_SCAN = ["The spare drone batteries are kept in cabinet C-14.", "Sign them out at the desk."]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scans")
    inspection = [
        render_page(INSPECTION[0], 300),
        render_page(INSPECTION[1], 300, tilt_deg=1.2, noise=0.6, seed=1),
        render_page(INSPECTION[2], 300, tilt_deg=-0.8, noise=0.4, seed=2),
    ]
    (folder / "inspection-scan.pdf").write_bytes(image_bytes(inspection, "PDF", dpi=300))
    receipt = render_page(RECEIPT, 200, tilt_deg=-1.0, noise=0.8, seed=3)
    (folder / "receipt.jpg").write_bytes(image_bytes([receipt], "JPEG", dpi=200))
    slides = [render_page(lines, 200) for lines in SLIDES]
    (folder / "slides.tiff").write_bytes(image_bytes(slides, "TIFF", dpi=200))
    typed = ["Drone fleet handbook.", "Pilots log every flight in the fleet register."]
    scan = render_page(MIXED_SCAN, 300, noise=0.3, seed=4)
    (folder / "drone-handbook.pdf").write_bytes(mixed_pdf(typed, scan, dpi=300))
    (folder / "prices.pdf").write_bytes(table_pdf())
    upside_down = render_page(UPSIDE_DOWN, 300, noise=0.3, seed=5).rotate(180)
    (folder / "fed-in-upside-down.png").write_bytes(image_bytes([upside_down], "PNG", dpi=300))
    (folder / "bomb.png").write_bytes(png_bomb(50_000, 50_000))
    return folder


class CountingTesseract:
    """The real pytesseract.image_to_data, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self._real = pytesseract.image_to_data

    def __call__(self, *args: object, **kwargs: object):
        self.calls += 1
        return self._real(*args, **kwargs)


@pytest.fixture(scope="module")
def tesseract() -> Iterator[CountingTesseract]:
    with pytest.MonkeyPatch.context() as patch:
        counting = CountingTesseract()
        patch.setattr(pytesseract, "image_to_data", counting)
        yield counting


@pytest.fixture(scope="module")
def indexed(
    corpus: Path, tesseract: CountingTesseract, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RagApp, IngestReport]]:
    with RagApp(Settings(data_dir=tmp_path_factory.mktemp("data"))) as app:
        report = app.indexer.sync([scan_path(corpus, 10**7)], "default")
        yield app, report


def _top(app: RagApp, query: str):
    return app.search(app.ask_request(query, "default", top_k=3))[0]


def test_the_batch_is_indexed_and_the_image_bomb_refused_with_its_reason(indexed) -> None:
    _, report = indexed
    assert sorted(Path(s).name for s in report.added) == [
        "drone-handbook.pdf", "fed-in-upside-down.png", "inspection-scan.pdf", "prices.pdf",
        "receipt.jpg", "slides.tiff",
    ]  # fmt: skip
    assert [(Path(f["source"]).name, "image bomb" in f["error"]) for f in report.failed] == [
        ("bomb.png", True)
    ]


@pytest.mark.parametrize(
    ("query", "file", "page", "fact"),
    [
        ("When was the emergency generator last serviced?", "inspection-scan.pdf", 2, "12 August"),
        ("How much did the hotel stay cost in total?", "receipt.jpg", 1, "342.80"),
        ("How many field technicians will the Malmo office hire?", "slides.tiff", 2, "14"),
        ("Where are the spare drone batteries kept?", "drone-handbook.pdf", 2, "C-14"),
        ("Where is the roof access ladder stored?", "fed-in-upside-down.png", 1, "R-9"),
    ],
)
def test_a_fact_only_in_a_scan_is_found_on_its_page_with_its_ocr_confidence(
    indexed, query: str, file: str, page: int, fact: str
) -> None:
    app, _ = indexed
    hit = _top(app, query)

    assert (Path(hit.source).name, hit.page) == (file, page)
    assert fact in hit.text
    shown = hit.to_json()
    assert shown["ocr"] is True and 0.6 < shown["ocr_confidence"] <= 1.0


def test_the_typed_page_of_a_mixed_pdf_is_not_ocr(indexed) -> None:
    app, _ = indexed
    hit = _top(app, "Where do pilots log every flight?")
    assert (Path(hit.source).name, hit.page) == ("drone-handbook.pdf", 1)
    assert "ocr" not in hit.to_json()


def _answer(app: RagApp, question: str) -> AskResult:
    return app.answers.ask(app.ask_request(question, "default"))


def test_an_answer_from_a_scan_cites_the_scanned_page_and_resolves(indexed) -> None:
    app, _ = indexed
    result = _answer(app, "When was the emergency generator last serviced?")

    assert not result.abstained, result.to_json()
    cited = {(Path(c.chunk.source).name, c.chunk.page) for c in result.citations}
    assert ("inspection-scan.pdf", 2) in cited
    # Citations index the OCR text, which reading the file again gives back.
    sources = SourceTexts(app.settings.max_file_bytes)
    assert all(sources.resolves(c) for c in result.citations)
    for citation in result.citations:
        if citation.chunk.page == 2 and citation.chunk.source.endswith("inspection-scan.pdf"):
            assert citation.chunk.span_fields(citation.start, citation.end)["ocr"] is True


def test_a_table_question_finds_its_row_and_column(indexed) -> None:
    app, _ = indexed
    question = "What is the price of the Aurora K2?"
    hit = _top(app, question)
    assert Path(hit.source).name == "prices.pdf"
    row = hit.text.index("Model: Aurora K2")
    fields = hit.span_fields(hit.start + row, hit.start + row + 1)
    assert fields["record"]["Price"] == "7,450 EUR"
    assert fields["record"] == dict(zip(PRICE_TABLE[0], PRICE_TABLE[2], strict=True))

    result = _answer(app, question)
    assert not result.abstained, result.to_json()
    records = [c.to_json().get("record") for c in result.citations]  # as every front door shows
    assert {"Model": "Aurora K2", "Price": "7,450 EUR"}.items() <= (records[0] or {}).items()


def test_an_unchanged_folder_is_not_read_again(
    indexed, corpus: Path, tesseract: CountingTesseract
) -> None:
    app, _ = indexed
    before = tesseract.calls
    report = app.indexer.sync([scan_path(corpus, 10**7)], "default")
    assert report.unchanged == 6 and report.added == [] and tesseract.calls == before


def test_the_same_scans_in_a_second_collection_are_not_read_again(
    indexed, corpus: Path, tesseract: CountingTesseract
) -> None:
    app, _ = indexed
    before = tesseract.calls
    report = app.indexer.sync([scan_path(corpus, 10**7)], "copy")
    assert len(report.added) == 6 and tesseract.calls == before  # every page from the cache
    found = app.search(app.ask_request("When was the emergency generator serviced?", "copy", 3))
    assert found[0].page == 2 and found[0].ocr_confidence


def test_a_language_that_is_not_installed_is_named_with_its_package(tmp_path: Path) -> None:
    from rag.connectors import RawSource
    from rag.errors import SourceError
    from rag.ingest.ocr import OcrConfig
    from rag.ingest.readers import read_documents

    data = image_bytes([render_page(RECEIPT, 100)], "PNG")
    source = RawSource("/r.png", "png", read=lambda: data)
    with pytest.raises(SourceError, match=r"'klingon' is not installed .*tesseract-ocr-klingon$"):
        read_documents(source, data, OcrConfig(langs="eng+klingon"))
