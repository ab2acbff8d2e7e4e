"""A reader's table → a typed engine table: rows go in through Python, never from a file.

Rows the reader holds as Arrow (a CSV, rag/ingest/arrow_rows.py) are scanned in place by the
engine; others are inserted as text into a staging table, an Arrow batch per statement
(rag/tables/batches.py), so memory holds one batch of them, never the table. Each column's
distinct shapes (digits 2-9 read as 1: "1,234.50" and "7,450.00" are one shape "1,111.10") are
gathered on the way, so Python's rules (rag/tables/types.py) see a few hundred values, not a
million; the engine converts every cell in one statement, and a column where any cell does not
convert as its type says stays text, as written.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from rag.ingest.arrow_rows import ArrowRows
from rag.ingest.pages import PageTable
from rag.tables.batches import ColumnShapes, arrow_batches, gather, held_rows
from rag.tables.schema import ROW_COLUMN, Column
from rag.tables.types import (
    BIGINT,
    CURRENCY_CODES,
    DATE,
    DATE_FORMATS,
    DOUBLE,
    NULL_TOKENS,
    VARCHAR,
    ColumnType,
)

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


def create_and_load(
    cursor: Any, target: str, table: PageTable
) -> tuple[list[Column], int, list[tuple[int, list[str]]]]:
    """CREATE the table `target` (a quoted, qualified name) with typed columns and every row;
    returns its columns, the number of rows and the raw cells of the rows written into the page
    text (those with a span), for their citations."""
    names = _sql_names(table.header)
    shapes = [ColumnShapes(header) for header in table.header]
    spanned: list[tuple[int, list[str]]] = []
    held = held_rows(table, len(names))
    if held is not None:
        rows, loaded = _held(cursor, held, table, names, shapes, spanned), len(held)
    else:
        rows, loaded = _staged(cursor, target, table, names, shapes, spanned)
    kinds, plain = [], []
    for column in shapes:
        # What _typed, _any_shape and _verified read: the column's shapes and (for a date
        # column) its values, each at most once.
        cursor.register("rag_shapes", column.table())
        cursor.register("rag_values", column.values())
        kind = _typed(cursor, column.inference.result())
        # Numbers written with digits, separators and a sign only convert without the regexes.
        is_plain = kind.sql in (BIGINT, DOUBLE) and not _any_shape(cursor, "NOT " + _PLAIN)
        kinds.append(_verified(cursor, kind, is_plain))
        plain.append(is_plain)
        cursor.unregister("rag_shapes")
        cursor.unregister("rag_values")
    converted = ", ".join(
        f"CAST({_converted(quote(n), k, p)} AS {k.sql}) AS {quote(n)}"
        for n, k, p in zip(names, kinds, plain, strict=True)
    )
    cursor.execute(
        f"CREATE TABLE {target} AS SELECT {quote(ROW_COLUMN)}, {converted} "  # noqa: S608
        f"FROM {rows}"
    )
    if held is not None:
        cursor.unregister("rag_rows")
    else:
        cursor.execute(f"DROP TABLE {rows}")
    columns = [
        Column(header, name, kind.sql, kind.unit)
        for header, name, kind in zip(table.header, names, kinds, strict=True)
    ]
    return columns, loaded, spanned


def _held(
    cursor: Any,
    held: ArrowRows,
    table: PageTable,
    names: list[str],
    shapes: list[ColumnShapes],
    spanned: list[tuple[int, list[str]]],
) -> str:
    """Rows the reader holds as Arrow, scanned in place: a subquery naming each cell of
    their lists as its column."""
    gather(held, shapes, spanned, table.spans)
    cursor.register("rag_rows", held.table)
    cells = ", ".join(f"cells[{i}] AS {quote(n)}" for i, n in enumerate(names, start=1))
    return f"(SELECT row AS {quote(ROW_COLUMN)}, {cells} FROM rag_rows)"  # noqa: S608


def _staged(
    cursor: Any,
    target: str,
    table: PageTable,
    names: list[str],
    shapes: list[ColumnShapes],
    spanned: list[tuple[int, list[str]]],
) -> tuple[str, int]:
    """Rows read from the reader, inserted as text into a temporary table a batch at a time;
    returns its name and the number of rows."""
    staging = quote(f"staging_{abs(hash(target))}")
    text_columns = ", ".join(f"{quote(n)} VARCHAR" for n in names)
    cursor.execute(f"CREATE TEMP TABLE {staging} ({quote(ROW_COLUMN)} BIGINT, {text_columns})")
    loaded = 0
    for batch in arrow_batches(table, names, spanned):
        for column, cells in zip(shapes, batch.columns[1:], strict=True):
            column.add(cells)
        # An Arrow batch is scanned in place, several times faster than list parameters.
        cursor.register("rag_batch", batch)
        cursor.execute(f"INSERT INTO {staging} SELECT * FROM rag_batch")  # noqa: S608
        cursor.unregister("rag_batch")
        loaded += batch.num_rows
    return staging, loaded


def _sql_names(header: Sequence[str]) -> list[str]:
    """Each column's SQL name: unique, never the hidden row column."""
    taken = {ROW_COLUMN.strip("_"), ROW_COLUMN}
    return [unique(sql_identifier(h, f"column_{i + 1}"), taken) for i, h in enumerate(header)]


