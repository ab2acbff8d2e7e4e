"""Sources kept in sync and their state, in `<data dir>/sources.sqlite3`.

A source row holds what the user said (URI, collection, schedule, the secret's *name*) and what
its syncs found: when it last ran and will run next, how many documents it added, changed and
removed, and its last error (already scrubbed of the secret). `items` remembers the version
marker (ETag, UID, blob id) each document had when it was indexed, so a re-sync reads only
what changed; `scopes` what the source brought in, so removing it can remove its documents.
"""

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rag.errors import NotFoundError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY,
    uri TEXT NOT NULL,
    collection TEXT NOT NULL,
    schedule TEXT NOT NULL,
    secret TEXT,
    branch TEXT,
    created_at REAL NOT NULL,
    last_sync REAL,
    next_sync REAL,
    added INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    scopes TEXT NOT NULL DEFAULT '{"prefixes": [], "ids": []}'
);
CREATE TABLE IF NOT EXISTS items (
    source TEXT NOT NULL,
    item TEXT NOT NULL,
    version TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (source, item)
);
"""
_FIELDS = (
    "id, uri, collection, schedule, secret, branch, created_at, last_sync, next_sync, added, "
    "changed, removed, last_error, failures, scopes"
)


@dataclass
class Source:
    id: str
    uri: str
    collection: str
    schedule: str
    secret: str | None = None  # the secret's name
    branch: str | None = None  # git sources
    created_at: float = field(default_factory=time.time)
    last_sync: float | None = None
    next_sync: float | None = None
    added: int = 0
    changed: int = 0
    removed: int = 0
    last_error: str | None = None
    failures: int = 0  # failed syncs in a row
    scopes: dict[str, list[str]] = field(default_factory=lambda: {"prefixes": [], "ids": []})

    @property
    def target(self) -> str:
        """What the connector is given: the URI, with a git branch as its fragment."""
        return f"{self.uri}#{self.branch}" if self.branch else self.uri

    def to_json(self, syncing: bool = False) -> dict[str, object]:
        """The contract's fields (times in ISO 8601 UTC), the secret by name only."""
        shown = asdict(self)
        del shown["scopes"], shown["created_at"]
        for name in ("last_sync", "next_sync"):
            shown[name] = _iso(shown[name])
        shown["status"] = "syncing" if syncing else self.status
        return shown

    @property
    def status(self) -> str:
        """new (never synced), ok, or failed (its last sync had an error)."""
        if self.last_error:
            return "failed"
        return "ok" if self.last_sync is not None else "new"


def _iso(when: float | None) -> str | None:
    return None if when is None else datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds")


class SourceStore:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def add(self, source: Source) -> Source:
        with self._lock:
            self._db.execute(
                f"INSERT INTO sources ({_FIELDS}) VALUES ({', '.join('?' * 15)})",  # noqa: S608
                _row(source),
            )
        return source

    def save(self, source: Source) -> None:
        with self._lock:
            self._db.execute(
                f"REPLACE INTO sources ({_FIELDS}) VALUES ({', '.join('?' * 15)})",  # noqa: S608
                _row(source),
            )

    def get(self, source_id: str) -> Source:
        with self._lock:
            sql = f"SELECT {_FIELDS} FROM sources WHERE id = ?"  # noqa: S608
            row = self._db.execute(sql, (source_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no source {source_id!r}")
        return _source(row)

    def find(self, uri: str, collection: str, branch: str | None = None) -> Source | None:
        """The source recorded for this URI (and git branch) in this collection, if any."""
        with self._lock:
            sql = (
                f"SELECT {_FIELDS} FROM sources WHERE uri = ? AND collection = ? AND branch IS ? "  # noqa: S608
                "ORDER BY created_at, id LIMIT 1"
            )
            row = self._db.execute(sql, (uri, collection, branch)).fetchone()
        return None if row is None else _source(row)

    def all(self) -> list[Source]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_FIELDS} FROM sources ORDER BY created_at, id"  # noqa: S608
            ).fetchall()
        return [_source(row) for row in rows]

    def delete(self, source_id: str) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM items WHERE source = ?", (source_id,))
            self._db.execute("DELETE FROM sources WHERE id = ?", (source_id,))
            self._db.execute("COMMIT")

    def versions(self, source_id: str) -> dict[str, tuple[str, str]]:
        """item → (version marker, content hash it was indexed with)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT item, version, content_hash FROM items WHERE source = ?", (source_id,)
            ).fetchall()
        return {item: (version, content_hash) for item, version, content_hash in rows}

    def set_versions(
        self, source_id: str, seen: Iterable[tuple[str, str, str]], gone: Iterable[str]
    ) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "REPLACE INTO items (source, item, version, content_hash) VALUES (?, ?, ?, ?)",
                [(source_id, *row) for row in seen],
            )
            self._db.executemany(
                "DELETE FROM items WHERE source = ? AND item = ?",
                [(source_id, item) for item in gone],
            )
            self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()


def new_source_id() -> str:
    return "src_" + uuid.uuid4().hex[:12]


def _row(source: Source) -> tuple[object, ...]:
    values = asdict(source)
    values["scopes"] = json.dumps(values["scopes"])
    return tuple(values.values())


def _source(row: tuple[object, ...]) -> Source:
    source = Source(*row)
    source.scopes = json.loads(str(row[-1]))
    return source
