"""The sync ledger: what is indexed, by content hash, per collection (DESIGN.md §5).

SQLite (stdlib, WAL journal). Each source row holds its content hash and the ids of its chunks.
`pending_deletes` holds chunk ids that are not, or no longer, current: new chunks are recorded
there *before* they are written to the store, and swapped for the old ones in one transaction
once written. Whatever is left in it after a crash is deleted from the store on the next open,
so queries never see two versions of a source or none.
"""

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rag.errors import RecipeMismatchError
from rag.store import VectorStore

# Bump when the chunk payload or vector layout changes: old collections then need `rag reindex`.
SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS recipe (
    collection TEXT PRIMARY KEY,
    recipe TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    collection TEXT NOT NULL,
    source_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    chunk_ids TEXT NOT NULL,
    file_type TEXT NOT NULL,
    indexed_at REAL NOT NULL,
    PRIMARY KEY (collection, source_id)
);
CREATE TABLE IF NOT EXISTS pending_deletes (
    collection TEXT NOT NULL,
    chunk_id TEXT NOT NULL,
    PRIMARY KEY (collection, chunk_id)
);
"""


@dataclass(frozen=True)
class SourceRecord:
    source_id: str
    document_id: str
    content_hash: str
    chunk_ids: tuple[str, ...]
    file_type: str
    indexed_at: float


class Ledger:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    # recipe ---------------------------------------------------------------------------------

    def check_recipe(self, collection: str, recipe: dict[str, object]) -> None:
        """Record the collection's recipe on first use; refuse a different one later."""
        row = self._db.execute(
            "SELECT recipe FROM recipe WHERE collection = ?", (collection,)
        ).fetchone()
        if row is None:
            self._db.execute(
                "INSERT INTO recipe VALUES (?, ?)", (collection, json.dumps(recipe, sort_keys=True))
            )
            return
        stored = json.loads(row[0])
        if stored != recipe:
            changed = sorted(
                k for k in stored.keys() | recipe.keys() if stored.get(k) != recipe.get(k)
            )
            raise RecipeMismatchError(
                f"collection {collection!r} was indexed with a different recipe "
                f"({', '.join(changed)} changed); run `rag reindex --collection {collection}` "
                "to rebuild it, or restore the previous settings"
            )

    def forget_collection(self, collection: str) -> None:
        with self._transaction():
            for table in ("recipe", "sources", "pending_deletes"):
                self._db.execute(f"DELETE FROM {table} WHERE collection = ?", (collection,))  # noqa: S608

    # sources --------------------------------------------------------------------------------

    def get(self, collection: str, source_id: str) -> SourceRecord | None:
        row = self._db.execute(
            "SELECT source_id, document_id, content_hash, chunk_ids, file_type, indexed_at "
            "FROM sources WHERE collection = ? AND source_id = ?",
            (collection, source_id),
        ).fetchone()
        return _record(row) if row else None

    def sources(self, collection: str) -> list[SourceRecord]:
        rows = self._db.execute(
            "SELECT source_id, document_id, content_hash, chunk_ids, file_type, indexed_at "
            "FROM sources WHERE collection = ? ORDER BY source_id",
            (collection,),
        ).fetchall()
        return [_record(row) for row in rows]

    def collections(self) -> list[str]:
        rows = self._db.execute("SELECT collection FROM recipe ORDER BY collection").fetchall()
        return [row[0] for row in rows]

    # the two-phase replace ------------------------------------------------------------------

    def stage(self, collection: str, chunk_ids: Iterable[str]) -> None:
        """Phase 1: before writing chunks, remember them as deletable if the run dies."""
        with self._transaction():
            self._db.executemany(
                "INSERT OR IGNORE INTO pending_deletes VALUES (?, ?)",
                [(collection, cid) for cid in chunk_ids],
            )

    def commit_source(self, collection: str, record: SourceRecord) -> None:
        """Phase 2: make `record` current; its old chunks (if any) become pending deletes."""
        with self._transaction():
            old = self.get(collection, record.source_id)
            self._db.execute(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    collection,
                    record.source_id,
                    record.document_id,
                    record.content_hash,
                    json.dumps(list(record.chunk_ids)),
                    record.file_type,
                    record.indexed_at,
                ),
            )
            self._db.executemany(
                "DELETE FROM pending_deletes WHERE collection = ? AND chunk_id = ?",
                [(collection, cid) for cid in record.chunk_ids],
            )
            if old is not None:
                self._mark_deletable(collection, set(old.chunk_ids) - set(record.chunk_ids))

    def remove_source(self, collection: str, source_id: str) -> None:
        with self._transaction():
            old = self.get(collection, source_id)
            if old is None:
                return
            self._db.execute(
                "DELETE FROM sources WHERE collection = ? AND source_id = ?",
                (collection, source_id),
            )
            self._mark_deletable(collection, set(old.chunk_ids))

    def pending_deletes(self, collection: str) -> list[str]:
        rows = self._db.execute(
            "SELECT chunk_id FROM pending_deletes WHERE collection = ?", (collection,)
        ).fetchall()
        return [row[0] for row in rows]

    def clear_pending(self, collection: str, chunk_ids: Iterable[str]) -> None:
        with self._transaction():
            self._db.executemany(
                "DELETE FROM pending_deletes WHERE collection = ? AND chunk_id = ?",
                [(collection, cid) for cid in chunk_ids],
            )

    def _mark_deletable(self, collection: str, chunk_ids: set[str]) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO pending_deletes VALUES (?, ?)",
            [(collection, cid) for cid in sorted(chunk_ids)],
        )

    def _transaction(self) -> "_Transaction":
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on error; nests by joining the outer one."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._outer = False

    def __enter__(self) -> None:
        self._outer = not self._db.in_transaction
        if self._outer:
            self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self._outer:
            return
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def _record(row: tuple) -> SourceRecord:
    return SourceRecord(
        source_id=row[0],
        document_id=row[1],
        content_hash=row[2],
        chunk_ids=tuple(json.loads(row[3])),
        file_type=row[4],
        indexed_at=row[5],
    )


def delete_pending(ledger: Ledger, store: VectorStore, collection: str) -> None:
    """Delete chunks that are not current: old versions, or writes a failure cut short."""
    pending = ledger.pending_deletes(collection)
    if pending and collection in store.collections():
        store.delete(collection, pending)
    ledger.clear_pending(collection, pending)
