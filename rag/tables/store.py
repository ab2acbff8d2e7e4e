"""The table store: every ingested table as a typed DuckDB table, in step with the ledger.

API (for the table answerer and the front doors; data types in rag/tables/schema.py):

    store = app.tables                                   # TableStore, built by rag/app
    store.schemas(collection) -> list[TableSchema]       # name, source, document_id, sheet,
        # page, number, location ("sheet Prices"), columns: [Column(name, sql_name, type,
        # unit, samples)], row_count
    store.schema(collection, name) -> TableSchema        # NotFoundError when absent
    store.select(collection, sql, params=None, *, max_rows=1000, timeout_s=5.0)
        -> QueryResult(columns, rows, truncated, elapsed_ms)   # TableQueryError if refused
    store.preview(collection, name, *, limit=20, offset=0) -> QueryResult   # by row number
    store.row_citations(collection, table, row_numbers) -> list[RowCitation]
        # RowCitation(table, row, source, document_id, page, start, end, text, record,
        # location="sheet Sales 2025, row 3"); schema.location_label(table, rows) for ranges
    # the ingest side: replace_source(collection, source, document_id, content_hash, pages),
    # rename_source, drop_source, drop_collection, sources(collection) -> {source: hash}

SQL names a table by `TableSchema.name` and a column by `Column.sql_name` (lower-case
identifiers; double-quote them). Every table has a hidden BIGINT column `__row`
(schema.ROW_COLUMN): the row's number in its source (the header is row `header_row`, usually 1),
which `row_citations` turns into citations.

One DuckDB file in the data directory, opened once by the process that owns the index. The
engine is locked down before any query: no external access (no file or network reads or
writes from SQL), no extension installed or loaded, configuration locked. Rows come in through
Python (rag/tables/load.py); queries are one SELECT validated by rag/tables/guard.py over the
collection's registered tables, run with a time limit (interrupted from a timer) and a row limit.

Each collection's tables live in their own schema; the catalog (schema `rag_catalog`) records
each table's source, location, columns and the spans of its rows in the page text. A source's
tables are replaced in one transaction, so a reader never sees half a table.
"""

import json
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rag.errors import NotFoundError, StoreError, TableQueryError
from rag.ingest.pages import Page, record_line, record_pairs
from rag.tables.catalog import (
    CATALOG,
    LOCKED_DOWN,
    TABLE_FIELDS,
    Transaction,
    schema_name,
    schema_of,
)
from rag.tables.guard import check_select
from rag.tables.load import (
    create_and_load,
    quote,
    table_names,
    text_samples,
)
from rag.tables.schema import (
    ROW_COLUMN,
    QueryResult,
    RowCitation,
    TableSchema,
    rows_label,
)

log = logging.getLogger(__name__)


