"""Dependencies shared by the routers; tests override them."""

from typing import Annotated

from fastapi import Depends, Request

from rag.access import caller
from rag.api.metrics import ApiMetrics
from rag.app import RagApp


def get_rag(request: Request) -> RagApp:
    return request.app.state.rag


Rag = Annotated[RagApp, Depends(get_rag)]


def _metrics(request: Request):
    return request.app.state.metrics


Metrics = Annotated[ApiMetrics, Depends(_metrics)]


def _caller(request: Request) -> caller.Caller:
    """Who is asking (rag/api/auth.py authenticated it): routes check its scope with it."""
    return request.state.caller


Caller = Annotated[caller.Caller, Depends(_caller)]
