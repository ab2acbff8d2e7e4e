"""The source viewer over REST: a citation's place in its document with the span marked."""

from fastapi import APIRouter, Query
from fastapi.responses import Response

from rag.api.deps import Caller, Rag
from rag.view.html import HEADER_POLICY

router = APIRouter(prefix="/v1/documents", tags=["documents"])

_HEADERS = {
    "Content-Security-Policy": HEADER_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # The caller's key decides what may be seen: no shared cache may keep a view.
    "Cache-Control": "private, max-age=300",
}


@router.get(
    "/{document_id}/view",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "text/html": {}}}},
)
def view_document(
    document_id: str,
    rag: Rag,
    caller: Caller,
    collection: str | None = None,
    page: int | None = Query(default=None, ge=1, le=1_000_000),
    start: int | None = Query(default=None, ge=0),
    end: int | None = Query(default=None, ge=0),
) -> Response:
    """The cited place with `[start, end)` (offsets into the page's indexed text, as in
    citations) highlighted: a PNG of PDF pages, scans and images; HTML (escaped, no scripts)
    for other formats, the mark at `#cited`. `X-Highlight` says how surely the marked place is
    the span: `exact`, `approximate` (the page reads differently from its indexed text) or
    `none`."""
    name = caller.allow(rag.collection(collection))
    shown = rag.viewer.view(name, document_id, page, start, end)
    headers = {**_HEADERS, "X-Highlight": shown.match}
    return Response(shown.body, media_type=shown.media_type, headers=headers)
