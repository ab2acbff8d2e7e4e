"""`python -m bench.api failover`: the REST API on two model servers, one killed during the run.

Two llama-cpp-python servers (the bundled GGUF, one thread each) serve `rag serve` through
RAG_LLM_URL=A,B with RAG_LLM_PARALLEL=2. Client threads alternate `POST /v1/query` and streamed
`POST /v1/chat/completions` over eval/sample_docs_qa.jsonl; a third of the way in, server A is
killed with SIGKILL just after it has taken a request. Each request ends as ok, 429, failed
after its answer had started streaming from the model (the error says "stopped in the middle of
the answer"), or failed before: the goal is none of the last kind (rag/llm/remote.py retries
those on B).
"""

import json
import os
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import httpx

from bench.api_clients import (
    MAX_WAIT_S,
    QUESTIONS,
    Step,
    percentile,
    rag_server,
    retry_after,
    run_clients,
)
from bench.harness import table, write_section
from tests.live import free_port
from tests.llama_server import LlamaServer, llama_server

N_CTX = 2048
SECTION = "REST API with two model servers, one killed"
OK, BUSY, AFTER, BEFORE = "ok", "429", "failed after streaming began", "failed before streaming"
MID_ANSWER = "stopped in the middle of the answer"


def _failure(message: str) -> str:
    return AFTER if MID_ANSWER in message else BEFORE


def _error_message(response: httpx.Response) -> str:
    try:
        return response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return response.text[:200]


def _query(http: httpx.Client, n: int) -> tuple[str, str]:
    response = http.post("/v1/query", json={"question": QUESTIONS[n % len(QUESTIONS)]})
    if response.status_code == 200:
        return OK, ""
    if response.status_code == 429:
        return BUSY, str(retry_after(response))
    return _failure(message := _error_message(response)), message


def _chat_stream(http: httpx.Client, n: int) -> tuple[str, str]:
    body = {
        "model": "rag:default",
        "stream": True,
        "messages": [{"role": "user", "content": QUESTIONS[(n * 7) % len(QUESTIONS)]}],
    }
    with http.stream("POST", "/v1/chat/completions", json=body) as response:
        if response.status_code != 200:
            response.read()
            if response.status_code == 429:
                return BUSY, str(retry_after(response))
            return _failure(message := _error_message(response)), message
        for line in response.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            event = json.loads(line[len("data: ") :])
            if "error" in event:
                return _failure(message := event["error"]["message"]), message
    return OK, ""


OPERATIONS: dict[str, Callable[[httpx.Client, int], tuple[str, str]]] = {
    "POST /v1/query": _query,
    "POST /v1/chat/completions (stream)": _chat_stream,
}


class Outcomes:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.failures: list[str] = []

    def record(self, name: str, outcome: str, seconds: float, detail: str) -> None:
        with self._lock:
            self.counts[name][outcome] += 1
            if outcome == OK:
                self.latencies[name].append(seconds)
            elif outcome != BUSY:
                self.failures.append(f"{name}: {outcome}: {detail[:200]}")


def _step(outcomes: Outcomes) -> Step:
    def step(http: httpx.Client, name: str, n: int) -> float:
        began = time.perf_counter()
        try:
            outcome, detail = OPERATIONS[name](http, n)
        except httpx.HTTPError as exc:
            outcome, detail = BEFORE, repr(exc)
        outcomes.record(name, outcome, time.perf_counter() - began, detail)
        return float(detail) if outcome == BUSY else 0.0

    return step


def _kill_while_answering(server: LlamaServer, patience_s: float) -> None:
    """SIGKILL `server` just after it takes a new request (or after `patience_s` regardless)."""
    before, deadline = server.completions_served(), time.monotonic() + patience_s
    while server.completions_served() == before and time.monotonic() < deadline:
        time.sleep(0.05)
    server.process.kill()


def run_failover(seconds: float, clients: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        a, b = (
            stack.enter_context(llama_server(free_port(), folder / f"{name}.log", N_CTX))
            for name in "ab"
        )
        port = free_port()
        settings = {
            "RAG_LLM_URL": f"{a.url},{b.url}",
            "RAG_LLM_N_CTX": str(N_CTX),
            "RAG_LLM_PARALLEL": "2",
            "COLUMNS": "500",  # the log's rich handler wraps lines at the terminal's width
        }
        stack.enter_context(rag_server(folder / "data", port, folder / "rag.log", settings))
        base_url = f"http://127.0.0.1:{port}"
        httpx.post(f"{base_url}/v1/query", json={"question": "warm up"}, timeout=300)
        outcomes = Outcomes()
        load = os.getloadavg()[0]  # other work on the machine slows every request
        started = time.monotonic()
        deadline = started + seconds
        threads = run_clients(base_url, clients, deadline, list(OPERATIONS), _step(outcomes))
        time.sleep(seconds / 3)
        _kill_while_answering(a, patience_s=seconds / 3)
        a.process.wait()
        killed_at = time.monotonic() - started
        served_by_a = a.completions_served()
        for thread in threads:
            thread.join()
        served = {"A": served_by_a, "B": b.completions_served()}
        rag_log = (folder / "rag.log").read_text()
    retried = rag_log.count(f"model server {a.url} failed before its first token")
    _report(outcomes, seconds, clients, killed_at, served, retried, load)


def _report(
    outcomes: Outcomes,
    seconds: float,
    clients: int,
    killed_at: float,
    served: dict[str, int],
    retried: int,
    load: float,
) -> None:
    rows = []
    for name in OPERATIONS:
        counts, done = outcomes.counts[name], outcomes.latencies[name]
        rows.append(
            [name, sum(counts.values()), counts[OK], counts[BUSY], counts[AFTER], counts[BEFORE]]
            + [f"{percentile(done, 50):.2f}", f"{percentile(done, 95):.2f}"]
        )
    body = table(["endpoint", "requests", "ok", "429", AFTER, BEFORE, "p50 s", "p95 s"], rows)
    body += (
        f"\n\n{clients} client threads for {seconds:.0f} s against `rag serve` with"
        " RAG_LLM_URL listing two llama-cpp-python servers (`python -m llama_cpp.server`, the"
        f" bundled SmolLM2 GGUF, n_ctx {N_CTX}, one thread each, `--interrupt_requests False`)"
        " and RAG_LLM_PARALLEL=2; sample_docs ingested. Server A was killed (SIGKILL) just"
        " after taking a request, at"
        f" {killed_at:.0f} s. Model requests served: A {served['A']} before it died,"
        f" B {served['B']}; requests that found A dead before their first token and were"
        f" retried on B: {retried} (the rag server's log: the request A held when it died, if it"
        " had not sent a token yet, and one after each back-off of 1, 2, 4, 8, 16 s that found"
        " A still dead). A request may fail only if its"
        " answer had started streaming from A (the error says the server stopped in the middle"
        " of the answer). Questions that abstain or are answered by a tool never reach a model"
        " server. A 429 client waits the Retry-After it got (at most"
        f" {MAX_WAIT_S:.0f} s); latencies are of successful requests, measured with a load"
        f" average of {load:.1f} on the machine at the start."
    )
    print(body)
    if outcomes.failures:
        print("\n".join(outcomes.failures[:20]))
    write_section(SECTION, "python -m bench.api failover", body)
