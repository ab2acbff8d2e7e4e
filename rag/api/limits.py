"""Request body limits per route, enforced before a byte over the limit is parsed or spooled.

Uploads (`POST /v1/documents`) may be large; every other route takes a small JSON body. A body
over its route's limit is answered 413 whether it declared its length or came chunked: the app
below is told the client went away, its own reply is dropped, and the refusal is sent instead,
so at most one limit's worth of the body is ever held.
"""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

UPLOAD_ROUTES = {("POST", "/v1/documents")}


class BodySizeLimit:
    def __init__(self, app: ASGIApp, upload_bytes: int, json_bytes: int) -> None:
        self._app = app
        self._upload_bytes = upload_bytes
        self._json_bytes = json_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        limit, setting = self._limit(scope)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(send, limit, setting)
            return
        received, refused, started = 0, False, False

        async def counted() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:  # a chunked body, or one longer than it declared
                refused = True
                return {"type": "http.disconnect"}
            return message

        async def unless_refused(message: Message) -> None:
            nonlocal started
            if not refused:
                started = True
                await send(message)

        try:
            await self._app(scope, counted, unless_refused)
        except Exception:
            if not refused:
                raise
        if refused and not started:
            await _refuse(send, limit, setting)

    def _limit(self, scope: Scope) -> tuple[int, str]:
        if (scope["method"], scope["path"].rstrip("/")) in UPLOAD_ROUTES:
            return self._upload_bytes, "RAG_API_MAX_REQUEST_BYTES"
        return self._json_bytes, "RAG_API_MAX_JSON_BYTES"


async def _refuse(send: Send, limit: int, setting: str) -> None:
    message = f"the request body is over this route's limit of {limit:,} bytes ({setting})"
    body = json.dumps({"error": {"type": "TooLargeError", "message": message}}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
