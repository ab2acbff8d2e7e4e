from fastapi import APIRouter
from pydantic import BaseModel, Field

from rag.api.deps import Rag
from rag.app import RagApp
from rag.settings import RetrievalMode

router = APIRouter(prefix="/v1", tags=["query"])

# Metadata filters: key → value, list of values (any of), or a range {"gte": ..., "lte": ...}.
FilterBody = dict[str, str | int | bool | list[str] | list[int] | dict[str, float | str]] | None


class RetrievalOptions(BaseModel):
    collection: str | None = None
    top_k: int | None = Field(default=None, ge=1, le=50)
    mode: RetrievalMode | None = None
    filters: FilterBody = None


class QueryBody(RetrievalOptions):
    question: str = Field(min_length=1, max_length=4000)
    conversation_id: str | None = None


class SearchBody(RetrievalOptions):
    query: str = Field(min_length=1, max_length=4000)


@router.post("/search")
def search(body: SearchBody, rag: Rag) -> dict[str, object]:
    """Retrieval only, the `rag search --json` shape."""
    chunks = rag.retriever.search(body.query, *_resolved(body, rag))
    return {"results": [c.to_json() for c in chunks]}


@router.post("/query")
def query(body: QueryBody, rag: Rag) -> dict[str, object]:
    """An answer with citations, the `rag ask --json` shape."""
    return rag.chat.ask(body.question, *_resolved(body, rag), body.conversation_id).to_json()


def _resolved(body: RetrievalOptions, rag: RagApp) -> tuple:
    """Collection, top_k, mode and filters, with the settings' defaults filled in."""
    return (
        rag.collection(body.collection),
        body.top_k or rag.settings.top_k,
        body.mode or rag.settings.retrieval_mode,
        body.filters,
    )
