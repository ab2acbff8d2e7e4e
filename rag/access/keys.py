"""API keys, stored in `$RAG_DATA_DIR/keys.json` as SHA-256 hashes only (mode 0600).

A key is 32 random bytes (`secrets.token_urlsafe`), shown once when it is made. Because it is
a long random token and not a password a person chose, a fast hash is enough: nobody can guess
their way to a 256-bit preimage, so a password KDF (Argon2, bcrypt) would only add its delay to
every request (SECURITY.md). Revoked keys stay in the file, marked, so a client still sending
one is told it was revoked, and a revoked name is never reused (it owns conversations).

The server re-reads the file whenever it changes on disk, so `rag keys create|revoke` in
another process takes effect at the next request.
"""

import enum
import fcntl
import hashlib
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from rag.datadir import check_collection_name
from rag.errors import ConfigError, InvalidInputError, NotFoundError

KEY_PREFIX = "rag_"
_KEY_SHAPE = re.compile(r"^rag_[A-Za-z0-9_-]{43}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# Callers that are not stored keys: the local user's token, RAG_API_KEY, and an open server.
RESERVED_NAMES = frozenset({"local", "anonymous", "RAG_API_KEY"})
ALL = "all"


class Role(enum.IntEnum):
    """Each role may do what the roles below it may."""

    reader = 1  # search, ask, read documents in its collections
    writer = 2  # and upload, ingest, delete documents, create and delete its collections
    admin = 3  # and everything else: metrics, every conversation and feedback


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> str:
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def looks_like_key(token: str) -> bool:
    return bool(_KEY_SHAPE.fullmatch(token))


def check_key_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        shown = name if len(name) <= 80 else name[:80] + "…"
        raise InvalidInputError(
            f"invalid key name {shown!r}: use 1-64 ASCII letters, digits, '.', '-' or '_', "
            "starting with a letter or digit"
        )
    if name in RESERVED_NAMES:
        raise InvalidInputError(f"the key name {name!r} is reserved; choose another")
    return name


def parse_scope(text: str) -> tuple[str, ...] | None:
    """`a,b` → ("a", "b"); `all` → None (every collection, present and future)."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise InvalidInputError("give --collections a,b or --collections all")
    if names == [ALL]:
        return None
    if ALL in names:
        raise InvalidInputError("--collections all cannot be combined with collection names")
    return tuple(sorted({check_collection_name(name) for name in names}))


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: Role
    collections: tuple[str, ...] | None  # None: every collection
    hash: str
    created_at: float
    revoked_at: float | None = None

    def to_json(self) -> dict[str, object]:
        """What `rag keys list --json` shows: never the hash."""
        return {
            "name": self.name,
            "role": self.role.name,
            "collections": list(self.collections) if self.collections is not None else ALL,
            "created_at": self.created_at,
            "revoked": self.revoked_at is not None,
        }

    @classmethod
    def from_record(cls, record: dict[str, object]) -> "ApiKey":
        collections = record["collections"]
        return cls(
            name=str(record["name"]),
            role=Role[str(record["role"])],
            collections=None if collections == ALL else tuple(collections),  # type: ignore[arg-type]
            hash=str(record["hash"]),
            created_at=float(record["created_at"]),  # type: ignore[arg-type]
            revoked_at=record.get("revoked_at"),  # type: ignore[arg-type]
        )

    def to_record(self) -> dict[str, object]:
        record = asdict(self)
        record["role"] = self.role.name
        record["collections"] = list(self.collections) if self.collections is not None else ALL
        return record


class KeyStore:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "keys.json"
        self._lock_path = data_dir / "keys.lock"
        self._seen: tuple[int, int, int] | None = None
        self._by_hash: dict[str, ApiKey] = {}
        self._mutex = threading.Lock()

    def create(self, name: str, role: Role, collections: tuple[str, ...] | None) -> str:
        """Store a new key and return it; this is the only time its value is known."""
        check_key_name(name)
        if role is Role.admin and collections is not None:
            raise InvalidInputError("an admin key reaches every collection: use --collections all")
        key = new_key()
        with self._editing() as keys:
            same = next((k for k in keys if k.name == name), None)
            if same is not None:
                state = "was revoked (its name stays taken)" if same.revoked_at else "exists"
                raise InvalidInputError(f"a key named {name!r} {state}; choose another name")
            keys.append(ApiKey(name, role, collections, key_hash(key), time.time()))
        return key

    def revoke(self, name: str) -> ApiKey:
        with self._editing() as keys:
            for i, key in enumerate(keys):
                if key.name == name and key.revoked_at is None:
                    keys[i] = ApiKey(**{**asdict(key), "revoked_at": time.time()})
                    return keys[i]
        raise NotFoundError(f"no active key named {name!r}; `rag keys list` shows them")

    def entries(self) -> list[ApiKey]:
        return self._read()

    def has_keys(self) -> bool:
        """Whether any key was ever made (revoked ones count: the server stays closed)."""
        with self._mutex:
            self._refresh()
            return bool(self._by_hash)

    def lookup(self, key: str) -> ApiKey | None:
        """The stored key with this value (revoked ones included), re-reading a changed file."""
        with self._mutex:
            self._refresh()
            return self._by_hash.get(key_hash(key))

    def _refresh(self) -> None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._seen, self._by_hash = None, {}
            return
        seen = (st.st_ino, st.st_mtime_ns, st.st_size)
        if seen != self._seen:
            self._by_hash = {k.hash: k for k in self._read()}
            self._seen = seen

    def _read(self) -> list[ApiKey]:
        try:
            text = self.path.read_text()
        except FileNotFoundError:
            return []
        try:
            return [ApiKey.from_record(r) for r in json.loads(text)["keys"]]
        except (ValueError, KeyError, TypeError) as exc:
            # Refusing every key is the safe side of a damaged file.
            raise ConfigError(f"{self.path} is damaged ({exc}); restore it") from None

    @contextmanager
    def _editing(self) -> Iterator[list[ApiKey]]:
        """Read, change and atomically replace the file, one writer at a time."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            keys = self._read()
            yield keys
            body = json.dumps({"keys": [k.to_record() for k in keys]}, indent=1)
            write_private(self.path, body)
        finally:
            os.close(fd)


def write_private(path: Path, text: str) -> None:
    """Replace `path` atomically with a file only its owner can read (mode 0600)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # in case a stale temporary file had other bits
    with os.fdopen(fd, "w") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
