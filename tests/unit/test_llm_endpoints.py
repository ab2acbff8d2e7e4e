"""Several model servers behind RAG_LLM_URL: the pool's order on a fake clock, and the remote
model's retries on fake servers (httpx.MockTransport)."""

import json
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from rag.errors import ConfigError, ModelError
from rag.llm.endpoints import EndpointPool
from rag.llm.remote import RemoteChatModel
from rag.settings import load_settings

MESSAGES = [{"role": "user", "content": "Hi"}]
A, B = "http://a.test/v1", "http://b.test/v1"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _urls(pool: EndpointPool) -> list[str]:
    return [e.url for e in pool.order()]


def test_sequential_requests_take_the_endpoints_in_turn() -> None:
    pool = EndpointPool([A, B, "http://c.test/v1"])
    firsts = [pool.order()[0].url for _ in range(6)]
    assert firsts == [A, B, "http://c.test/v1"] * 2


def test_the_least_busy_endpoint_comes_first() -> None:
    pool = EndpointPool([A, B])
    a, b = pool.endpoints
    with pool.busy(a):
        assert [_urls(pool)[0] for _ in range(3)] == [B, B, B]
        with pool.busy(b), pool.busy(b):
            assert _urls(pool)[0] == A
    assert a.in_flight == b.in_flight == 0


def test_a_failed_endpoint_is_skipped_until_its_backoff_passes() -> None:
    clock = Clock()
    pool = EndpointPool([A, B], backoff_s=1.0, clock=clock)
    a = pool.endpoints[0]
    pool.failed(a)
    assert [_urls(pool) for _ in range(2)] == [[B, A], [B, A]]  # last resort only
    clock.now += 1.01
    assert a.url in {_urls(pool)[0] for _ in range(2)}  # live again: tried in its turn


def test_the_backoff_doubles_with_each_failure_in_a_row_up_to_its_cap() -> None:
    clock = Clock()
    pool = EndpointPool([A, B], backoff_s=1.0, max_backoff_s=5.0, clock=clock)
    a = pool.endpoints[0]
    rests = []
    for _ in range(5):
        pool.failed(a)
        rests.append(a.retry_at - clock.now)
    assert rests == [1.0, 2.0, 4.0, 5.0, 5.0]
    pool.succeeded(a)
    pool.failed(a)
    assert a.retry_at - clock.now == 1.0  # a success forgets the failures


def test_when_every_endpoint_rests_the_soonest_back_is_tried_first() -> None:
    clock = Clock()
    pool = EndpointPool([A, B], backoff_s=1.0, clock=clock)
    a, b = pool.endpoints
    pool.failed(a)
    pool.failed(a)  # rests 2 s
    pool.failed(b)  # rests 1 s
    assert _urls(pool) == [B, A]


# The remote model on fake servers.


def _event(text: str | None = None, finish: str | None = None) -> bytes:
    delta = {"content": text} if text is not None else {"role": "assistant"}
    event = {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(event)}\n\n".encode()


ANSWER = [_event(), _event("Hello "), _event("there.", "stop"), b"data: [DONE]\n\n"]


class _Stream(httpx.SyncByteStream):
    """Server-sent events, then the connection cut if `cut`."""

    def __init__(self, chunks: list[bytes], cut: bool = False) -> None:
        self._chunks = chunks
        self._cut = cut

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks
        if self._cut:
            raise httpx.RemoteProtocolError("peer closed connection (incomplete chunked read)")


Server = Callable[[httpx.Request], httpx.Response]


def _answers(chunks: list[bytes] = ANSWER, cut: bool = False) -> Server:
    return lambda request: httpx.Response(200, stream=_Stream(chunks, cut))


def _status(code: int, text: str = "down") -> Server:
    return lambda request: httpx.Response(code, text=text)


def _refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused")


class Servers:
    """Fake servers by host; records which host each request reached, and its body."""

    def __init__(self, **servers: Server) -> None:
        self.servers = servers
        self.hits: list[str] = []
        self.bodies: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host.split(".")[0]
        self.hits.append(host)
        self.bodies.append(json.loads(request.content))
        return self.servers[host](request)


def _model(servers: Servers, backoff_s: float = 30.0) -> RemoteChatModel:
    return RemoteChatModel(
        f"{A}, {B}", "m", api_key=None, n_ctx=2048, parallel=2, timeout_s=5, temperature=0,
        backoff_s=backoff_s, transport=httpx.MockTransport(servers),
    )  # fmt: skip


def _ask(model: RemoteChatModel, **kwargs: object) -> str:
    return "".join(model.stream(MESSAGES, 20, [], **kwargs))


