"""What the table store tells its callers: a table's schema, a query's result, a row's citation.

Plain data, JSON-ready with `to_json()`; none of it holds an engine object.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

ROW_COLUMN = "__row"  # every registered table's hidden column: the row's number in its source


@dataclass(frozen=True)
class Column:
    """One column: its header as written (`name`), the identifier to use in SQL (`sql_name`,
    always safe to double-quote), its engine type (BIGINT, DOUBLE, DATE or VARCHAR) and the unit
    its numbers were written with ("EUR", "%", "thousand euros"; None when none). A VARCHAR
    column carries up to ~50 of its most frequent distinct values, for matching a question's
    words to values."""

    name: str
    sql_name: str
    type: str
    unit: str | None = None
    samples: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "samples": list(self.samples)}


@dataclass(frozen=True)
class TableSchema:
    """A registered table. `name` is what SQL names it (`<file stem>` plus `__<sheet or table
    number>` when its file holds several, unique in its collection); `sheet`/`page`/`number`
    say where it is in its source (`number`: the table's position among its file's, from 1)."""

    name: str
    collection: str
    source: str
    document_id: str
    sheet: str | None
    page: int | None
    number: int
    columns: tuple[Column, ...]
    row_count: int
    header_row: int = 1

    @property
    def location(self) -> str:
        """ "sheet Prices", "page 2, table 1" or "table 2"."""
        if self.sheet is not None:
            return f"sheet {self.sheet}"
        if self.page is not None:
            return f"page {self.page}, table {self.number}"
        return f"table {self.number}"

    def column(self, name: str) -> Column | None:
        """A column by its SQL name or its header (case ignored)."""
        wanted = name.casefold()
        return next(
            (c for c in self.columns if wanted in (c.sql_name.casefold(), c.name.casefold())),
            None,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "collection": self.collection,
            "source": self.source,
            "document_id": self.document_id,
            "sheet": self.sheet,
            "page": self.page,
            "number": self.number,
            "location": self.location,
            "columns": [c.to_json() for c in self.columns],
            "rows": self.row_count,
        }


@dataclass(frozen=True)
class QueryResult:
    """A query's column names and rows (at most the row limit; `truncated` when more matched)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    truncated: bool = False
    elapsed_ms: float = 0.0

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": list(self.columns),
            "rows": [[json_value(v) for v in row] for row in self.rows],
            "truncated": self.truncated,
            "elapsed_ms": round(self.elapsed_ms, 3),
        }


@dataclass(frozen=True)
class RowCitation:
    """What a citation of one table row needs (DESIGN.md citation fields). `start`/`end` index
    the page text of `source` (`text == extracted[start:end]`); they are None for a row of a
    large table that was not written into the text (only a sample is), whose `text` is then its
    record line as it would read."""

    table: str
    row: int
    source: str
    document_id: str
    page: int | None
    start: int | None
    end: int | None
    text: str
    record: dict[str, str] = field(default_factory=dict)
    location: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def rows_label(rows: Sequence[int]) -> str:
    """ "row 4", "rows 2-5" (consecutive) or "rows 2, 4, 7"."""
    ordered = sorted(set(rows))
    if len(ordered) == 1:
        return f"row {ordered[0]}"
    if ordered and ordered[-1] - ordered[0] == len(ordered) - 1:
        return f"rows {ordered[0]}-{ordered[-1]}"
    return "rows " + ", ".join(str(r) for r in ordered)


def location_label(table: TableSchema, rows: Sequence[int]) -> str:
    """ "sheet Prices, rows 2-5": where cited rows are, as a citation's `location` says."""
    return f"{table.location}, {rows_label(rows)}" if rows else table.location


def json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def tables_json(collection: str, tables: Sequence[TableSchema]) -> dict[str, Any]:
    """GET /v1/tables: each table's name, source, sheet/page, columns with types, rows."""
    listed = []
    for table in tables:
        shown = table.to_json()
        shown["columns"] = [
            {key: column[key] for key in ("name", "sql_name", "type", "unit")}
            for column in shown["columns"]
        ]
        listed.append(shown)
    return {"collection": collection, "tables": listed}


def table_page_json(
    table: TableSchema, preview: QueryResult, offset: int, limit: int
) -> dict[str, Any]:
    """GET /v1/tables/{name}: the schema (text columns with sample values) and a page of rows
    in source order, each starting with its row number."""
    return {
        "collection": table.collection,
        "table": table.to_json(),
        "preview": {**preview.to_json(), "offset": offset, "limit": limit},
    }
