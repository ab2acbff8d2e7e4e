"""What a reader extracts from one page: its text, and what citations of it need to say.

A page's text is the reference for citations (`start`/`end` index into it). Text that came from
OCR carries Tesseract's mean word confidence; table rows written as records ("column: value; ...")
carry their span and cells, so a citation of a row can be shown as a small table.

A page also carries its tables whole (`PageTable`): header, raw rows with their row numbers in
the source, and where each row's record line stands in the text. rag/tables registers them in
the table engine. A table longer than TEXT_ROWS rows is written into the text as a summary and
a bounded sample of its rows (embedding a million rows would take hours); the engine still gets
every row (a CSV's rows are parsed once and held as Arrow, rag/ingest/arrow_rows.py).
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rag.ingest.arrow_rows import ArrowRows

# Tables up to this many rows are written into the page text whole; longer ones as a sample.
TEXT_ROWS = 2000
SAMPLE_ROWS = 200

NumberedRows = Callable[[], Iterator[tuple[int, list[str]]]]


@dataclass(frozen=True)
class TableRecord:
    """One table row in the page text: `text[start:end]` is its "column: value; ..." line."""

    start: int
    end: int
    cells: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "record": self.cells}


@dataclass(frozen=True)
class PageTable:
    """A table as its reader found it: the header, and its rows read again on each call of
    `rows()` (a large CSV streams), each as (its row number in the source, its cells, as many
    as the header). `spans` maps a row number to its record line's span in the page text (rows
    left out of the text, or without any value, have none)."""

    header: tuple[str, ...]
    rows: NumberedRows
    row_count: int
    spans: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    sheet: str | None = None  # the XLSX sheet's name
    page: int | None = None  # the page (PDF) or slide (PPTX) it is on
    header_row: int = 1  # the header's row number in the source


@dataclass(frozen=True)
class Page:
    text: str
    number: int | None = None  # 1-based for paged formats, None for the others
    ocr_confidence: float | None = None  # 0-1, set when the text came from OCR
    records: tuple[TableRecord, ...] = ()
    tables: tuple[PageTable, ...] = ()

    def metadata(self) -> dict[str, Any]:
        """The fields a llama-index Document of this page carries besides source and type."""
        meta: dict[str, Any] = {"page": self.number}
        if self.ocr_confidence is not None:
            meta["ocr_confidence"] = self.ocr_confidence
        if self.records:
            meta["records"] = [record.to_json() for record in self.records]
        return meta


def record_pairs(header: Sequence[str], row: Sequence[str]) -> list[tuple[str, str]]:
    """A table row as (column, value) pairs, empty cells left out."""
    return [(name, value) for name, value in zip(header, row, strict=False) if value]


def record_line(pairs: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in pairs)


def rectangular(
    header: Sequence[str], rows: Iterable[Sequence[str]]
) -> tuple[tuple[str, ...], int]:
    """The header widened to the widest row ("column 3" for a column without a name) and that
    width: ragged rows lose no cells."""
    width = max([len(header), *(len(row) for row in rows)])
    names = [*header, *([""] * (width - len(header)))]
    return tuple(name.strip() or f"column {i + 1}" for i, name in enumerate(names)), width


def _chosen(rows: NumberedRows, sample: set[int] | None) -> Iterable[tuple[int, list[str]]]:
    """Every row, or those at the `sample` positions."""
    if sample is None:
        return rows()
    if isinstance(rows, ArrowRows):
        return rows.take(sorted(sample))
    return (row for index, row in enumerate(rows()) if index in sample)


def _padded(cells: list[str], width: int) -> list[str]:
    return cells if len(cells) == width else [*cells, *([""] * (width - len(cells)))][:width]


@dataclass
class PageWriter:
    """Builds a page's text line by line, remembering where each table row stands in it."""

    _lines: list[str] = field(default_factory=list)
    _length: int = 0
    _records: list[TableRecord] = field(default_factory=list)
    _tables: list[PageTable] = field(default_factory=list)

    def line(self, text: str) -> int:
        """Append a line; returns where it starts in the page text."""
        start = self._length + (1 if self._lines else 0)
        self._lines.append(text)
        self._length = start + len(text)
        return start

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        sheet: str | None = None,
        header_row: int = 1,
        row_numbers: Sequence[int] | None = None,
    ) -> None:
        """Append each row with any value as a "column: value; ..." line of its own, and keep
        the table. Rows are numbered from the one after `header_row`, unless `row_numbers`
        gives each one's number in the source (a sheet's blank rows left out)."""
        names, width = rectangular(header, rows)
        numbers = row_numbers or range(header_row + 1, header_row + 1 + len(rows))
        numbered = [
            (n, _padded(list(row), width))
            for n, row in zip(numbers, rows, strict=True)
            if any(cell.strip() for cell in row)
        ]
        self._add_table(names, lambda: iter(numbered), len(numbered), sheet, header_row)

    def streamed_table(
        self,
        header: Sequence[str],
        rows: NumberedRows,
        *,
        sheet: str | None = None,
        header_row: int = 1,
    ) -> None:
        """A table read again on each call of `rows()` (its numbered rows, of any width),
        without holding them all: two passes here, one more when it is registered. Rows held
        as Arrow (ArrowRows) are counted and sampled there, without a pass."""
        if isinstance(rows, ArrowRows):
            count, widths = len(rows), rows.widths()
        else:
            count, widths = 0, set()
            for _, cells in rows():
                count += 1
                widths.add(len(cells))
        width = max([len(header), *widths])
        names, _ = rectangular(header, [[""] * width])

        def padded() -> Iterator[tuple[int, list[str]]]:
            return ((number, _padded(cells, width)) for number, cells in rows())

        # Rows as wide as the header (a well-formed CSV) need no padding pass.
        even = widths <= {width}
        self._add_table(names, rows if even else padded, count, sheet, header_row)

    def _add_table(
        self,
        header: tuple[str, ...],
        rows: NumberedRows,
        count: int,
        sheet: str | None,
        header_row: int,
    ) -> None:
        spans: dict[int, tuple[int, int]] = {}
        sample = None
        if count > TEXT_ROWS:
            step = count / SAMPLE_ROWS
            sample = {int(i * step) for i in range(SAMPLE_ROWS)}
            self.line(
                f"Table of {count} rows with columns {', '.join(header)}; "
                f"{SAMPLE_ROWS} of its rows, evenly spaced:"
            )
        for number, row in _chosen(rows, sample):
            pairs = record_pairs(header, row)
            if pairs:
                line = record_line(pairs)
                start = self.line(line)
                self._records.append(TableRecord(start, start + len(line), dict(pairs)))
                spans[number] = (start, start + len(line))
        if count:
            self._tables.append(PageTable(header, rows, count, spans, sheet, None, header_row))

    def page(self, number: int | None = None) -> Page:
        tables = tuple(replace(table, page=number) for table in self._tables)
        return Page("\n".join(self._lines), number, records=tuple(self._records), tables=tables)