def test_requests_are_spread_over_the_servers() -> None:
    servers = Servers(a=_answers(), b=_answers())
    model = _model(servers)
    assert [_ask(model) for _ in range(4)] == ["Hello there."] * 4
    assert servers.hits == ["a", "b", "a", "b"]


@pytest.mark.parametrize(
    "failing",
    [
        _refused,
        _status(503),
        _status(429, "busy"),
        _answers([_event()], cut=True),  # cut before any text
        _answers([_event(), b"data: [DONE]\n\n"]),  # ended without a finish reason
        _answers([b'data: {"error": {"message": "out of memory"}}\n\n']),
    ],
    ids=["refused", "503", "429", "cut-before-text", "no-finish", "error-event"],
)
def test_a_request_failing_before_its_first_text_is_answered_by_the_next_server(
    failing: Server,
) -> None:
    servers = Servers(a=failing, b=_answers())
    model = _model(servers)
    assert _ask(model) == "Hello there."
    assert servers.hits == ["a", "b"]
    # The failed server rests: the next requests, A's turn included, go to B.
    assert [_ask(model) for _ in range(2)] == ["Hello there."] * 2
    assert servers.hits[2:] == ["b", "b"]


def test_a_stream_cut_after_its_first_text_is_a_model_error_and_never_retried() -> None:
    servers = Servers(a=_answers([_event(), _event("Hello ")], cut=True), b=_answers())
    model = _model(servers)
    pieces = model.stream(MESSAGES, 20, [])
    assert next(pieces) == "Hello "
    with pytest.raises(ModelError, match=rf"{A} stopped in the middle of the answer"):
        next(pieces)
    assert servers.hits == ["a"]  # "Hello " is out: B's answer would repeat or contradict it
    assert _ask(model) == "Hello there." and servers.hits[1:] == ["b"]


def test_a_refused_request_is_not_sent_to_the_other_servers() -> None:
    servers = Servers(a=_status(400, "max_tokens too large"), b=_answers())
    with pytest.raises(ModelError, match=rf"{A} answered 400: max_tokens too large"):
        _ask(_model(servers))
    assert servers.hits == ["a"]


def test_every_server_failing_is_one_error_naming_each() -> None:
    servers = Servers(a=_refused, b=_status(502, "bad gateway"))
    with pytest.raises(ModelError) as failure:
        _ask(_model(servers))
    assert str(failure.value) == (
        f"the model server at {A} failed: [Errno 111] Connection refused; "
        f"the model server at {B} failed: it answered 502: bad gateway"
    )


def test_a_resting_server_is_tried_again_after_its_backoff() -> None:
    down = Servers(a=_refused, b=_answers())
    model = _model(down, backoff_s=0.05)
    _ask(model)
    _ask(model)
    assert down.hits == ["a", "b", "b"]
    time.sleep(0.06)
    down.servers["a"] = _answers()
    _ask(model)
    _ask(model)
    assert down.hits[3:] == ["a", "b"]  # back in turn, and live again after one success


def test_a_server_refusing_json_schema_gets_its_json_object_form_from_then_on() -> None:
    def llama_cpp_python(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content)["response_format"]["type"] != "json_object":
            return httpx.Response(500, text="response_format.type: 'text' or 'json_object'")
        return _answers([_event('{"a": 1}', "stop")])(request)

    servers = Servers(a=llama_cpp_python, b=llama_cpp_python)
    model = _model(servers)
    schema = {"type": "object"}
    assert _ask(model, json_schema=schema) == '{"a": 1}'
    assert _ask(model, json_schema=schema) == '{"a": 1}'
    assert _ask(model, json_schema=schema) == '{"a": 1}'
    forms = [body["response_format"]["type"] for body in servers.bodies]
    assert forms == ["json_schema", "json_object", "json_schema", "json_object", "json_object"]
    assert servers.bodies[1]["response_format"]["schema"] == schema


@pytest.mark.parametrize(
    "written",
    [f"{A}, {B}", f'["{A}", "{B}"]', f"{A},{B},"],
    ids=["commas", "json-list", "trailing-comma"],
)
def test_rag_llm_url_lists_several_servers(monkeypatch: pytest.MonkeyPatch, written: str) -> None:
    monkeypatch.setenv("RAG_LLM_URL", written)
    assert load_settings().llm_url == f"{A},{B}"


def test_a_rag_llm_url_that_is_not_http_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RAG_LLM_URL", f"{A},gpu-box:8080/v1")
    with pytest.raises(
        ConfigError, match=r"RAG_LLM_URL .*'gpu-box:8080/v1' is not an http\(s\) URL"
    ):
        load_settings()
    monkeypatch.setenv("RAG_LLM_URL", "")
    assert load_settings().llm_url is None  # empty: the local model