class TableStore:
    def __init__(self, path: Path, memory_limit: str = "1GB") -> None:
        import duckdb

        try:
            self._con = duckdb.connect(
                str(path), config={**LOCKED_DOWN, "memory_limit": memory_limit}
            )
            self._con.execute(CATALOG)
            self._con.execute("SET lock_configuration = true")
        except duckdb.Error as exc:
            raise StoreError(f"cannot open the table store {path}: {exc}") from None
        self._write_lock = threading.Lock()

    def close(self) -> None:
        self._con.close()

    # reading --------------------------------------------------------------------------------

    def schemas(self, collection: str) -> list[TableSchema]:
        """The collection's tables, by name."""
        rows = self._read(
            f"SELECT {TABLE_FIELDS} FROM rag_catalog.tables WHERE collection = ? ORDER BY name",  # noqa: S608
            [collection],
        )
        return [schema_of(collection, row) for row in rows]

    def schema(self, collection: str, name: str) -> TableSchema:
        rows = self._read(
            f"SELECT {TABLE_FIELDS} FROM rag_catalog.tables "  # noqa: S608
            "WHERE collection = ? AND name = lower(?)",
            [collection, name],
        )
        if not rows:
            raise NotFoundError(f"no table {name!r} in collection {collection!r}")
        return schema_of(collection, rows[0])

    def select(
        self,
        collection: str,
        sql: str,
        params: Sequence[Any] | dict[str, Any] | None = None,
        *,
        max_rows: int = 1000,
        timeout_s: float = 5.0,
    ) -> QueryResult:
        """Run one SELECT over the collection's tables (named bare, as `TableSchema.name`).

        Refused with TableQueryError: anything but a single SELECT (DDL, DML, COPY, ATTACH,
        INSTALL/LOAD, PRAGMA, SET...), a table function or file function (read_csv, glob...),
        a table not registered in `collection`. Failing (unknown column, type error) and
        running past `timeout_s` are TableQueryErrors too. At most `max_rows` rows come back
        (`truncated` says more matched). `params` bind `?` or `$name` placeholders."""
        import duckdb

        names = {
            name
            for (name,) in self._read(
                "SELECT name FROM rag_catalog.tables WHERE collection = ?", [collection]
            )
        }
        cursor = self._con.cursor()
        try:
            text = check_select(cursor, sql, names)
            if names:
                cursor.execute(f"SET search_path = '{schema_name(collection)}'")
            timer = threading.Timer(timeout_s, cursor.interrupt)
            timer.start()
            started = time.perf_counter()
            try:
                result = cursor.execute(text, params or [])
                rows = result.fetchmany(max_rows + 1)
                columns = tuple(d[0] for d in result.description or ())
            except duckdb.InterruptException:
                raise TableQueryError(
                    f"the query ran past its {timeout_s:g} s time limit and was stopped"
                ) from None
            except duckdb.Error as exc:
                message = str(exc).strip().splitlines()[0]
                raise TableQueryError(f"the query failed: {message}") from None
            finally:
                timer.cancel()
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            cursor.close()
        return QueryResult(columns, rows[:max_rows], len(rows) > max_rows, elapsed)

    def preview(
        self, collection: str, name: str, *, limit: int = 20, offset: int = 0
    ) -> QueryResult:
        """A page of the table's rows in source order, the row number first."""
        table = self.schema(collection, name)
        columns = ", ".join(quote(c.sql_name) for c in table.columns)
        return self.select(
            collection,
            f"SELECT {quote(ROW_COLUMN)}, {columns} FROM {quote(table.name)} "  # noqa: S608
            f"ORDER BY {quote(ROW_COLUMN)} LIMIT ? OFFSET ?",
            [max(0, int(limit)), max(0, int(offset))],
            max_rows=max(1, int(limit)),
        )

    def row_citations(
        self, collection: str, table: str, row_numbers: Iterable[int]
    ) -> list[RowCitation]:
        """Citations of the table's rows (row numbers as in `__row`), in the order asked;
        numbers the table does not have are left out."""
        schema = self.schema(collection, table)
        wanted = [int(n) for n in dict.fromkeys(row_numbers)]
        if not wanted:
            return []
        spanned = {
            row: (page, start, end, text, json.loads(record))
            for row, page, start, end, text, record in self._read(
                "SELECT row_number, page, start_offset, end_offset, text, record "
                "FROM rag_catalog.spans WHERE collection = ? AND name = ? "
                "AND list_contains(?::BIGINT[], row_number)",
                [collection, schema.name, wanted],
            )
        }
        cells = self._row_cells(collection, schema, [n for n in wanted if n not in spanned])
        citations = []
        for number in wanted:
            if number in spanned:
                page, start, end, text, record = spanned[number]
            elif number in cells:
                record = cells[number]
                page, start, end, text = schema.page, None, None, record_line(record.items())
            else:
                continue
            citations.append(
                RowCitation(
                    table=schema.name,
                    row=number,
                    source=schema.source,
                    document_id=schema.document_id,
                    page=page,
                    start=start,
                    end=end,
                    text=text,
                    record=record,
                    location=f"{schema.location}, {rows_label([number])}",
                )
            )
        return citations

    def _row_cells(
        self, collection: str, schema: TableSchema, numbers: list[int]
    ) -> dict[int, dict[str, str]]:
        if not numbers:
            return {}
        columns = ", ".join(quote(c.sql_name) for c in schema.columns)
        target = f"{quote(schema_name(collection))}.{quote(schema.name)}"
        rows = self._read(
            f"SELECT {quote(ROW_COLUMN)}, {columns} FROM {target} "  # noqa: S608
            f"WHERE list_contains(?::BIGINT[], {quote(ROW_COLUMN)})",
            [numbers],
        )
        return {
            int(row[0]): {
                c.name: _cell_text(value)
                for c, value in zip(schema.columns, row[1:], strict=True)
                if value is not None
            }
            for row in rows
        }

    def sources(self, collection: str) -> dict[str, str]:
        """Every source whose tables were registered (none is fine), with its content hash."""
        return dict(
            self._read(
                "SELECT source, content_hash FROM rag_catalog.sources WHERE collection = ?",
                [collection],
            )
        )

    def collections(self) -> list[str]:
        return [c for (c,) in self._read("SELECT DISTINCT collection FROM rag_catalog.sources")]

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._con.cursor()
        try:
            return cursor.execute(sql, params).fetchall()
        finally:
            cursor.close()

    # writing, in step with the ledger ---------------------------------------------------------

    def replace_source(
        self,
        collection: str,
        source: str,
        document_id: str,
        content_hash: str,
        pages: Sequence[Page],
    ) -> list[str]:
        """Register the tables of `source`'s pages in place of the ones it had, in one
        transaction; returns their names. A source without tables is recorded too (with its
        hash), so `rag doctor` can tell a source whose tables are stale."""
        tables = [(page, table) for page in pages for table in page.tables]
        with self._transaction() as cursor:
            self._drop_source(cursor, collection, source)
            taken = {
                n
                for (n,) in cursor.execute(
                    "SELECT name FROM rag_catalog.tables WHERE collection = ?", [collection]
                ).fetchall()
            }
            names = table_names(source, [t for _, t in tables], taken)
            if tables:
                cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(schema_name(collection))}")
            for number, (name, (page, table)) in enumerate(zip(names, tables, strict=True), 1):
                target = f"{quote(schema_name(collection))}.{quote(name)}"
                typed, count, spanned = create_and_load(cursor, target, table)
                columns = [
                    replace(c, samples=text_samples(cursor, target, c))
                    if c.type == "VARCHAR"
                    else c
                    for c in typed
                ]
                cursor.execute(
                    "INSERT INTO rag_catalog.tables VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        collection,
                        name,
                        source,
                        document_id,
                        table.sheet,
                        table.page,
                        number,
                        table.header_row,
                        json.dumps([c.to_json() for c in columns]),
                        count,
                    ],
                )
                self._insert_spans(
                    cursor, collection, name, page, table.header, spanned, table.spans
                )
            cursor.execute(
                "INSERT INTO rag_catalog.sources VALUES (?, ?, ?)",
                [collection, source, content_hash],
            )
        return names

    @staticmethod
    def _insert_spans(
        cursor: Any,
        collection: str,
        name: str,
        page: Page,
        header: Sequence[str],
        spanned: list[tuple[int, list[str]]],
        spans: dict[int, tuple[int, int]] | Any,
    ) -> None:
        if not spanned:
            return
        numbers, starts, ends, texts, records = [], [], [], [], []
        for number, cells in spanned:
            start, end = spans[number]
            numbers.append(number)
            starts.append(start)
            ends.append(end)
            texts.append(page.text[start:end])
            records.append(json.dumps(dict(record_pairs(header, cells))))
        cursor.execute(
            "INSERT INTO rag_catalog.spans SELECT ?, ?, unnest(?::BIGINT[]), ?, "
            "unnest(?::BIGINT[]), unnest(?::BIGINT[]), unnest(?::VARCHAR[]), "
            "unnest(?::VARCHAR[])",
            [collection, name, numbers, page.number, starts, ends, texts, records],
        )

    def rename_source(self, collection: str, old: str, new: str, document_id: str) -> None:
        """A moved file keeps its tables (and their names) under its new source."""
        with self._transaction() as cursor:
            cursor.execute(
                "DELETE FROM rag_catalog.sources WHERE collection = ? AND source = ?",
                [collection, new],
            )
            for table in ("sources", "tables"):
                extra = ", document_id = ?" if table == "tables" else ""
                params = [new, document_id] if table == "tables" else [new]
                cursor.execute(
                    f"UPDATE rag_catalog.{table} SET source = ?{extra} "  # noqa: S608
                    "WHERE collection = ? AND source = ?",
                    [*params, collection, old],
                )

    def drop_source(self, collection: str, source: str) -> None:
        with self._transaction() as cursor:
            self._drop_source(cursor, collection, source)

    def drop_collection(self, collection: str) -> None:
        with self._transaction() as cursor:
            for table in ("sources", "tables", "spans"):
                cursor.execute(
                    f"DELETE FROM rag_catalog.{table} WHERE collection = ?",  # noqa: S608
                    [collection],
                )
            cursor.execute(f"DROP SCHEMA IF EXISTS {quote(schema_name(collection))} CASCADE")

    def _drop_source(self, cursor: Any, collection: str, source: str) -> None:
        names = [
            n
            for (n,) in cursor.execute(
                "SELECT name FROM rag_catalog.tables WHERE collection = ? AND source = ?",
                [collection, source],
            ).fetchall()
        ]
        for name in names:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(schema_name(collection))}.{quote(name)}")
            cursor.execute(
                "DELETE FROM rag_catalog.spans WHERE collection = ? AND name = ?",
                [collection, name],
            )
        cursor.execute(
            "DELETE FROM rag_catalog.tables WHERE collection = ? AND source = ?",
            [collection, source],
        )
        cursor.execute(
            "DELETE FROM rag_catalog.sources WHERE collection = ? AND source = ?",
            [collection, source],
        )

    def _transaction(self) -> Transaction:
        return Transaction(self._con, self._write_lock)


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
