"""MCP over streamable HTTP at `/mcp` on the API server, with the caller's key.

The request that carries an MCP message was authenticated like any other (rag/api/auth.py);
its tools call the API's routes in-process with that request's Authorization header, so the
caller's scopes and role apply to each call and each call is audited.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from mcp.server.mcpserver import Context

from rag.mcp.tools import build_server

MCP_PATH = "/mcp"


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
    api.router.routes.extend(app.routes)

    @asynccontextmanager
    async def running() -> AsyncIterator[None]:
        async with server.session_manager.run():
            try:
                yield
            finally:
                await client.aclose()

    return running()
