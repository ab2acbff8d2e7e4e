"""What a reader extracts from one page: its text, and what citations of it need to say.

A page's text is the reference for citations (`start`/`end` index into it). Text that came from
OCR carries Tesseract's mean word confidence; table rows written as records ("column: value; ...")
carry their span and cells, so a citation of a row can be shown as a small table.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TableRecord:
    """One table row in the page text: `text[start:end]` is its "column: value; ..." line."""

    start: int
    end: int
    cells: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "record": self.cells}


@dataclass(frozen=True)
class Page:
    text: str
    number: int | None = None  # 1-based for paged formats, None for the others
    ocr_confidence: float | None = None  # 0-1, set when the text came from OCR
    records: tuple[TableRecord, ...] = ()

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


@dataclass
class PageWriter:
    """Builds a page's text line by line, remembering where each table row stands in it."""

    _lines: list[str] = field(default_factory=list)
    _length: int = 0
    _records: list[TableRecord] = field(default_factory=list)

    def line(self, text: str) -> int:
        """Append a line; returns where it starts in the page text."""
        start = self._length + (1 if self._lines else 0)
        self._lines.append(text)
        self._length = start + len(text)
        return start

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Append each row with any value as a "column: value; ..." line of its own."""
        for row in rows:
            pairs = record_pairs(header, row)
            if pairs:
                line = record_line(pairs)
                start = self.line(line)
                self._records.append(TableRecord(start, start + len(line), dict(pairs)))

    def page(self, number: int | None = None) -> Page:
        return Page("\n".join(self._lines), number, records=tuple(self._records))
