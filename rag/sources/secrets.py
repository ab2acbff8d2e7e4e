"""Credentials by reference: a source names a secret, never holds it.

`--secret NAME` is read, at each sync, from the environment variable `RAG_SECRET_NAME` or else
from the file `<data dir>/secrets/NAME` (one line; keep it mode 0600). Only these two places are
read, so a key holder cannot name some other variable of the server (RAG_API_KEY) and have it
sent to a host of their choosing. Whatever the value is, `scrub` takes it out of every message
before it is stored, logged or returned.
"""

import os
import re
from pathlib import Path

from rag.errors import ConfigError, InvalidInputError

ENV_PREFIX = "RAG_SECRET_"
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
HIDDEN = "[secret]"


def check_secret_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise InvalidInputError(
            f"invalid secret name {name[:80]!r}: use 1-64 letters, digits or '_', starting "
            "with a letter"
        )
    return name


def secret_file(data_dir: Path, name: str) -> Path:
    return data_dir / "secrets" / check_secret_name(name)


def resolve_secret(name: str | None, data_dir: Path) -> str | None:
    """The secret's value, or None when the source names none; ConfigError when it is set
    nowhere (the message names where it was looked for, never a value)."""
    if name is None:
        return None
    value = os.environ.get(ENV_PREFIX + check_secret_name(name))  # by reference, at each sync
    if value:
        return value
    path = secret_file(data_dir, name)
    try:
        value = path.read_text().strip()
    except OSError:
        value = ""
    if not value:
        raise ConfigError(
            f"secret {name!r} is not set: export {ENV_PREFIX}{name} for the server, or write it "
            f"into {path}"
        )
    return value


def scrub(text: str, secret: str | None) -> str:
    """`text` with the secret (and its common encodings in messages) replaced."""
    if not secret:
        return text
    for shown in {secret, repr(secret)[1:-1], secret.encode().hex()}:
        text = text.replace(shown, HIDDEN)
    return text
