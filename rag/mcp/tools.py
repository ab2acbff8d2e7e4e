"""The MCP tools and the document resource, each a thin call to one REST route."""

import time
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

import anyio
import httpx
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from pydantic import Field

from rag.client.http import error_message
from rag.settings import MAX_TOP_K

DOCUMENT_URI = "rag://documents/{collection}/{document_id}"
INGEST_WAIT_S = 60
# What an agent needs of the `ask --json` shape (not the per-sentence support or timings).
_ANSWER_FIELDS = ("answer", "abstained", "citations", "closest_sources", "tool_calls")
_INSTRUCTIONS = (
    "Search and ask questions over the user's private documents. Answers come with citations "
    "(source, page, character offsets). list_documents gives each document's resource URI; "
    "read it for the document's text."
)

# The REST API as the caller of this call: a client, and the headers that carry its key.
ApiFor = Callable[[Context], tuple[httpx.AsyncClient, dict[str, str]]]
Collection = Annotated[
    str | None, Field(description="Collection name; the server's default when omitted.")
]


class ApiError(Exception):
    """The API refused or failed: its status and its message, for the agent to read."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def build_server(api_for: ApiFor) -> MCPServer:
    mcp = MCPServer("rag", instructions=_INSTRUCTIONS, log_level="WARNING")

    async def call(ctx: Context, method: str, path: str, **options: Any) -> dict[str, Any]:
        client, headers = api_for(ctx)
        response = await client.request(method, path, headers=headers, **options)
        if response.is_success:
            return response.json()
        raise ApiError(response.status_code, error_message(response, "the API"))

    async def tool_call(ctx: Context, method: str, path: str, **options: Any) -> dict[str, Any]:
        try:
            return await call(ctx, method, path, **options)
        except ApiError as exc:
            raise ToolError(f"{exc} (HTTP {exc.status})") from None

    @mcp.tool()
    async def search(
        query: Annotated[str, Field(min_length=1, description="What to look for.")],
        ctx: Context,
        collection: Collection = None,
        top_k: Annotated[int | None, Field(ge=1, le=MAX_TOP_K)] = None,
    ) -> dict[str, Any]:
        """Retrieve the passages that best match the query, with their source, page and
        character offsets (no generated answer)."""
        body = {"query": query, "collection": collection, "top_k": top_k}
        return await tool_call(ctx, "POST", "/v1/search", json=body)

    @mcp.tool()
    async def ask(
        question: Annotated[str, Field(min_length=1)], ctx: Context, collection: Collection = None
    ) -> dict[str, Any]:
        """Answer a question from the documents, with citations; `abstained` is true when the
        documents do not hold the answer."""
        body = {"question": question, "collection": collection}
        result = await tool_call(ctx, "POST", "/v1/query", json=body)
        return {k: result[k] for k in _ANSWER_FIELDS if k in result}

    @mcp.tool()
    async def list_collections(ctx: Context) -> dict[str, Any]:
        """The collections this key may read, with their document and chunk counts."""
        return await tool_call(ctx, "GET", "/v1/collections")

    @mcp.tool()
    async def list_documents(ctx: Context, collection: Collection = None) -> dict[str, Any]:
        """The documents of a collection, each with the URI of its text as a resource."""
        params = {"collection": collection} if collection else {}
        listed = await tool_call(ctx, "GET", "/v1/documents", params=params)
        for document in listed["documents"]:
            document["uri"] = document_uri(listed["collection"], document["id"])
        return listed

    @mcp.tool()
    async def ingest_url(
        url: Annotated[str, Field(min_length=1, max_length=2000)],
        ctx: Context,
        collection: Collection = None,
    ) -> dict[str, Any]:
        """Index a public web page into a collection (writer keys only). Returns the ingest
        job once it is done or failed (its report says what was added), or after a minute
        as it stands."""
        body = {"urls": [url], "collection": collection}
        job = await tool_call(ctx, "POST", "/v1/ingest", json=body)
        deadline = time.monotonic() + INGEST_WAIT_S
        while job["status"] in ("queued", "running") and time.monotonic() < deadline:
            await anyio.sleep(0.25)
            job = await tool_call(ctx, "GET", f"/v1/jobs/{job['id']}")
        return job

    @mcp.resource(DOCUMENT_URI, mime_type="text/plain")
    async def document_text(collection: str, document_id: str, ctx: Context) -> str:
        """A document's indexed text; pages are separated by form feeds."""
        path = f"/v1/documents/{quote(document_id, safe='')}/text"
        try:
            body = await call(ctx, "GET", path, params={"collection": collection})
        except ApiError as exc:
            if exc.status == 404:
                raise ResourceNotFoundError(str(exc)) from None
            raise ResourceError(str(exc)) from None
        return "\f".join(page["text"] for page in body["pages"])

    return mcp


def document_uri(collection: str, document_id: str) -> str:
    return DOCUMENT_URI.format(collection=collection, document_id=document_id)
