"""The data directory: where the index, the ledger and the server record live, and who owns it.

One process owns a data directory at a time (DESIGN.md §2). The owner holds an exclusive
`flock` on `owner.lock`; a second opener gets IndexLockedError naming the holder, never a
traceback from deep inside the store. The lock dies with its process, so a crash leaves no
stale lock behind.
"""

import fcntl
import hashlib
import json
import os
import re
import stat
import threading
from pathlib import Path

from rag.errors import ConfigError, IndexLockedError, InvalidInputError

PRIVATE_UMASK = 0o077  # files 0600, folders 0700

_COLLECTION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def check_collection_name(name: str) -> str:
    """Collection names become folder names, so only a safe alphabet is accepted."""
    if not _COLLECTION_NAME.fullmatch(name):
        raise InvalidInputError(
            f"invalid collection name {name!r}: use 1-64 letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    return name


class DataDir:
    """Paths inside the data directory, and the exclusive ownership lock over them."""

    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()
        self._lock_fd: int | None = None

    def ledger_path(self, qdrant_url: str | None = None) -> Path:
        """One ledger per store: switching to a Qdrant server starts from an empty record."""
        if qdrant_url is None:
            return self.root / "ledger.sqlite3"
        digest = hashlib.sha256(qdrant_url.encode()).hexdigest()[:12]
        return self.root / f"ledger-{digest}.sqlite3"

    @property
    def ocr_cache_path(self) -> Path:
        return self.root / "ocr-cache"

    @property
    def wordnet_cache_path(self) -> Path:
        return self.root / "wordnet.sqlite3"

    @property
    def server_record_path(self) -> Path:
        return self.root / "server.json"

    def shard_path(self, collection: str) -> Path:
        return self.root / "collections" / check_collection_name(collection) / "shard"

    def acquire(self) -> None:
        """Take ownership, or raise IndexLockedError naming the process that has it."""
        # The owner's alone: every file created from now on (SQLite and its journals, the
        # store's shards, uploads, caches, by whichever library) is 0600 and every folder 0700,
        # and a folder left readable by an older version is tightened.
        _private_umask.hold()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _private_umask.release()
            raise ConfigError(f"cannot create data directory {self.root}: {exc.strerror}") from None
        lock_path = self.root / "owner.lock"
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            _private_umask.release()
            raise IndexLockedError(self._owner_message(holder)) from None
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid()}).encode())
        self._lock_fd = fd
        tighten(self.root)

    def _owner_message(self, holder: str) -> str:
        try:
            server = json.loads(self.server_record_path.read_text())
            return (
                f"data directory {self.root} is owned by the API server at {server['url']}"
                f"{holder}; send this through the server, or stop it first"
            )
        except (OSError, ValueError, KeyError, TypeError):
            return (
                f"data directory {self.root} is in use by another process{holder}; "
                "wait for it to finish, or set RAG_DATA_DIR to another folder"
            )

    def release(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None
            _private_umask.release()


class _PrivateUmask:
    """The process's umask is 077 while it owns some data directory (umask is per process, and
    one process may hold several: tests, the evaluation); the one before comes back after."""

    def __init__(self) -> None:
        self._held = 0
        self._before = 0
        self._lock = threading.Lock()

    def hold(self) -> None:
        with self._lock:
            if self._held == 0:
                self._before = os.umask(PRIVATE_UMASK)
            self._held += 1

    def release(self) -> None:
        with self._lock:
            self._held -= 1
            if self._held == 0:
                os.umask(self._before)


_private_umask = _PrivateUmask()


def tighten(root: Path) -> None:
    """Take group and other permissions off `root` and everything under it (symlinks are left
    alone: their own mode means nothing and their targets are not the data directory's)."""
    _private(root)
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            _private(Path(folder) / name)


def _private(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:  # a temporary file gone meanwhile
        return
    if not stat.S_ISLNK(mode) and mode & 0o077:
        os.chmod(path, stat.S_IMODE(mode) & ~0o077)


def _read_holder(fd: int) -> str:
    try:
        pid = json.loads(os.pread(fd, 256, 0) or b"{}").get("pid")
    except (OSError, ValueError):
        return ""
    return f" (pid {pid})" if isinstance(pid, int) else ""
