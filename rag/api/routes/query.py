from fastapi import APIRouter
from pydantic import BaseModel, Field

from rag.api.deps import Metrics, Rag
from rag.settings import RetrievalMode

router = APIRouter(prefix="/v1", tags=["query"])

# Metadata filters: key → value, list of values (any of), or a range {"gte": ..., "lte": ...}.
FilterBody = dict[str, str | int | bool | list[str] | list[int] | dict[str, float | str]] | None


class RetrievalOptions(BaseModel):
    collection: str | None = None
    top_k: int | None = Field(default=None, ge=1, le=50)
    mode: RetrievalMode | None = None
    filters: FilterBody = None


# A LoRA adapter from RAG_LLM_LORA_ADAPTERS; None: the collection's default, else the base model.
AdapterField = Field(default=None, max_length=100)


class QueryBody(RetrievalOptions):
    question: str = Field(min_length=1, max_length=4000)
    conversation_id: str | None = None
    adapter: str | None = AdapterField


class SearchBody(RetrievalOptions):
    query: str = Field(min_length=1, max_length=4000)


@router.post("/search")
def search(body: SearchBody, rag: Rag) -> dict[str, object]:
    """Retrieval only, the `rag search --json` shape."""
    chunks = rag.retriever.search(body.query, *_options(body, rag))
    return {"results": [c.to_json() for c in chunks]}


@router.post("/query")
def query(body: QueryBody, rag: Rag, metrics: Metrics) -> dict[str, object]:
    """An answer with citations, the `rag ask --json` shape."""
    result = rag.chat.ask(
        body.question, *_options(body, rag), body.conversation_id, adapter=body.adapter
    )
    metrics.observe_answer(result)
    return result.to_json()


def _options(body: RetrievalOptions, rag: Rag) -> tuple:
    return rag.retrieval_args(body.collection, body.top_k, body.mode, body.filters)
