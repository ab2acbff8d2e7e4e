"""Tables in text PDFs, read with pdfplumber: each row becomes a "column: value; ..." record.

pypdf flattens a table into lines of cells, so "what does the K2 cost" loses the column that says
which number is the price. On a page where pdfplumber finds a ruled table (at least two rows and
two columns), the page text is rebuilt from top to bottom: the text above each table, then its
rows as records (the first row names the columns), then the text beside it. Pages without a table
keep pypdf's text. Tables drawn without rules are not detected and stay flattened.
"""

import io
import logging
from collections.abc import Collection
from typing import TYPE_CHECKING

from rag.ingest.grids import header_index
from rag.ingest.pages import Page, PageWriter

if TYPE_CHECKING:
    from pdfplumber.page import Page as PlumberPage
    from pdfplumber.table import Table

log = logging.getLogger(__name__)

_MIN_ROWS = 2
_MIN_COLUMNS = 2


def pages_with_tables(data: bytes, numbers: Collection[int]) -> dict[int, Page]:
    """The pages among `numbers` (1-based) that hold a table, rebuilt with their records.

    A PDF that pdfplumber cannot lay out gives {} (its pages keep pypdf's text, which is read)."""
    import pdfplumber

    rebuilt: dict[int, Page] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number in sorted(numbers):
                page = pdf.pages[number - 1]
                tables = [t for t in page.find_tables() if _is_table(t.extract())]
                if tables:
                    rebuilt[number] = _page_with_records(page, tables, number)
                page.close()
    except Exception as exc:  # noqa: BLE001 - tables are a refinement; pypdf's text still stands
        log.warning(
            "PDF tables not read (%s: %s); the pages keep their plain text", type(exc).__name__, exc
        )
        return {}
    return rebuilt


def _is_table(rows: list[list[str | None]]) -> bool:
    return len(rows) >= _MIN_ROWS and max(len(row) for row in rows) >= _MIN_COLUMNS


def _page_with_records(page: "PlumberPage", tables: list["Table"], number: int) -> Page:
    boxes = [table.bbox for table in tables]

    def outside_tables(obj: dict) -> bool:
        return not any(
            x0 <= obj["x0"] and obj["x1"] <= x1 and top <= obj["top"] and obj["bottom"] <= bottom
            for x0, top, x1, bottom in boxes
        )

    text_only = page.filter(outside_tables)
    writer = PageWriter()
    above = 0.0
    for table in sorted(tables, key=lambda t: t.bbox[1]):
        _, top, _, bottom = table.bbox
        _band_text(writer, text_only, above, top)
        grid = [[_cell(value) for value in row] for row in table.extract()]
        at = header_index(grid)  # a title row spanning the table sits above its header
        for title in grid[:at]:
            if any(title):
                writer.line(" ".join(cell for cell in title if cell))
        writer.table(grid[at], grid[at + 1 :], header_row=at + 1)
        _band_text(writer, text_only, top, bottom)
        above = max(above, bottom)
    _band_text(writer, text_only, above, float(page.height))
    return writer.page(number)


def _band_text(writer: PageWriter, page: "PlumberPage", top: float, bottom: float) -> None:
    if bottom <= top:
        return
    band = page.within_bbox((0, top, float(page.width), bottom), strict=False)
    text = band.extract_text().strip()
    if text:
        writer.line(text)


def _cell(value: str | None) -> str:
    """A cell's text on one line (cells wrap inside their box)."""
    return " ".join((value or "").split())
