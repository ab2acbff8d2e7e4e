"""Request body limit, enforced before a byte of an oversized body is parsed or spooled."""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.errors import TooLargeError


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self._app = app
        self._max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self._max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self._max_bytes:  # a chunked body without a declared length
                raise TooLargeError(self._message())
            return message

        await self._app(scope, counted, send)

    def _message(self) -> str:
        return (
            f"the request body is over {self._max_bytes:,} bytes (RAG_API_MAX_REQUEST_BYTES); "
            "send fewer or smaller files"
        )

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": {"type": "TooLargeError", "message": self._message()}})
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body.encode()})
