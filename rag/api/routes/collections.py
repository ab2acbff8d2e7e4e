from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from rag.api.deps import Rag

router = APIRouter(prefix="/v1/collections", tags=["collections"])


class CollectionBody(BaseModel):
    name: str = Field(min_length=1, max_length=64)


@router.get("")
def list_collections(rag: Rag) -> dict[str, object]:
    return {"collections": [c.to_json() for c in rag.catalog.collections()]}


@router.post("", status_code=status.HTTP_201_CREATED)
def create_collection(body: CollectionBody, rag: Rag) -> dict[str, object]:
    rag.catalog.create(body.name)
    return {"name": body.name}


@router.delete("/{name}")
def delete_collection(name: str, rag: Rag) -> dict[str, object]:
    rag.catalog.delete(name)
    return {"deleted": name}
