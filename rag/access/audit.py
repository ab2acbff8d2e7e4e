"""The audit log: one JSON line per API request with the key's name, the time, the route, the
collection it touched and the status. Questions and document text are left out unless
`RAG_AUDIT_CONTENT=true`. The file (`$RAG_DATA_DIR/audit.jsonl`, mode 0600) is rotated by size:
`audit.jsonl.1` is the newest old part, `audit.jsonl.N` the oldest kept.
"""

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
_CONTENT_CHARS = 4000
_AGO = re.compile(r"^(\d+)\s*([smhd])$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class AuditLog:
    def __init__(self, data_dir: Path, max_bytes: int, backups: int, content: bool) -> None:
        self.path = data_dir / AUDIT_FILE
        self._max_bytes = max_bytes
        self._backups = backups
        self.keeps_content = content
        self._lock = threading.Lock()

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
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "key": key,
            "method": method,
            "route": route,
            "collection": ",".join(dict.fromkeys(collections)) or None,
            "status": status,
        }
        if self.keeps_content and content is not None:
            entry["content"] = content[:_CONTENT_CHARS]
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
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
            older = self.path.with_name(f"{AUDIT_FILE}.{n}")
            if older.exists():
                older.replace(self.path.with_name(f"{AUDIT_FILE}.{n + 1}"))
        if self._backups:
            self.path.replace(self.path.with_name(f"{AUDIT_FILE}.1"))
        else:
            self.path.unlink()


def read_audit(
    data_dir: Path, key: str | None = None, since: float | None = None
) -> Iterator[dict[str, object]]:
    """Entries oldest first, from the oldest rotated part to the current file."""
    parts = sorted(
        data_dir.glob(f"{AUDIT_FILE}.*"),
        key=lambda p: int(p.suffix[1:]) if p.suffix[1:].isdigit() else 0,
        reverse=True,
    )
    for part in [*parts, data_dir / AUDIT_FILE]:
        try:
            lines = part.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            continue
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash
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
