"""The audit log: one JSON line per API request with the key's name, the time, the route, the
collection it touched and the status. Questions and document text are left out unless
`RAG_AUDIT_CONTENT=true`.

Every field is JSON-escaped down to ASCII, so no request can put a line break of any kind into
the file, and lines are split on newlines only. Requests with a key go to `audit.jsonl`, those
refused for want of a valid key to `audit-unauthenticated.jsonl`: each file (mode 0600) is
rotated by size on its own (`.1` the newest old part, `.N` the oldest kept), so anonymous
traffic cannot push out what keys did.
"""

import heapq
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from rag.errors import InvalidInputError

AUDIT_FILE = "audit.jsonl"
UNAUTHENTICATED_FILE = "audit-unauthenticated.jsonl"
ANONYMOUS = "-"  # the key name recorded for a request without a valid key
_CONTENT_CHARS = 4000
_ROUTE_CHARS = 1000
_AGO = re.compile(r"^(\d+)\s*([smhd])$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class AuditLog:
    def __init__(self, data_dir: Path, max_bytes: int, backups: int, content: bool) -> None:
        self.path = data_dir / AUDIT_FILE
        self._keyed = _RotatedFile(self.path, max_bytes, backups)
        self._unauthenticated = _RotatedFile(data_dir / UNAUTHENTICATED_FILE, max_bytes, backups)
        self.keeps_content = content

    def record(
        self,
        key: str,
        method: str,
        route: str,
        collections: list[str],
        status: int,
        content: str | None = None,
    ) -> None:
        entry: dict[str, object] = {
            "time": datetime.now(UTC).isoformat(timespec="microseconds"),
            "key": key,
            "method": method,
            "route": route[:_ROUTE_CHARS],
            "collection": ",".join(dict.fromkeys(collections)) or None,
            "status": status,
        }
        if self.keeps_content and content is not None:
            entry["content"] = content[:_CONTENT_CHARS]
        line = (json.dumps(entry) + "\n").encode()  # ASCII: every control character escaped
        (self._unauthenticated if key == ANONYMOUS else self._keyed).append(line)


class _RotatedFile:
    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        self.path = path
        self._max_bytes = max_bytes
        self._backups = backups
        self._lock = threading.Lock()

    def append(self, line: bytes) -> None:
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
                size = os.fstat(fd).st_size
            finally:
                os.close(fd)
            if size >= self._max_bytes:
                self._rotate()

    def _rotate(self) -> None:
        for n in range(self._backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{n}")
            if older.exists():
                older.replace(self.path.with_name(f"{self.path.name}.{n + 1}"))
        if self._backups:
            self.path.replace(self.path.with_name(f"{self.path.name}.1"))
        else:
            self.path.unlink()


def read_audit(
    data_dir: Path, key: str | None = None, since: float | None = None
) -> Iterator[dict[str, object]]:
    """Entries oldest first: keyed and unauthenticated ones merged by time."""
    streams = [
        _read_parts(data_dir, name, key, since) for name in (AUDIT_FILE, UNAUTHENTICATED_FILE)
    ]
    yield from heapq.merge(*streams, key=_timestamp)


def _read_parts(
    data_dir: Path, name: str, key: str | None, since: float | None
) -> Iterator[dict[str, object]]:
    """One file's entries, from its oldest rotated part to the current file."""
    parts = sorted(
        data_dir.glob(f"{name}.*"),
        key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0,
        reverse=True,
    )
    for part in [*parts, data_dir / name]:
        try:
            lines = part.read_bytes().split(b"\n")
        except FileNotFoundError:
            continue
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash, or the empty end
            if not isinstance(entry, dict):
                continue
            if key is not None and entry.get("key") != key:
                continue
            if since is not None and _timestamp(entry) < since:
                continue
            yield entry


def parse_since(text: str, now: float | None = None) -> float:
    """`30m`, `2h`, `7d` ago, or an ISO date or time (UTC unless it says otherwise)."""
    now = time.time() if now is None else now
    ago = _AGO.match(text.strip())
    if ago:
        return now - int(ago.group(1)) * _UNIT_S[ago.group(2)]
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"--since {text!r}: give a duration such as 30m, 2h or 7d, or an ISO date/time "
            "such as 2026-11-30 or 2026-11-30T10:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _timestamp(entry: dict[str, object]) -> float:
    try:
        return datetime.fromisoformat(str(entry["time"])).timestamp()
    except (KeyError, ValueError):
        return 0.0
