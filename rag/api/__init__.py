"""The REST API: an app factory over the same core as the CLI.

The server process owns the data directory (index, ledger, model) for as long as it runs and
records itself in `$RAG_DATA_DIR/server.json`.
"""

import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from rag.answer.cancel import AnswerCancelledError
from rag.api.auth import ApiAccess, KeyAuth
from rag.api.limits import BodySizeLimit
from rag.api.metrics import ApiMetrics, RequestMetrics
from rag.api.routes import (
    chat,
    collections,
    conversations,
    documents,
    examples,
    feedback,
    health,
    ingest,
    query,
    sources,
    tables,
    view,
)
from rag.errors import (
    ForbiddenError,
    IndexLockedError,
    InvalidInputError,
    ModelBusyError,
    ModelError,
    ModelTimeoutError,
    NotFoundError,
    RagError,
    RecipeMismatchError,
    TooLargeError,
    UnauthorizedError,
    UnprocessableError,
    UnsupportedTypeError,
)
from rag.mcp.http import serve_mcp
from rag.settings import Settings

log = logging.getLogger(__name__)

# Looked up along the exception's class hierarchy, most specific first.
_STATUS = {
    InvalidInputError: 400,
    UnauthorizedError: 401,
    ForbiddenError: 403,
    TooLargeError: 413,
    UnsupportedTypeError: 415,
    UnprocessableError: 422,
    NotFoundError: 404,
    IndexLockedError: 409,
    RecipeMismatchError: 409,
    ModelBusyError: 429,
    ModelError: 502,
    ModelTimeoutError: 504,
    AnswerCancelledError: 499,  # the client closed the request (nginx's code); nobody reads it
}


def create_app(settings: Settings, rag_app=None) -> FastAPI:
    """Build the API. `rag_app` lets tests pass an already wired core (with fakes)."""

    @asynccontextmanager
    async def lifespan(api: FastAPI) -> AsyncIterator[None]:
        from rag.app import RagApp

        core = rag_app or RagApp(settings)
        if rag_app is None:
            await to_thread.run_sync(_warm_up, core)
        api.state.rag = core
        metrics.rag_app = core
        api.state.sources, schedule = _source_schedule(core)
        record = core.data_dir.server_record_path
        record.write_text(json.dumps({"url": settings.api_url, "pid": os.getpid()}))
        access.publish_token()
        try:
            async with mcp_sessions:
                yield
        finally:
            access.withdraw_token()
            record.unlink(missing_ok=True)
            schedule.stop()  # before the index it writes to is closed
            if rag_app is None:
                core.close()

    api = FastAPI(title="rag", version="0.1.0", lifespan=lifespan)
    metrics = ApiMetrics()
    api.state.metrics = metrics

    # API keys, the local user's token and the audit log (rag/access/, rag/api/auth.py).
    access = ApiAccess(settings)
    api.state.access = access
    api.add_middleware(KeyAuth, access=access)
    api.add_middleware(
        BodySizeLimit,
        upload_bytes=settings.api_max_request_bytes,
        json_bytes=settings.api_max_json_bytes,
    )
    api.add_middleware(RequestMetrics, metrics=metrics)
    if settings.api_cors_origins:
        # Outermost, so a browser's preflight is answered before the API key is asked for.
        api.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api_cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Retry-After"],
        )
    api.include_router(health.router)
    for module in (
        query,
        collections,
        documents,
        examples,
        chat,
        conversations,
        feedback,
        ingest,
        sources,
        tables,
    ):
        api.include_router(module.router, responses=ERROR_RESPONSES)
    api.include_router(view.router, responses=ERROR_RESPONSES)  # the source viewer
    # MCP over streamable HTTP at /mcp, with the caller's key (rag/mcp/http.py).
    mcp_sessions = serve_mcp(api, settings.api_host)

    @api.exception_handler(RagError)
    async def _rag_error(_: Request, exc: RagError) -> JSONResponse:
        status = next((_STATUS[c] for c in type(exc).__mro__ if c in _STATUS), 500)
        headers = {}
        if isinstance(exc, ModelBusyError):
            headers["Retry-After"] = str(exc.retry_after_s)
        return _error(type(exc).__name__, str(exc), status, headers)

    @api.exception_handler(RequestValidationError)
    async def _invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        return _error("InvalidRequest", problems, 422)

    @api.exception_handler(HTTPException)
    async def _http_error(_: Request, exc: HTTPException) -> JSONResponse:
        """Unknown routes, wrong methods and bodies that cannot be parsed: the same format."""
        kind = HTTPStatus(exc.status_code).phrase.replace(" ", "").replace("-", "")
        return _error(kind, str(exc.detail), exc.status_code, exc.headers)

    @api.exception_handler(Exception)
    async def _internal_error(_: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error answering a request", exc_info=exc)
        return _error("InternalError", "the server failed; the log has the details", 500)

    return api


def _source_schedule(core):
    """The sources kept in sync (rag/sources/) and the thread that runs their schedule."""
    from rag.sources.scheduler import SourceScheduler

    service = core.sources  # the one its ingests record their sources in
    schedule = SourceScheduler(service)
    schedule.start()
    return service, schedule


def _warm_up(core) -> None:
    """Load what every question needs before the server answers: the embedder (torch and
    MiniLM), the answer stage and the model's weights; else the first question waited seconds
    for them. What fails to load fails the questions, with their error, as before."""
    try:
        core.embedder.embed_query("warm up")
        core.answers  # noqa: B018
        core.model.count_tokens([{"role": "user", "content": "warm up"}])
    except RagError as exc:
        log.warning("not loaded at start: %s", exc)


class ErrorDetail(BaseModel):
    type: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


_ERROR_MEANINGS = {
    400: "The request is invalid (the message says what to fix)",
    401: "Missing, malformed, unknown or revoked API key",
    403: "The key's role does not allow this action",
    404: "No such collection, document, job or conversation",
    409: "The data directory or collection is in a conflicting state",
    413: "The body or an uploaded file is over its size limit",
    415: "An uploaded file is of an unsupported type",
    422: "The body does not validate, or no uploaded file could be read",
    429: "The model's queue is full; retry after Retry-After seconds",
    502: "The model backend failed",
    504: "The model did not answer in time",
}
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorBody, "description": meaning} for code, meaning in _ERROR_MEANINGS.items()
}


def _error(kind: str, message: str, status: int, headers: dict[str, str] | None = None):
    body = {"error": {"type": kind, "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)
