"""Authentication and the audit log, as one ASGI middleware around every route.

Each request gets its `Caller` (rag/access/caller.py) in `request.state.caller`, or a 401 in
the API's error format; `/health` is answered without a key (with the caller when one is
sent). When the reply is done, one audit line records the key, the route, the collections
the routes' checks touched and the status.
"""

import json
import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from rag.access.audit import AuditLog
from rag.access.auth import (
    LOCAL_TOKEN_FILE,
    Authenticator,
    write_local_token,
)
from rag.access.keys import KeyStore, new_key
from rag.api.metrics import StatusNoted
from rag.errors import ConfigError, UnauthorizedError
from rag.settings import Settings

OPEN_PATHS = {"/health"}
log = logging.getLogger(__name__)


class KeyAuth:
    def __init__(self, app: ASGIApp, access: "ApiAccess") -> None:
        self._app = app
        self._auth = access.authenticator
        self._audit = access.audit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "OPTIONS":
            await self._app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"authorization")
        path = scope["path"]
        try:
            caller = self._auth.caller(header.decode("latin-1") if header else None)
        except UnauthorizedError as exc:
            if path in OPEN_PATHS:
                await self._app(scope, receive, send)  # /health, without a caller
                return
            await _refuse(send, 401, "Unauthorized", str(exc))
            self._audit.record("-", scope["method"], path, [], 401)
            return
        except ConfigError as exc:  # keys.json unreadable: refuse all, tell the operator
            log.error("refusing every request: %s", exc)
            await _refuse(send, 500, "InternalError", "the server cannot read its key file")
            return
        scope.setdefault("state", {})["caller"] = caller
        sent = StatusNoted(send)
        try:
            await self._app(scope, receive, sent)
        finally:
            if path not in OPEN_PATHS:
                self._audit.record(
                    caller.name, scope["method"], path, caller.touched, sent.status, caller.content
                )


async def _refuse(send: Send, status: int, kind: str, message: str) -> None:
    body = json.dumps({"error": {"type": kind, "message": message}}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class ApiAccess:
    """The server's key store, its local token for this run, and its audit log."""

    def __init__(self, settings: Settings) -> None:
        self.root = settings.data_dir.expanduser().resolve()
        self.keys = KeyStore(self.root)
        self.local_token = new_key()  # shaped like a key, random for each run
        api_key = settings.api_key.get_secret_value() if settings.api_key else None
        self.authenticator = Authenticator(self.keys, api_key, self.local_token)
        self.audit = AuditLog(
            self.root, settings.audit_max_bytes, settings.audit_backups, settings.audit_content
        )

    def publish_token(self) -> None:
        """Let local clients (the CLI, `rag mcp`) in as the data directory's owner."""
        write_local_token(self.root, self.local_token)

    def withdraw_token(self) -> None:
        (self.root / LOCAL_TOKEN_FILE).unlink(missing_ok=True)
