from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from rag.access.keys import Role
from rag.api.deps import Caller, Rag

router = APIRouter(prefix="/v1/collections", tags=["collections"])


class CollectionBody(BaseModel):
    name: str = Field(min_length=1, max_length=64)


@router.get("")
def list_collections(rag: Rag, caller: Caller) -> dict[str, object]:
    """The collections this key may read."""
    shown = [c for c in rag.catalog.collections() if caller.can_read(c.name)]
    return {"collections": [c.to_json() for c in shown]}


@router.post("", status_code=status.HTTP_201_CREATED)
def create_collection(body: CollectionBody, rag: Rag, caller: Caller) -> dict[str, object]:
    """A name that differs from an existing one only by case names that one."""
    return {"name": rag.catalog.create(caller.allow(rag.collection(body.name), Role.writer))}


@router.delete("/{name}")
def delete_collection(name: str, rag: Rag, caller: Caller) -> dict[str, object]:
    """Its ingest jobs are cancelled (and waited for) first, so none writes it back."""
    name = caller.allow(rag.collection(name), Role.writer)
    rag.jobs.cancel(name)
    with rag.indexer.exclusive():
        rag.catalog.delete(name)
    return {"deleted": name}
