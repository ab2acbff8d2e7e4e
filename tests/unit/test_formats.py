"""Every supported format from sample_docs, and the bad files a user will feed us."""

import io
import zipfile

import pytest

from rag.connectors import RawSource
from rag.errors import SourceError
from rag.ingest.readers import read_documents
from tests.conftest import SAMPLE_DOCS


def _read(name: str, data: bytes | None = None):
    path = SAMPLE_DOCS / name
    file_type = path.suffix.lstrip(".")
    source = RawSource(str(path), file_type, read=path.read_bytes)
    return read_documents(source, data if data is not None else path.read_bytes())


def test_pdf_gives_one_document_per_page_numbered_from_one() -> None:
    pages = _read("warranty-claims.pdf")
    assert [p.metadata["page"] for p in pages] == [1, 2, 3]
    assert "within 60 days" in pages[1].text


def test_docx_keeps_paragraphs_and_table_rows_with_their_header() -> None:
    (doc,) = _read("onboarding-guide.docx")
    assert "onboarding buddy" in doc.text
    assert "Day: Wednesday; Activity: Battery lab safety training" in doc.text


def test_html_keeps_the_article_not_navigation_scripts_or_footer() -> None:
    (doc,) = _read("solar-gateway-g3.html")
    assert "clamp meter accurate to 1%" in doc.text
    for noise in ("Careers", "window.analytics", "Cookie settings", "display: flex"):
        assert noise not in doc.text


def test_csv_rows_become_records_with_column_names() -> None:
    (doc,) = _read("service-centres.csv")
    assert "city: Rotterdam; address: Weena 505; phone: +31 10 555 7788" in doc.text


def test_xlsx_sheets_are_pages_of_records() -> None:
    (sheet,) = _read("sales-2025.xlsx")
    assert sheet.metadata["page"] == 1
    assert "Quarter: Q3; K2 units sold: 610" in sheet.text


def test_pptx_slides_are_pages() -> None:
    slides = _read("roadmap-2026.pptx")
    assert [s.metadata["page"] for s in slides] == [1, 2, 3]
    assert "16 kWh" in slides[1].text


def test_a_slides_bullet_lines_are_list_items_and_its_title_and_prose_are_not() -> None:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])  # title and content
    slide.shapes.title.text = "Safety rules"
    slide.placeholders[1].text_frame.text = "Volunteers must be 16 or over; younger ones come along"
    slide.placeholders[1].text_frame.add_paragraph().text = "Never use power tools untrained"
    note = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(4), Inches(1))
    note.text_frame.text = "Ask the task leader when in doubt."
    buffer = io.BytesIO()
    deck.save(buffer)
    (page,) = _read("roadmap-2026.pptx", buffer.getvalue())
    assert page.text.split("\n") == [
        "Safety rules",
        "- Volunteers must be 16 or over; younger ones come along",
        "- Never use power tools untrained",
        "Ask the task leader when in doubt.",
    ]


def test_encrypted_pdf_is_refused_with_the_reason() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(SAMPLE_DOCS / "warranty-claims.pdf").pages:
        writer.add_page(page)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(SourceError, match="encrypted"):
        _read("warranty-claims.pdf", buffer.getvalue())


def test_scanned_pdf_without_text_is_reported_not_indexed_empty() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 100, 100, style="F")  # an image-like page: no text layer
    with pytest.raises(SourceError, match="no extractable text"):
        _read("warranty-claims.pdf", bytes(pdf.output()))


@pytest.mark.parametrize(
    "name", ["warranty-claims.pdf", "onboarding-guide.docx", "sales-2025.xlsx", "roadmap-2026.pptx"]
)
def test_corrupt_binary_files_are_source_errors(name: str) -> None:
    with pytest.raises(SourceError):
        _read(name, b"this is not a real file at all" * 10)


def test_zip_bomb_is_refused_before_inflating() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(SourceError, match="zip bomb"):
        _read("onboarding-guide.docx", buffer.getvalue())
