"""A TestClient over an app wired with fakes that counts what it was sent for the reliability
table: each request is one input tried (polling a job is not), each request without an answer a
crash (the server raised), each 5xx answer one in the 5xx column."""

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from fastapi.testclient import TestClient

from rag.api import create_app
from rag.app import RagApp
from tests.conftest import ReliabilityLog


@contextmanager
def recorded_client(
    app: RagApp, reliability: ReliabilityLog, row: str, notes: str, **options: bool
) -> Iterator[TestClient]:
    """Escapes are asserted by the tests themselves; they add `escapes=0` to the row once
    their assertions passed."""
    sent: list[str] = []
    statuses: list[int] = []

    def send(request: httpx.Request) -> None:
        if not request.url.path.startswith("/v1/jobs/"):
            sent.append(request.url.path)

    def record(response: httpx.Response) -> None:
        if not response.request.url.path.startswith("/v1/jobs/"):
            statuses.append(response.status_code)

    with TestClient(create_app(app.settings, app), **options) as client:
        client.event_hooks = {"request": [send], "response": [record]}
        yield client
    reliability.add(
        row,
        inputs=len(sent),
        crashes=len(sent) - len(statuses),
        server_errors=sum(status >= 500 for status in statuses),
        notes=notes,
    )
