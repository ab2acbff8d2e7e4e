"""Limits by cost, not only by size: a body over its route's limit is 413 whether chunked or
declared, and the server's memory does not grow with it; JSON routes take small bodies, uploads
large ones; a question is bounded in model tokens; NaN and infinity never reach a filter; every
error, parse errors and unknown routes included, is `{"error": {"type", "message"}}`."""

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.conftest import ReliabilityLog
from tests.fakes import HashEmbedder, ScriptedModel
from tests.hostile.clients import recorded_client
from tests.live import free_port, serving

ROW = "request limits and error format (REST)"
NOTES = (
    "300 MB chunked bodies to JSON and upload routes, a 2 MB unknown field, an emoji question "
    "over the token limit, NaN/inf/2^70 in filters, malformed JSON and multipart, unknown routes "
    "and methods, an unexpected failure; server RSS growth after the 300 MB bodies under 40 MiB"
)
UPLOAD_LIMIT = 4 * 1024 * 1024
MULTIPART = "multipart/form-data; boundary=b"
PART_HEAD = (
    b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.md"\r\n'
    b"Content-Type: text/markdown\r\n\r\n"
)
JSON = {"content-type": "application/json"}


@pytest.fixture
def app(tmp_path: Path, docs: Path) -> Iterator[RagApp]:
    settings = Settings(data_dir=tmp_path / "data", api_max_request_bytes=UPLOAD_LIMIT)
    with RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        app.indexer.sync([scan_path(docs, 10**6)], "default")
        yield app


@pytest.fixture
def client(app: RagApp, reliability: ReliabilityLog) -> Iterator[TestClient]:
    with recorded_client(app, reliability, ROW, NOTES, raise_server_exceptions=False) as client:
        yield client
    reliability.add(ROW, escapes=0)


def _assert_error(response, status: int) -> dict[str, str]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"type", "message"}, body
    assert body["error"]["message"]
    return body["error"]


def _rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def _send_chunked(
    base: str, path: str, total: int, content_type: str, prefix: bytes = b""
) -> tuple[int, bytes]:
    """POST `total` bytes as a chunked body over a raw socket; (status, body) of the reply,
    which may come before the whole body was sent."""
    host, port = base.removeprefix("http://").split(":")
    block = b"x" * (1 << 16)
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode())
        if prefix:
            sock.sendall(b"%x\r\n%s\r\n" % (len(prefix), prefix))
        sent = 0
        try:
            while sent < total:
                sock.sendall(b"%x\r\n%s\r\n" % (len(block), block))
                sent += len(block)
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the body ended
        reply = b""
        try:
            while chunk := sock.recv(65536):
                reply += chunk
                if b"\r\n\r\n" in reply and reply.endswith(b"}"):
                    break
        except ConnectionResetError:
            pass
    status = int(reply.split(b" ", 2)[1])
    return status, reply.split(b"\r\n\r\n", 1)[1]


def test_chunked_bodies_over_the_limit_are_413_and_leave_no_memory_behind(
    app: RagApp, reliability: ReliabilityLog
) -> None:
    with serving(create_app(app.settings, app), free_port()) as base:
        _send_chunked(base, "/v1/query", 2 * 1024 * 1024, "application/json")  # warm up
        before = _rss_mib()
        replies = [
            _send_chunked(base, "/v1/query", 300 * 10**6, "application/json"),
            _send_chunked(base, "/v1/documents", 300 * 10**6, MULTIPART, PART_HEAD),
        ]
        grown = _rss_mib() - before
    for status, body in replies:
        assert status == 413, body
        assert json.loads(body)["error"]["type"] == "TooLargeError"
    assert grown < 40, f"RSS grew {grown:.0f} MiB"
    reliability.add(ROW, inputs=3, crashes=0, escapes=0, notes=NOTES)


def test_json_routes_take_small_bodies_and_uploads_large_ones(client: TestClient) -> None:
    padded = {"question": "What discount for batteries?", "padding": "x" * 2 * 1024 * 1024}
    error = _assert_error(client.post("/v1/query", json=padded), 413)
    assert "RAG_API_MAX_JSON_BYTES" in error["message"]
    note = ("note.md", b"# Note\n\nThe loading dock is behind bay C.\n" * 40_000)  # 1.7 MB
    assert client.post("/v1/documents", files={"files": note}).status_code == 201
    big = ("big.md", b"x" * (UPLOAD_LIMIT + 1))
    _assert_error(client.post("/v1/documents", files={"files": big}), 413)


