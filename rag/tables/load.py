"""A reader's table → a typed engine table, streamed: rows go in through Python, in batches.

Two passes over the rows (PageTable.rows() reads them again each time): the first infers each
column's type (rag/tables/types.py), the second parses the cells and inserts a batch of rows per
statement, each column as one list parameter unnested, so memory holds one batch, never the
table, and the engine reads no file.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any

from rag.ingest.pages import PageTable
from rag.tables.schema import ROW_COLUMN, Column
from rag.tables.types import ColumnInference, ColumnType, parse_cell

BATCH_ROWS = 50_000
MAX_SAMPLES = 50


def quote(identifier: str) -> str:
    """`identifier` as a double-quoted SQL identifier (quotes doubled, NUL refused upstream)."""
    return '"' + identifier.replace('"', '""') + '"'


def sql_identifier(text: str, fallback: str) -> str:
    """A header or file name as a lower-case SQL identifier: "Revenue (k€)" → "revenue_k"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")
    if not name:
        return fallback
    return f"c_{name}" if name[0].isdigit() else name


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`... the first not in `taken` (which then holds it)."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate)
    return candidate


def file_stem(source: str) -> str:
    """The file name without its extension, of a path, a URL or an archive member."""
    tail = source.split("#")[-1].split("?")[0].rstrip("/")
    return PurePosixPath(tail).stem or "table"


def table_names(source: str, tables: Sequence[PageTable], taken: set[str]) -> list[str]:
    """DESIGN.md: `<file stem>`, plus `__<sheet or table number>` when the file holds several,
    made unique among `taken` (the collection's other tables, which then hold these too)."""
    stem = sql_identifier(file_stem(source), "table")
    if len(tables) == 1:
        return [unique(stem, taken)]
    return [
        unique(f"{stem}__{sql_identifier(t.sheet, str(i)) if t.sheet else i}", taken)
        for i, t in enumerate(tables, start=1)
    ]


def infer_columns(table: PageTable) -> list[tuple[Column, ColumnType]]:
    """Each column's SQL name (unique, never the hidden row column) and inferred type."""
    inferences = [ColumnInference(name) for name in table.header]
    for _, cells in table.rows():
        for inference, cell in zip(inferences, cells, strict=False):
            inference.add(cell)
    taken = {ROW_COLUMN.strip("_"), ROW_COLUMN}
    columns = []
    for index, (name, inference) in enumerate(zip(table.header, inferences, strict=True)):
        kind = inference.result()
        sql_name = unique(sql_identifier(name, f"column_{index + 1}"), taken)
        columns.append((Column(name, sql_name, kind.sql, kind.unit), kind))
    return columns


def create_and_load(
    cursor: Any, target: str, table: PageTable, columns: list[tuple[Column, ColumnType]]
) -> tuple[int, list[tuple[int, list[str]]]]:
    """CREATE the table `target` (a quoted, qualified name) and insert every row; returns the
    number of rows loaded and the raw cells of the rows written into the page text (those with
    a span), for their citations."""
    definitions = [f"{quote(ROW_COLUMN)} BIGINT"] + [
        f"{quote(column.sql_name)} {column.type}" for column, _ in columns
    ]
    cursor.execute(f"CREATE TABLE {target} ({', '.join(definitions)})")
    types = ["BIGINT"] + [column.type for column, _ in columns]
    insert = f"INSERT INTO {target} SELECT " + ", ".join(
        f"unnest(${i + 1}::{kind}[])" for i, kind in enumerate(types)
    )
    loaded, spanned = 0, []
    for batch in _batches(table.rows(), BATCH_ROWS):
        values: list[list[object]] = [[] for _ in types]
        for number, cells in batch:
            if number in table.spans:
                spanned.append((number, cells))
            values[0].append(number)
            for position, (_, kind) in enumerate(columns, start=1):
                cell = cells[position - 1] if position - 1 < len(cells) else ""
                values[position].append(parse_cell(cell, kind))
        cursor.execute(insert, values)
        loaded += len(batch)
    return loaded, spanned


def text_samples(cursor: Any, target: str, column: Column) -> tuple[str, ...]:
    """A text column's most frequent distinct values (up to MAX_SAMPLES)."""
    name = quote(column.sql_name)
    rows = cursor.execute(
        f"SELECT {name} FROM {target} WHERE {name} IS NOT NULL "  # noqa: S608
        f"GROUP BY {name} ORDER BY count(*) DESC, {name} LIMIT {MAX_SAMPLES}"
    ).fetchall()
    return tuple(str(value) for (value,) in rows)


def _batches(rows: Iterable[Any], size: int) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
