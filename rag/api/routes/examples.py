"""Example questions for a collection's first screen (rag/app/examples.py): each one answered
with support before it is offered; found once per version of the collection."""

from fastapi import APIRouter, Query

from rag.api.deps import Caller, Rag
from rag.errors import NotFoundError

router = APIRouter(prefix="/v1", tags=["examples"])


@router.get("/examples")
def example_questions(
    rag: Rag, caller: Caller, collection: str | None = Query(default=None, max_length=64)
) -> dict[str, object]:
    """`{"collection", "questions": [...]}`: up to three questions the collection's documents
    answer (none for an empty collection)."""
    name = caller.allow(rag.collection(collection))
    if name not in {c.name for c in rag.catalog.collections()}:
        raise NotFoundError.collection(name)
    return {"collection": name, "questions": rag.examples.for_collection(name)}
