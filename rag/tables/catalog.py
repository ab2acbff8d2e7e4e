"""The table store's own records in its DuckDB file: the catalog (schema `rag_catalog`) of each
collection's tables, its schemas per collection, and the transactions writes run in."""

import json
import threading
from typing import Any

from rag.tables.schema import Column, TableSchema

CATALOG = """
CREATE SCHEMA IF NOT EXISTS rag_catalog;
CREATE TABLE IF NOT EXISTS rag_catalog.sources (
    collection VARCHAR NOT NULL, source VARCHAR NOT NULL, content_hash VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS rag_catalog.tables (
    collection VARCHAR NOT NULL, name VARCHAR NOT NULL, source VARCHAR NOT NULL,
    document_id VARCHAR NOT NULL, sheet VARCHAR, page INTEGER, number INTEGER NOT NULL,
    header_row BIGINT NOT NULL, columns VARCHAR NOT NULL, row_count BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS rag_catalog.spans (
    collection VARCHAR NOT NULL, name VARCHAR NOT NULL, row_number BIGINT NOT NULL,
    page INTEGER, start_offset BIGINT NOT NULL, end_offset BIGINT NOT NULL,
    text VARCHAR NOT NULL, record VARCHAR NOT NULL
);
"""
LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}
TABLE_FIELDS = "name, source, document_id, sheet, page, number, header_row, columns, row_count"


class Transaction:
    """One write at a time, all of it or none of it."""

    def __init__(self, connection: Any, lock: threading.Lock) -> None:
        self._connection = connection
        self._lock = lock
        self._cursor: Any = None

    def __enter__(self) -> Any:
        self._lock.acquire()
        self._cursor = self._connection.cursor()
        self._cursor.execute("BEGIN TRANSACTION")
        return self._cursor

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            self._cursor.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self._cursor.close()
            self._lock.release()


def schema_name(collection: str) -> str:
    """Collection names are letters, digits, '-' and '_' (rag/datadir.py), one schema each."""
    return f"c_{collection.lower()}"


def schema_of(collection: str, row: tuple[Any, ...]) -> TableSchema:
    name, source, document_id, sheet, page, number, header_row, columns, row_count = row
    return TableSchema(
        name=name,
        collection=collection,
        source=source,
        document_id=document_id,
        sheet=sheet,
        page=page,
        number=number,
        columns=tuple(
            Column(c["name"], c["sql_name"], c["type"], c["unit"], tuple(c["samples"]))
            for c in json.loads(columns)
        ),
        row_count=row_count,
        header_row=header_row,
    )
