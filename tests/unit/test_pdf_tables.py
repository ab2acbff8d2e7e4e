"""Tables in text PDFs become records (pdfplumber), whose cells reach the search result and a
citation's `record`; CSV rows carry their cells the same way."""

import io
from pathlib import Path

from rag.app import RagApp
from rag.connectors import RawSource
from rag.connectors.files import scan_path
from rag.ingest.pages import PageWriter
from rag.ingest.readers import read_documents
from tests.scans import PRICE_TABLE, table_pdf, text_pdf


def _read(data: bytes, file_type: str):
    return read_documents(RawSource(f"/t.{file_type}", file_type, read=lambda: data), data)


def test_a_pdf_table_reads_as_records_between_the_text_above_and_below_it() -> None:
    (page,) = _read(table_pdf(), "pdf")

    assert page.text.splitlines() == [
        "Battery price list 2026. Prices include VAT.",
        "Model: Aurora K1; Capacity: 10 kWh; Price: 5,900 EUR; Warranty: 8 years",
        "Model: Aurora K2; Capacity: 13.5 kWh; Price: 7,450 EUR; Warranty: 10 years",
        "Model: Aurora K3 Max; Capacity: 20 kWh; Price: 10,200 EUR; Warranty: 12 years",
        "Installation is quoted separately by the service centre.",
    ]
    records = page.metadata["records"]
    assert [r["record"] for r in records] == [
        dict(zip(PRICE_TABLE[0], row, strict=True)) for row in PRICE_TABLE[1:]
    ]
    for record in records:
        assert page.text[record["start"] : record["end"]].startswith(
            "Model: " + record["record"]["Model"]
        )


def test_a_pdf_without_a_table_keeps_pypdfs_text() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for x1, y1, x2, y2 in [
        (20, 20, 120, 20),
        (120, 20, 120, 50),
        (120, 50, 20, 50),
        (20, 50, 20, 20),
    ]:
        pdf.line(x1, y1, x2, y2)  # a box of four rules is a frame, not a table: one cell
    pdf.text(25, 30, "Framed note: the gate code is 4711.")
    (page,) = _read(bytes(pdf.output()), "pdf")
    assert page.text == "Framed note: the gate code is 4711." and "records" not in page.metadata


def test_csv_rows_carry_their_cells_at_their_offsets() -> None:
    (page,) = _read(b"city,phone\nRotterdam,+31 10 555\n,\nGhent,+32 9 555\n", "csv")

    assert page.text == "city: Rotterdam; phone: +31 10 555\ncity: Ghent; phone: +32 9 555"
    spans = [(r["start"], r["end"], r["record"]) for r in page.metadata["records"]]
    assert [(page.text[s:e], cells) for s, e, cells in spans] == [
        ("city: Rotterdam; phone: +31 10 555", {"city": "Rotterdam", "phone": "+31 10 555"}),
        ("city: Ghent; phone: +32 9 555", {"city": "Ghent", "phone": "+32 9 555"}),
    ]


def test_page_writer_records_skip_empty_cells() -> None:
    writer = PageWriter()
    writer.line("Sheet: Prices")
    writer.table(["item", "price", "note"], [["bolt", "0.10", ""], ["", "", ""]])
    page = writer.page(3)
    assert page.text == "Sheet: Prices\nitem: bolt; price: 0.10"
    (record,) = page.records
    assert (record.start, record.end, record.cells) == (14, 37, {"item": "bolt", "price": "0.10"})


def test_a_quote_inside_one_row_cites_that_row(rag_app: RagApp, tmp_path: Path) -> None:
    (tmp_path / "prices.pdf").write_bytes(table_pdf())
    rag_app.indexer.sync([scan_path(tmp_path / "prices.pdf", 10**6)], "default")
    (hit,) = rag_app.search(rag_app.ask_request("Aurora K2 price", top_k=1))

    quote = hit.text.index("Aurora K2") + hit.start
    fields = hit.span_fields(quote, quote + len("Aurora K2"))
    assert fields == {"record": dict(zip(PRICE_TABLE[0], PRICE_TABLE[2], strict=True))}
    assert "record" not in hit.span_fields(hit.start, hit.end)  # the chunk holds several rows


def test_only_pages_that_draw_rules_are_searched_for_tables(monkeypatch) -> None:
    from pypdf import PdfReader, PdfWriter

    from rag.ingest import pdf as pdf_reader

    searched: list[list[int]] = []
    real = pdf_reader.pages_with_tables

    def spy(data: bytes, numbers: list[int]):
        searched.append(list(numbers))
        return real(data, numbers)

    monkeypatch.setattr(pdf_reader, "pages_with_tables", spy)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(text_pdf("Plain prose, no table here."))))
    writer.append(PdfReader(io.BytesIO(table_pdf())))
    buffer = io.BytesIO()
    writer.write(buffer)

    first, second = _read(buffer.getvalue(), "pdf")
    assert searched == [[2]]
    assert "records" not in first.metadata and len(second.metadata["records"]) == 3