def _typed(cursor: Any, kind: ColumnType) -> ColumnType:
    """`kind`, with slash dates told day-first or month-first from the real values (a part
    above 12)."""
    if kind.sql != DATE or not _any_shape(cursor, "contains(v, '/')"):
        return kind
    day_first, month_first = cursor.execute(
        "SELECT bool_or(TRY_CAST(split_part(v, '/', 1) AS INTEGER) > 12), "
        "bool_or(TRY_CAST(split_part(v, '/', 2) AS INTEGER) > 12) FROM rag_values "
        "WHERE regexp_full_match(trim(v), '\\d{1,2}/\\d{1,2}/\\d{4}')"
    ).fetchall()[0]
    if day_first and month_first:
        return ColumnType(VARCHAR)
    return replace(kind, day_first=not month_first)


def _any_shape(cursor: Any, condition: str) -> bool:
    return bool(
        cursor.execute(
            f"SELECT bool_or({condition}) FROM rag_shapes WHERE {_present('v')}"  # noqa: S608
        ).fetchall()[0][0]
    )


def _verified(cursor: Any, kind: ColumnType, plain: bool) -> ColumnType:
    """The type, or text when some cell does not convert under it. Whether a number converts
    depends on its shape only, so the distinct shapes are tried; dates (a 30th of February has
    a valid shape) on their distinct values."""
    if kind.sql == VARCHAR:
        return kind
    values = "(SELECT DISTINCT v FROM rag_values)" if kind.sql == DATE else "rag_shapes"
    failed = cursor.execute(
        f"SELECT count(*) FROM {values} "  # noqa: S608
        f"WHERE {_present('v')} AND {_converted('v', kind, plain)} IS NULL"
    ).fetchall()[0][0]
    return ColumnType(VARCHAR) if failed else kind


def _present(column: str) -> str:
    tokens = ", ".join(_literal(t) for t in sorted(NULL_TOKENS))
    return f"({column} IS NOT NULL AND lower(trim({column})) NOT IN ({tokens}))"


def _converted(column: str, kind: ColumnType, plain: bool = False) -> str:
    """The SQL that reads a text cell as `kind` reads it (types.parse_cell), NULL when it
    does not; `plain`: the column's numbers hold only digits, separators and a sign."""
    if kind.sql == VARCHAR:
        return f"NULLIF({column}, '')"
    value = f"trim({column})"
    if kind.sql == DATE:
        forms = list(DATE_FORMATS) + (["%d/%m/%Y"] if kind.day_first else ["%m/%d/%Y"])
        tries = ", ".join(f"try_strptime({value}, {_literal(f)})" for f in forms)
        return f"CASE WHEN {_present(column)} THEN CAST(COALESCE({tries}) AS DATE) END"
    if plain:
        digits = (
            f"replace(replace({value}, '.', ''), ',', '.')"
            if kind.decimal_comma
            else f"replace({value}, ',', '')"
        )
        return f"CASE WHEN {_present(column)} THEN TRY_CAST({digits} AS {kind.sql}) END"
    negative = f"regexp_full_match({value}, '\\(.*\\)')"
    inner = f"CASE WHEN {negative} THEN substr({value}, 2, length({value}) - 2) ELSE {value} END"
    bare = f"regexp_replace({inner}, {_literal(_MARKS)}, '', 'g')"
    digits = (
        f"replace(replace({bare}, '.', ''), ',', '.')"
        if kind.decimal_comma
        else f"replace({bare}, ',', '')"
    )
    sign = f"CASE WHEN {negative} THEN -1 ELSE 1 END"
    pattern = "[+-]?[0-9]+" if kind.sql == BIGINT else "[+-]?[0-9]*[.]?[0-9]+"
    number = (
        f"CASE WHEN regexp_full_match({digits}, '{pattern}') "
        f"THEN TRY_CAST({digits} AS {kind.sql}) END"
    )
    return f"CASE WHEN {_present(column)} THEN {number} * {sign} END"


_PLAIN = "regexp_full_match(trim(v), '[+-]?[0-9][0-9.,]*')"
# What a number is written with besides its digits: units, currency, white space.
_MARKS = (
    r"(?i)\s|\x{00a0}|\x{202f}|'|%|[€$£¥₹₩]|\b("
    + "|".join(sorted(CURRENCY_CODES))
    + r")\b|\b(euro|dollar|pound)s?\b"
)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def text_samples(cursor: Any, target: str, column: Column) -> tuple[str, ...]:
    """A text column's most frequent distinct values (up to MAX_SAMPLES)."""
    name = quote(column.sql_name)
    rows = cursor.execute(
        f"SELECT {name} FROM {target} WHERE {name} IS NOT NULL "  # noqa: S608
        f"GROUP BY {name} ORDER BY count(*) DESC, {name} LIMIT {MAX_SAMPLES}"
    ).fetchall()
    return tuple(str(value) for (value,) in rows)
