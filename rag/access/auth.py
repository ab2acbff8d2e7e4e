"""From a request's Authorization header to its Caller.

Accepted: `RAG_API_KEY` (an admin), the local user's token the server writes into the data
directory at start (an admin, for the CLI and `rag mcp` on the same machine), and stored keys.
Until the first key is made and while `RAG_API_KEY` is unset the server is open, as before.
Revoked keys stay stored, so revoking the last key never opens the server again.
"""

import hmac
from pathlib import Path

from rag.access.caller import Caller, anonymous
from rag.access.keys import KEY_PREFIX, KeyStore, Role, looks_like_key, write_private
from rag.errors import UnauthorizedError
from rag.settings import Settings

LOCAL_TOKEN_FILE = "local-token"  # noqa: S105 - a file name, not a secret
_MAX_HEADER_CHARS = 512


def write_local_token(data_dir: Path, token: str) -> None:
    """The server's token for this run, readable by the data directory's owner only."""
    write_private(data_dir / LOCAL_TOKEN_FILE, token)


def local_token_path(data_dir: Path) -> Path:
    return data_dir.expanduser().resolve() / LOCAL_TOKEN_FILE


def read_local_token(data_dir: Path) -> str | None:
    return read_token_file(local_token_path(data_dir))


def read_token_file(path: Path) -> str | None:
    """The token a server wrote at `path`, or None when there is none (no server runs)."""
    try:
        return path.read_text().strip() or None
    except OSError:
        return None


def local_client_key(settings: Settings) -> str | None:
    """What a client on this machine sends the server of its data directory: RAG_API_KEY
    when set, else the token the server wrote for its local user."""
    if settings.api_key is not None:
        return settings.api_key.get_secret_value()
    return read_local_token(settings.data_dir)


class Authenticator:
    def __init__(self, keys: KeyStore, api_key: str | None, local_token: str | None) -> None:
        self._keys = keys
        self._api_key = api_key
        self._local_token = local_token

    @property
    def open(self) -> bool:
        return self._api_key is None and not self._keys.has_keys()

    def caller(self, authorization: str | None) -> Caller:
        token = _bearer(authorization) if authorization else None
        if token is not None and _same(token, self._local_token):
            return Caller("local", Role.admin)
        if self.open:
            return anonymous()
        if token is None:
            raise UnauthorizedError(
                "this server needs an API key: send Authorization: Bearer <key>"
            )
        if _same(token, self._api_key):
            return Caller("RAG_API_KEY", Role.admin)
        if not looks_like_key(token):
            raise UnauthorizedError(
                f"malformed API key: keys are '{KEY_PREFIX}' and 43 more characters, "
                "as `rag keys create` printed them"
            )
        key = self._keys.lookup(token)
        if key is None:
            raise UnauthorizedError("unknown API key")
        if key.revoked_at is not None:
            raise UnauthorizedError(f"the API key {key.name!r} was revoked")
        return Caller.of_key(key)


def _bearer(authorization: str) -> str:
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(authorization) > _MAX_HEADER_CHARS:
        raise UnauthorizedError("malformed Authorization header: send 'Bearer <key>'")
    return token.strip()


def _same(token: str, expected: str | None) -> bool:
    return expected is not None and hmac.compare_digest(token.encode(), expected.encode())
