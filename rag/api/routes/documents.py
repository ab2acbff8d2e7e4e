from fastapi import APIRouter, Query

from rag.api.deps import Rag
from rag.catalog import document_json

router = APIRouter(prefix="/v1/documents", tags=["documents"])


@router.get("")
def list_documents(
    rag: Rag,
    collection: str | None = None,
    offset: int = Query(default=0, ge=0),
    limit: int = Query(default=100, ge=1, le=1000),
) -> dict[str, object]:
    records = rag.catalog.documents(rag.collection(collection))
    page = records[offset : offset + limit]
    return {"documents": [document_json(r) for r in page], "total": len(records)}


@router.delete("/{document_id}")
def delete_document(document_id: str, rag: Rag, collection: str | None = None) -> dict[str, object]:
    record = rag.catalog.delete_document(rag.collection(collection), document_id)
    return {"deleted": document_json(record)}
