"""Reading a file only where it was allowed to be, at the moment it is opened.

A path checked at one moment and opened later can point elsewhere by then: a folder along it
replaced by a symlink, or the file itself (CWE-367, CWE-59). So a file is opened one component at
a time from `/`, each with `O_NOFOLLOW`: the descriptor then refers to a regular file that lies
at exactly that path, and the path is checked against the allowed roots before the walk. Nothing
is checked in one step and used in another.
"""

import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from rag.errors import SourceError

FileIdentity = tuple[int, int]  # (st_dev, st_ino)

# O_PATH (Linux): a folder along the way needs only search permission, as for a plain open.
_DIRECTORY = getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: a FIFO put in a file's place must not hang the open.
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def open_exact(path: Path) -> int:
    """A read-only descriptor of the regular file at `path` (absolute, normalised), with no
    symlink followed anywhere along it; SourceError when there is none."""
    if not path.is_absolute() or os.path.normpath(path) != str(path):
        raise SourceError(f"{path} is not an absolute, normalised path")
    *folders, name = path.parts[1:] or [""]
    descriptor = os.open(path.anchor, _DIRECTORY)
    try:
        for folder in folders:
            inner = os.open(folder, _DIRECTORY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        file = os.open(name, _FILE, dir_fd=descriptor)
    except OSError as exc:
        raise SourceError(_why(path, exc)) from None
    finally:
        os.close(descriptor)
    if not stat.S_ISREG(os.fstat(file).st_mode):
        os.close(file)
        raise SourceError(f"{path.name} is not a regular file: refused")
    return file


def read_confined(
    path: Path, roots: Sequence[Path], max_bytes: int, listed: FileIdentity | None = None
) -> bytes:
    """The bytes of the file `path` names now, when it lies under one of `roots` (resolved
    folders or files) at the moment it is opened, and is at most `max_bytes` long. With
    `listed`, the file opened must be the one a scan found there: a path replaced since, by a
    symlink (wherever it points, the roots included) or another file, is refused."""
    real = Path(os.path.realpath(path))
    if not any(real.is_relative_to(root) for root in roots):
        raise SourceError(f"{path} now points outside the folders it may be read from: refused")
    # If a component changed into a symlink since realpath, the walk refuses it.
    with os.fdopen(open_exact(real), "rb") as file:
        opened = os.fstat(file.fileno())
        if listed is not None and (opened.st_dev, opened.st_ino) != listed:
            raise SourceError(f"{path} was replaced after it was listed: refused")
        # Over the limit by its size: refused unread. One byte past the limit is read, as a
        # file can grow after its fstat.
        data = b"" if opened.st_size > max_bytes else file.read(max_bytes + 1)
    if max(opened.st_size, len(data)) > max_bytes:
        raise SourceError(f"file is over the {max_bytes}-byte limit")
    return data


def _why(path: Path, exc: OSError) -> str:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
        return f"a symlink stands in {path} now (it was not one when checked): refused"
    if exc.errno == errno.ENOENT:
        return f"{path} no longer exists"
    return f"{path} cannot be opened: {exc.strerror}"
