"""Tables as the readers find them (pages.PageTable), and their column types (rag/tables/types):
headers below titles, ragged rows, merged cells, cached formula values, pipe tables, samples of
long tables; numbers with separators, money, percentages, dates."""

import io
import re
import zipfile
from datetime import date

import pytest

from rag.ingest import readers
from rag.ingest.ocr import OcrConfig
from rag.ingest.pages import SAMPLE_ROWS, TEXT_ROWS, Page, PageTable
from rag.plugins.kinds import ReaderContext
from rag.tables.types import BIGINT, DATE, DOUBLE, VARCHAR, infer_type, parse_cell


def _read(reader: readers.FormatReader, data: bytes) -> list[Page]:
    return reader.read(data, ReaderContext("/t/file", reader.file_type, {}, OcrConfig()))


def _tables(pages: list[Page]) -> list[PageTable]:
    return [table for page in pages for table in page.tables]


def _span_text(page: Page, table: PageTable, row: int) -> str:
    start, end = table.spans[row]
    return page.text[start:end]


def test_a_csv_header_below_a_title_and_ragged_rows_lose_no_cell() -> None:
    data = b"Service centres 2025\n\ncity,hours\nGhent,8-18,extra note\nLille\n"
    [page] = _read(readers.CSV, data)
    [table] = page.tables
    assert table.header == ("city", "hours", "column 3")
    assert table.header_row == 3
    assert list(table.rows()) == [(4, ["Ghent", "8-18", "extra note"]), (5, ["Lille", "", ""])]
    assert _span_text(page, table, 4) == "city: Ghent; hours: 8-18; column 3: extra note"
    assert page.text.startswith("Service centres 2025\n")


def test_a_long_csv_is_written_as_a_summary_and_a_sample_but_kept_whole() -> None:
    rows = TEXT_ROWS + 500
    data = ("id,amount\n" + "".join(f"{i},{i * 2}\n" for i in range(rows))).encode()
    [page] = _read(readers.CSV, data)
    [table] = page.tables
    assert table.row_count == rows and sum(1 for _ in table.rows()) == rows
    assert f"Table of {rows} rows with columns id, amount" in page.text
    assert len(table.spans) == SAMPLE_ROWS == len(page.records)
    for row in list(table.spans)[:5]:
        assert re.fullmatch(r"id: \d+; amount: \d+", _span_text(page, table, row))


