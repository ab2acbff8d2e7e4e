"""MCP over streamable HTTP at `/mcp` on the API server, with the caller's key.

The request that carries an MCP message was authenticated like any other (rag/api/auth.py);
its tools call the API's routes in-process with that request's Authorization header, so the
caller's scopes and role apply to each call and each call is audited. A session is its
opener's: another key that sends its id (to use it or DELETE it) is answered as for an unknown
session. An error the SDK answers over HTTP carries the API's `error.type` and `error.message`
beside JSON-RPC's `jsonrpc`, `id` and `error.code`, which MCP clients read.
"""

import json
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

import httpx
from fastapi import FastAPI
from mcp.server.mcpserver import Context
from mcp.types import INVALID_REQUEST
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.mcp.tools import build_server

MCP_PATH = "/mcp"
SESSION_HEADER = b"mcp-session-id"
_MAX_OWNED = 10_000  # sessions remembered; the oldest is forgotten first
# The SDK's reply to an id it does not know.
_UNKNOWN_SESSION_REPLY = json.dumps(
    {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": INVALID_REQUEST, "message": "Session not found"},
    }
).encode()


def serve_mcp(api: FastAPI, host: str):
    """Add the `/mcp` route to `api`; returns the context manager its lifespan must enter
    (the SDK's session manager)."""
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://rag")

    def api_for(ctx: Context) -> tuple[httpx.AsyncClient, dict[str, str]]:
        authorization = (ctx.headers or {}).get("authorization")
        return client, {"Authorization": authorization} if authorization else {}

    server = build_server(api_for)
    # On a loopback host the SDK also checks Host and Origin (DNS rebinding protection).
    app = server.streamable_http_app(streamable_http_path=MCP_PATH, host=host)
    for route in app.routes:
        if isinstance(route, Route) and route.path == MCP_PATH:
            route.app = OwnedSessions(route.app)
    api.router.routes.extend(app.routes)

    @asynccontextmanager
    async def running() -> AsyncIterator[None]:
        async with server.session_manager.run():
            try:
                yield
            finally:
                await client.aclose()

    return running()


class OwnedSessions:
    """Around the SDK's `/mcp` app: each session id is bound to the key that opened it, and an
    HTTP error's body becomes `{"error": {"type", "message"}}`."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app
        self._owners: OrderedDict[str, str] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        caller = scope.get("state", {}).get("caller")
        owner = caller.name if caller is not None else ""
        session = dict(scope["headers"]).get(SESSION_HEADER, b"").decode("latin-1")
        if session and self._owners.get(session, owner) != owner:
            await _send_error(send, 404, _json_rpc(_UNKNOWN_SESSION_REPLY))
            return
        await self._app(scope, receive, self._sending(send, owner, session, scope["method"]))

    def _sending(self, send: Send, owner: str, session: str, method: str) -> Send:
        failed: Message | None = None  # an error's response start, its body to be rewritten
        body = b""

        async def sending(message: Message) -> None:
            nonlocal failed, body
            if message["type"] == "http.response.start":
                status = message["status"]
                opened = dict(message.get("headers", [])).get(SESSION_HEADER)
                if opened and not session and status < 400:
                    self._remember(opened.decode("latin-1"), owner)
                if session and method == "DELETE" and status < 400:
                    self._owners.pop(session, None)
                if status >= 400:
                    failed = message
                    return
            elif message["type"] == "http.response.body" and failed is not None:
                body += message.get("body", b"")
                if not message.get("more_body"):
                    kept = [(k, v) for k, v in failed.get("headers", []) if k == b"allow"]
                    await _send_error(send, failed["status"], _json_rpc(body), kept)
                return
            await send(message)

        return sending

    def _remember(self, session: str, owner: str) -> None:
        self._owners[session] = owner
        while len(self._owners) > _MAX_OWNED:
            self._owners.popitem(last=False)


def _json_rpc(body: bytes) -> dict[str, Any]:
    """The SDK's JSON-RPC error reply, or one made of its body's text."""
    try:
        reply = json.loads(body)
        if isinstance(reply, dict) and isinstance(reply.get("error"), dict):
            return reply
    except ValueError:
        pass
    message = body.decode("utf-8", "replace").strip()
    return {"jsonrpc": "2.0", "id": None, "error": {"code": INVALID_REQUEST, "message": message}}


async def _send_error(
    send: Send,
    status: int,
    reply: dict[str, Any],
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    kind = HTTPStatus(status).phrase.replace(" ", "").replace("-", "")
    error = reply["error"]
    error["type"], error["message"] = kind, str(error.get("message") or kind)
    body = json.dumps(reply).encode()
    headers = [
        *(headers or []),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
