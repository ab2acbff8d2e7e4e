from fastapi import APIRouter

from rag.api.deps import Rag

router = APIRouter(tags=["health"])


@router.get("/health")
def health(rag: Rag) -> dict[str, object]:
    return {"status": "ok", "collections": rag.store.collections()}
