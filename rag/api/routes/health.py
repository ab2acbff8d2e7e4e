from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from rag.api.deps import Metrics, Rag

router = APIRouter(tags=["health"])


@router.get("/health")
def health(rag: Rag) -> dict[str, object]:
    return {"status": "ok", "collections": rag.store.collections()}


@router.get("/metrics", response_class=Response)
def metrics(metrics: Metrics) -> Response:
    """Prometheus text format: requests, latency per route and answer stage, model queue depth,
    tokens generated, chunks indexed."""
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
