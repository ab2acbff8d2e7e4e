from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from rag.access.keys import Role
from rag.api.deps import Caller, Metrics, Rag

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=None,
    responses={503: {"description": "The store cannot be reached"}},
)
def health(rag: Rag, request: Request) -> Response | dict[str, object]:
    """Whether the store answers and the model is loaded (the server loads it at start), and the
    enabled plugins ("failed": it did not load or was disabled; `rag plugins list` says why).
    Needs no key; it lists only the collections the key it is sent with may read."""
    try:
        collections = rag.store.collections()
    except Exception as exc:  # noqa: BLE001 - any store failure means "not healthy", said plainly
        body = {"status": "unavailable", "store": f"unreachable: {type(exc).__name__}: {exc}"}
        return JSONResponse(body, status_code=503)
    caller = getattr(request.state, "caller", None)
    collections = caller.readable(collections) if caller is not None else []
    model = {"loaded": rag.model_loaded, "id": rag.model.model_id if rag.model_loaded else None}
    plugins = [
        {
            "kind": record.kind,
            "name": record.name,
            "distribution": record.distribution,
            "status": "ok" if record.error is None else "failed",
        }
        for record in rag.plugins.enabled()
    ]
    return {
        "status": "ok",
        "store": "ok",
        "collections": collections,
        "model": model,
        "plugins": plugins,
    }


@router.get("/metrics", response_class=Response)
def metrics(metrics: Metrics, caller: Caller) -> Response:
    """Prometheus text format: requests, latency per route and answer stage, model queue depth,
    tokens generated, chunks indexed. Admin keys only."""
    caller.require(Role.admin)
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
