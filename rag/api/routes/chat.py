"""OpenAI-compatible chat: `POST /v1/chat/completions` and `GET /v1/models`.

The `model` field picks the collection (`rag:handbook`; any other name means the default
collection), so off-the-shelf OpenAI clients work unchanged. The reply carries the whole
`ask --json` result (citations, tool calls, timings) in an extra `rag` field. The client's own
system messages are ignored: grounding rules are not the client's to change.
"""

import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Annotated, Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from rag.answer.cancel import AnswerCancelledError
from rag.answer.stream import AnswerStream
from rag.answer.types import AskResult
from rag.api.answering import admit_while_connected, answer_while_connected
from rag.api.deps import Caller, Metrics, Rag
from rag.api.metrics import ApiMetrics
from rag.api.routes.query import (
    AdapterField,
    ConversationField,
    RegenerateField,
    RetrievalOptions,
)
from rag.errors import InvalidInputError, RagError
from rag.llm import Message
from rag.models.serving import model_status

router = APIRouter(prefix="/v1", tags=["chat"])

MODEL_PREFIX = "rag:"


# Bounds on every field, so a body within the JSON limit is also within reason.
MAX_MESSAGE_CHARS = 20_000


class TextPart(BaseModel):
    type: Literal["text"] = "text"
    text: str = Field(max_length=MAX_MESSAGE_CHARS)


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: (
        Annotated[str, Field(max_length=MAX_MESSAGE_CHARS)]
        | Annotated[list[TextPart], Field(max_length=100)]
        | None
    ) = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(part.text for part in self.content)
        return self.content or ""


class ChatCompletionRequest(RetrievalOptions):
    model: str = Field(default="rag", max_length=200)
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    adapter: str | None = AdapterField
    # A saved conversation: its stored turns replace the earlier messages as history.
    conversation_id: str | None = ConversationField
    regenerate: bool = RegenerateField
    # Accepted for compatibility; answers are always deterministic and capped by settings.
    max_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "rag"
    # The generator behind it: the `rag models info --json` card.
    card: dict[str, Any] | None = None


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]
    # The generator set now, and the one the server loaded at start (they differ after
    # `rag models use` until the next start).
    configured: dict[str, Any]
    loaded: dict[str, Any] | None
    restart_needed: bool


@router.get("/models")
def list_models(rag: Rag, caller: Caller) -> ModelList:
    """One model per collection the key may read, `rag:<collection>`, each with the card of
    the generator. The default collection is listed before its first ingest too, so an
    OpenAI client offers a model on a fresh server."""
    status = model_status(rag)
    card = status.loaded or status.configured
    stored = [c.name for c in rag.catalog.collections()]
    default = rag.collection(None)
    names = caller.readable(sorted({*stored, default}))
    return ModelList(
        data=[ModelCard(id=MODEL_PREFIX + name, card=card) for name in names],
        configured=status.configured,
        loaded=status.loaded,
        restart_needed=status.restart_needed,
    )


@router.post(
    "/chat/completions",
    response_model=None,
    responses={
        200: {
            "description": "A chat completion, or with `stream: true` server-sent events",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/event-stream": {"schema": {"type": "string"}},
            },
        }
    },
)
async def chat_completions(
    body: ChatCompletionRequest, rag: Rag, metrics: Metrics, caller: Caller, connection: Request
) -> dict[str, object] | StreamingResponse:
    """A grounded answer to the last user message; `stream: true` sends server-sent events."""
    question, history = _conversation(body.messages)
    if body.conversation_id is not None:
        caller.allow_conversation(rag.conversations, body.conversation_id)
    collection = body.collection or _collection_of(body.model)
    request = rag.ask_request(
        question,
        collection,
        body.top_k,
        body.mode,
        body.filters,
        history=history,
        adapter=body.adapter,
        conversation_id=body.conversation_id,
        regenerate=body.regenerate,
    )
    caller.allow(request.collection, content=question)
    shown = partial(rag.answer_json, request, regenerate=body.regenerate)
    stopped = partial(rag.record_stopped, request, regenerate=body.regenerate)
    reply_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    try:
        if not body.stream:
            result = await answer_while_connected(connection, rag.answers, request)
            metrics.observe_answer(result)
            return _completion(reply_id, created, body.model, result, shown(result))
        # Admission happens here, before any byte is sent, so "busy" is still a proper 429.
        stream = await admit_while_connected(connection, rag.answers, request)
    except AnswerCancelledError as cancelled:
        stopped(cancelled.result)
        raise
    return StreamingResponse(
        _events(stream, reply_id, created, body.model, metrics, shown, stopped),
        media_type="text/event-stream",
    )


async def _pieces(stream: AnswerStream) -> AsyncIterator[str]:
    """The stream's text, read on a worker thread. When the client goes away the wait for the
    next piece ends at once (the model may be far from its next verified sentence), so the
    `stream.cancel()` in `_events` stops it within one token."""
    iterator = iter(stream)
    while (
        piece := await to_thread.run_sync(next, iterator, None, abandon_on_cancel=True)
    ) is not None:
        yield piece


def _conversation(messages: list[ChatMessage]) -> tuple[str, list[Message]]:
    turns = [m for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user":
        raise InvalidInputError("the last message must be the user's question")
    history = [{"role": m.role, "content": m.text()} for m in turns[:-1]]
    return turns[-1].text(), history


def _collection_of(model: str) -> str | None:
    return model[len(MODEL_PREFIX) :] if model.startswith(MODEL_PREFIX) else None


def _usage(result: AskResult) -> dict[str, int]:
    prompt = int(result.timings.get("prompt_tokens", 0))
    completion = int(result.timings.get("completion_tokens", 0))
    total = prompt + completion
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": total}


def _completion(
    reply_id: str, created: int, model: str, result: AskResult, shown: dict[str, object]
) -> dict[str, object]:
    return {
        "id": reply_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": result.answer},
                "finish_reason": "stop",
            }
        ],
        "usage": _usage(result),
        "rag": shown,
    }


async def _events(
    stream: AnswerStream,
    reply_id: str,
    created: int,
    model: str,
    metrics: ApiMetrics,
    shown: Callable[[AskResult], dict[str, object]],
    stopped: Callable[[AskResult], None],
) -> AsyncIterator[str]:
    def chunk(delta: dict[str, str], finish: str | None = None, **extra: object) -> str:
        body = {
            "id": reply_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(body)}\n\n"

    finished = False
    try:
        yield chunk({"role": "assistant", "content": ""})
        async for piece in _pieces(stream):
            yield chunk({"content": piece})
        result = stream.result
        metrics.observe_answer(result)
        finished = True
        yield chunk({}, "stop", usage=_usage(result), rag=shown(result))
    except RagError as exc:
        finished = True
        error = {"error": {"type": type(exc).__name__, "message": str(exc)}}
        yield f"data: {json.dumps(error)}\n\n"
    finally:
        # Runs when the client disconnects too: the model stops within one token, and the
        # answer stays in its conversation as far as it was shown, marked stopped.
        stream.cancel()
        if not finished:
            stopped(stream.result)
    yield "data: [DONE]\n\n"