def _xlsx(build, patch: dict[str, str] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    build(book)
    buffer = io.BytesIO()
    book.save(buffer)
    if not patch:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in patch:
                old, new = patch[item.filename].split("=>")
                content = content.decode().replace(old, new).encode()
            target.writestr(item, content)
    return out.getvalue()


def test_xlsx_formulas_give_their_cached_values_never_evaluated() -> None:
    def build(book) -> None:
        sheet = book.active
        sheet.title = "Prices"
        for row in (["Item", "Price", "Twice"], ["a", 10, "=B2*2"], ["b", 20, "=B3*2"]):
            sheet.append(row)

    # Excel caches 20 for B2*2; B3*2 has no cached value, as a file written by a script.
    data = _xlsx(build, {"xl/worksheets/sheet1.xml": "<f>B2*2</f><v></v>=><f>B2*2</f><v>20</v>"})
    [page] = _read(readers.XLSX, data)
    [table] = page.tables
    assert table.sheet == "Prices" and page.number == 1
    assert list(table.rows()) == [(2, ["a", "10", "20"]), (3, ["b", "20", ""])]


def test_xlsx_merged_cells_repeat_their_value_and_empty_sheets_give_no_table() -> None:
    def build(book) -> None:
        sheet = book.active
        sheet.title = "Sales"
        sheet.append(["Sales report"])
        sheet.append(["Region", "Quarter", "Amount"])
        sheet.append(["North", "Q1", 10])
        sheet.append([None, "Q2", 12])
        sheet.append(["South", "Q1", "12.5%"])
        sheet.merge_cells("A3:A4")
        book.create_sheet("Empty")

    pages = _read(readers.XLSX, _xlsx(build))
    [table] = _tables(pages)
    assert table.header == ("Region", "Quarter", "Amount") and table.header_row == 2
    assert [cells for _, cells in table.rows()] == [
        ["North", "Q1", "10"],
        ["North", "Q2", "12"],
        ["South", "Q1", "12.5%"],
    ]
    assert pages[0].text.startswith("Sheet: Sales\nSales report\n")


def test_pipe_tables_in_markdown_and_html_keep_their_text_and_point_at_their_lines() -> None:
    markdown = b"# Prices\n\n| Product | Price |\n|---|--:|\n| K2 | 7,450 |\n| G3 | 1,290 |\n\nEnd."
    [page] = _read(readers.MARKDOWN, markdown)
    assert page.text == markdown.decode() and not page.records
    [table] = page.tables
    assert list(table.rows()) == [(2, ["K2", "7,450"]), (3, ["G3", "1,290"])]
    assert _span_text(page, table, 3) == "| G3 | 1,290 |"
    html = (
        "<html><body><article><p>"
        + "Our prices for this season, all taxes included. " * 3
        + "</p><table><tr><th>Model</th><th>Price</th></tr><tr><td>K2</td><td>7,450</td></tr>"
        "<tr><td>G3</td><td>1,290</td></tr></table></article></body></html>"
    ).encode()
    [table] = _tables(_read(readers.HTML, html))
    assert table.header == ("Model", "Price")
    assert [cells for _, cells in table.rows()] == [["K2", "7,450"], ["G3", "1,290"]]


def test_docx_and_pptx_tables_become_records_and_tables() -> None:
    from docx import Document
    from pptx import Presentation
    from pptx.util import Inches

    doc = Document()
    doc.add_paragraph("Visits")
    grid = doc.add_table(rows=3, cols=2)
    for r, row in enumerate([["Day", "Visits"], ["Mon", "3"], ["Tue", "5"]]):
        for c, value in enumerate(row):
            grid.cell(r, c).text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    [page] = _read(readers.DOCX, buffer.getvalue())
    [table] = page.tables
    assert _span_text(page, table, 3) == "Day: Tue; Visits: 5"

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    shape = slide.shapes.add_table(3, 2, Inches(1), Inches(1), Inches(4), Inches(2))
    for r, row in enumerate([["Region", "Units"], ["North", "1,200"], ["South", "900"]]):
        for c, value in enumerate(row):
            shape.table.cell(r, c).text = value
    buffer = io.BytesIO()
    deck.save(buffer)
    [page] = _read(readers.PPTX, buffer.getvalue())
    [table] = page.tables
    assert table.page == 1 and _span_text(page, table, 2) == "Region: North; Units: 1,200"


@pytest.mark.parametrize(
    ("values", "header", "sql", "unit"),
    [
        (["1,290", "7,450", "180"], "Price", BIGINT, None),
        (["€ 1.290,50", "€ 12,00"], "Price", DOUBLE, "EUR"),
        (["$12", "-$3", "(4)"], "Net", BIGINT, "USD"),
        (["12.5%", "3%"], "Share", DOUBLE, "%"),
        (["140 euros", "45 euros"], "Hotel", BIGINT, "EUR"),
        (["3540", "4480", "n/a"], "Revenue (thousand euros)", BIGINT, "thousand euros"),
        (["5", "6"], "Sales (€)", BIGINT, "EUR"),
        (["2025-03-31", "2025-04-01"], "Day", DATE, None),
        (["31/03/2025", "01/04/2025"], "Day", DATE, None),
        (["007", "12"], "Code", VARCHAR, None),
        (["€1", "$2"], "Mixed", VARCHAR, None),
        (["12", "twelve"], "Count", VARCHAR, None),
        ([], "Nothing", VARCHAR, None),
    ],
)
def test_column_types_and_units(values: list[str], header: str, sql: str, unit: str | None) -> None:
    kind = infer_type(values, header)
    assert (kind.sql, kind.unit) == (sql, unit)


def test_cells_parse_as_their_column_reads_them() -> None:
    european = infer_type(["1.290,50", "12,5"])
    assert parse_cell("1.290,50", european) == 1290.5
    assert parse_cell("(300)", infer_type(["(300)", "4"])) == -300
    us_dates = infer_type(["03/31/2025", "04/01/2025"])
    assert parse_cell("04/01/2025", us_dates) == date(2025, 4, 1)
    assert parse_cell("-", infer_type(["1", "-"])) is None
    assert parse_cell('"; DROP TABLE x; --', infer_type(['"; DROP TABLE x; --'])) == (
        '"; DROP TABLE x; --'
    )
