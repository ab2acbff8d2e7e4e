import math
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field, field_validator

from rag.answer.cancel import AnswerCancelledError
from rag.answer.types import MAX_QUESTION_CHARS
from rag.api.answering import answer_while_connected
from rag.api.deps import Caller, Metrics, Rag
from rag.errors import InvalidInputError
from rag.settings import MAX_TOP_K, RetrievalMode
from rag.store import filter_conditions

router = APIRouter(prefix="/v1", tags=["query"])

# Metadata filters: key → value, list of values (any of), or a range {"gte": ..., "lte": ...}.
# Bounded in count and length; numbers finite (NaN and infinity are refused) and 64-bit.
_Text = Annotated[str, Field(max_length=500)]
_Int = Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
_Bound = Annotated[float, Field(allow_inf_nan=False)] | _Text
_FilterValue = (
    _Text
    | _Int
    | bool
    | Annotated[list[_Text], Field(max_length=100)]
    | Annotated[list[_Int], Field(max_length=100)]
    | Annotated[dict[str, _Bound], Field(max_length=4)]
)
FilterBody = Annotated[dict[str, _FilterValue], Field(max_length=20)] | None


class RetrievalOptions(BaseModel):
    collection: str | None = Field(default=None, max_length=64)
    top_k: int | None = Field(default=None, ge=1, le=MAX_TOP_K)
    mode: RetrievalMode | None = None
    filters: FilterBody = None

    @field_validator("filters", mode="before")
    @classmethod
    def _finite(cls, filters: object) -> object:
        """NaN and infinity said plainly, before the union's per-type messages."""
        ranges = filters.values() if isinstance(filters, dict) else ()
        bounds = [b for r in ranges if isinstance(r, dict) for b in r.values()]
        if any(isinstance(b, float) and not math.isfinite(b) for b in bounds):
            raise ValueError("range bounds must be finite numbers or dates, not NaN or infinity")
        return filters

    @field_validator("filters")
    @classmethod
    def _well_formed(cls, filters: dict[str, object] | None) -> dict[str, object] | None:
        """The store's own check (keys, bounds, dates), as a 422 naming the filter."""
        try:
            filter_conditions(filters)
        except InvalidInputError as exc:
            raise ValueError(str(exc)) from None
        return filters


# A LoRA adapter from RAG_LLM_LORA_ADAPTERS; None: the collection's default, else the base model.
AdapterField = Field(default=None, max_length=100)
# A saved conversation (/v1/conversations): its turns are the history and the answer is added.
ConversationField = Field(default=None, max_length=100)
# With a conversation: answer its last question again, replacing that turn's answer (kept in
# the turn's `earlier`).
RegenerateField = Field(default=False)


class QueryBody(RetrievalOptions):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    conversation_id: str | None = ConversationField
    regenerate: bool = RegenerateField
    adapter: str | None = AdapterField


class SearchBody(RetrievalOptions):
    query: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)


@router.post("/search")
def search(body: SearchBody, rag: Rag, caller: Caller) -> dict[str, object]:
    """Retrieval only, the `rag search --json` shape."""
    request = rag.ask_request(body.query, body.collection, body.top_k, body.mode, body.filters)
    caller.allow(request.collection, content=body.query)
    return {"results": [c.to_json() for c in rag.search(request)]}


@router.post("/query")
async def query(
    body: QueryBody, rag: Rag, metrics: Metrics, caller: Caller, connection: Request
) -> dict[str, object]:
    """An answer with citations, the `rag ask --json` shape (with `turn_id` in a conversation)."""
    if body.conversation_id is not None:
        caller.allow_conversation(rag.conversations, body.conversation_id)
    request = rag.ask_request(
        body.question,
        body.collection,
        body.top_k,
        body.mode,
        body.filters,
        adapter=body.adapter,
        conversation_id=body.conversation_id,
        regenerate=body.regenerate,
    )
    caller.allow(request.collection, content=body.question)
    try:
        result = await answer_while_connected(connection, rag.answers, request)
    except AnswerCancelledError as stopped:
        rag.record_stopped(request, stopped.result, body.regenerate)
        raise
    metrics.observe_answer(result)
    return rag.answer_json(request, result, body.regenerate)