@pytest.mark.integration
def test_a_question_is_bounded_in_model_tokens_not_characters(
    tmp_path: Path, reliability: ReliabilityLog
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    emoji = "🧨" * 1006
    with RagApp(settings, embedder=HashEmbedder()) as app:
        app.model  # noqa: B018 - loaded at start, as `rag serve` does: its tokenizer counts
        with TestClient(create_app(settings, app)) as client:
            for path, body in [
                ("/v1/query", {"question": emoji}),
                ("/v1/chat/completions", {"messages": [{"role": "user", "content": emoji}]}),
            ]:
                error = _assert_error(client.post(path, json=body), 400)
                assert "RAG_MAX_QUESTION_TOKENS" in error["message"], error
    reliability.add(ROW, inputs=2, crashes=0, escapes=0)


@pytest.mark.parametrize(
    "filters",
    [
        {"page": {"gte": float("nan")}},
        {"page": {"lte": float("inf")}},
        {"page": {"gte": float("-inf"), "lte": 3}},
        {"page": 2**70},
        {"page": [1, 2**70]},
        {f"key{i}": 1 for i in range(100)},
        {"source": ["x"] * 1000},
        {"source": "x" * 10_000},
        {"page": {"gte": "not-a-date"}},  # a string bound is a date or nothing (was a 500)
        {"modified": {"gte": "2026-01-01", "lt": "soon"}},
    ],
)
@pytest.mark.parametrize("path", ["/v1/query", "/v1/search"])
def test_non_finite_huge_or_unbounded_filters_are_refused(
    client: TestClient, filters: dict, path: str
) -> None:
    field = "question" if path == "/v1/query" else "query"
    body = json.dumps({field: "battery discount", "filters": filters}, allow_nan=True)
    _assert_error(client.post(path, content=body, headers=JSON), 422)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", "/v1/nothing-here", {}, 404),
        ("get", "/nothing", {}, 404),
        ("put", "/v1/query", {"json": {}}, 405),
        ("post", "/v1/query", {"content": b"{not json", "headers": JSON}, 422),
        ("post", "/v1/query", {"content": b"\xff\xfe", "headers": JSON}, 422),
        (
            "post",
            "/v1/documents",
            {"content": b"--b\r\nbroken", "headers": {"content-type": MULTIPART}},
            422,
        ),
        (
            "post",
            "/v1/documents",
            {"content": b"x" * 100, "headers": {"content-type": MULTIPART}},
            400,
        ),
        (
            "post",
            "/v1/documents",
            {"content": b"files=a", "headers": {"content-type": "text/plain"}},
            422,
        ),
    ],
)
def test_every_error_has_the_one_format(
    client: TestClient, method: str, path: str, kwargs: dict, status: int
) -> None:
    _assert_error(getattr(client, method)(path, **kwargs), status)


def test_an_unexpected_failure_is_a_500_in_the_same_format(
    app: RagApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken():
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(app.catalog, "collections", broken)
    # Not a recorded client: this 500 is made on purpose, not a crash.
    with TestClient(create_app(app.settings, app), raise_server_exceptions=False) as client:
        error = _assert_error(client.get("/v1/collections"), 500)
    assert "disk on fire" not in error["message"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/ingest", {"paths": ["/" + "p" * 5000]}),
        ("/v1/ingest", {"urls": ["https://example.com/" + "u" * 3000]}),
        ("/v1/ingest", {"urls": ["https://example.com/"], "collection": "c" * 100}),
        ("/v1/query", {"question": "battery discount", "collection": "c" * 100}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "q" * 30_000}]}),
        (
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": [{"text": "q"}] * 500}]},
        ),
    ],
    ids=["long-path", "long-url", "long-collection", "query-collection", "long-message", "parts"],
)
def test_every_request_field_is_bounded(client: TestClient, path: str, body: dict) -> None:
    _assert_error(client.post(path, json=body), 422)


@pytest.mark.parametrize("route", ["/v1/conversations", "/v1/feedback"])
def test_a_page_offset_past_any_integer_is_a_4xx_or_empty(client: TestClient, route: str) -> None:
    response = client.get(route, params={"offset": 10**30, "limit": 2})
    assert "offset" in _assert_error(response, 422)["message"]


def test_a_document_page_past_any_integer_is_empty(client: TestClient) -> None:
    listed = client.get("/v1/documents", params={"limit": 2}).json()
    assert len(listed["documents"]) == 2  # a wrapped or clamped offset would show these
    response = client.get("/v1/documents", params={"offset": 10**30, "limit": 2})
    assert response.status_code == 200, response.text
    assert response.json() == {**listed, "documents": []}


def test_a_range_bound_that_is_not_a_date_is_a_422_in_chat(client: TestClient) -> None:
    body = {
        "model": "rag:default",
        "messages": [{"role": "user", "content": "battery discount"}],
        "filters": {"page": {"gte": "not-a-date"}},
    }
    response = client.post("/v1/chat/completions", json=body)
    _assert_error(response, 422)
    assert "not an ISO 8601 date" in response.text
