"""The REST API under load: 8 clients for 60 s mixing questions, streamed chats and uploads.

A real `rag serve` (bundled model, embedded store, sample_docs ingested) runs in its own process;
each client thread loops over three operations in turn, starting at a different one:
`POST /v1/query`, `POST /v1/chat/completions` with `stream: true` (read to `[DONE]`), and a small
`POST /v1/documents` upload that is deleted again. A 429 is counted and the client waits the
Retry-After it was given (capped), as a well-behaved client does. Goal: no 5xx at all.

Run: .venv/bin/python -m bench.api [SECONDS] [CLIENTS]   (writes the "REST API under load" section)

`python -m bench.api failover [SECONDS] [CLIENTS]` runs `rag serve` on two llama-cpp-python
servers instead (RAG_LLM_URL=A,B) with questions and streamed chats only, and kills server A
(SIGKILL) a third of the way in. Goal: every failed request is one whose answer had started
streaming from A; none failed that had not.
"""

import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
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


class Recorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.errors: list[str] = []

    def record(self, endpoint: str, status: int, seconds: float, detail: str = "") -> None:
        with self._lock:
            self.statuses[endpoint][status] += 1
            if status < 400:
                self.latencies[endpoint].append(seconds)
            elif status >= 500 or status == 0:
                self.errors.append(f"{endpoint} {status} {detail[:200]}")


def _query(http: httpx.Client, n: int) -> httpx.Response:
    return http.post("/v1/query", json={"question": QUESTIONS[n % len(QUESTIONS)]})


def _chat_stream(http: httpx.Client, n: int) -> httpx.Response:
    body = {
        "model": "rag:default",
        "stream": True,
        "messages": [{"role": "user", "content": QUESTIONS[(n * 7) % len(QUESTIONS)]}],
    }
    with http.stream("POST", "/v1/chat/completions", json=body) as response:
        events = [line for line in response.read().decode().splitlines() if line]
    if response.status_code == 200 and events[-1:] != ["data: [DONE]"]:
        raise RuntimeError("the stream did not end with [DONE]")
    return response


def _upload(http: httpx.Client, n: int) -> httpx.Response:
    text = f"# Load note {n}\n\nBench upload number {n} lists {n * 3} spare fuses.\n"
    files = {"files": (f"load-note-{threading.get_ident()}-{n}.md", text, "text/markdown")}
    response = http.post("/v1/documents", files=files)
    if response.status_code == 201:
        for document_id in response.json()["document_ids"].values():
            http.delete(f"/v1/documents/{document_id}")
    return response


OPERATIONS: dict[str, Callable[[httpx.Client, int], httpx.Response]] = {
    "POST /v1/query": _query,
    "POST /v1/chat/completions (stream)": _chat_stream,
    "POST /v1/documents (+ delete)": _upload,
}


# One operation by one client: its name and number in; the seconds to wait before the next out.


def _step(recorder: Recorder) -> Step:
    def step(http: httpx.Client, name: str, n: int) -> float:
        began = time.perf_counter()
        try:
            response = OPERATIONS[name](http, n)
        except (httpx.HTTPError, RuntimeError) as exc:
            recorder.record(name, 0, time.perf_counter() - began, repr(exc))
            return 0.0
        recorder.record(name, response.status_code, time.perf_counter() - began, response.text)
        return retry_after(response) if response.status_code == 429 else 0.0

    return step


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class LoadRun:
    recorder: Recorder
    peak_rss_mib: float
    alive: bool
    server_log: str


def run_load(
    seconds: float,
    clients: int,
    settings: dict[str, str] | None = None,
    alongside: Callable[[str], None] | None = None,
) -> LoadRun:
    """Start a server on sample_docs, run `clients` threads for `seconds`, stop it. `alongside`
    (given the server's URL) runs in a thread of its own from the start of the load; the peak
    RSS is read once both have ended."""
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        log = Path(tmp) / "server.log"
        with rag_server(Path(tmp) / "data", port, log, settings) as server:
            base_url = f"http://127.0.0.1:{port}"
            httpx.post(f"{base_url}/v1/query", json={"question": "warm up"}, timeout=300)
            recorder = Recorder()
            deadline = time.monotonic() + seconds
            threads = run_clients(base_url, clients, deadline, list(OPERATIONS), _step(recorder))
            if alongside:
                threads.append(threading.Thread(target=alongside, args=(base_url,)))
                threads[-1].start()
            for thread in threads:
                thread.join()
            peak_rss = _rss_mib(server.pid)
            alive = server.poll() is None
        return LoadRun(recorder, peak_rss, alive, log.read_text()[-4000:])


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["failover"]:
        from bench.api_failover import run_failover

        run_failover(
            float(args[1]) if len(args) > 1 else 60.0, int(args[2]) if len(args) > 2 else 4
        )
        return
    seconds = float(args[0]) if args else 60.0
    clients = int(args[1]) if len(args) > 1 else 8
    run = run_load(seconds, clients)
    _report(run.recorder, seconds, clients, run.peak_rss_mib, run.alive)
    if run.recorder.errors:
        print("\n".join(run.recorder.errors[:20]), file=sys.stderr)
        print(run.server_log, file=sys.stderr)


def _report(recorder: Recorder, seconds: float, clients: int, peak_rss: float, alive: bool) -> None:
    rows = []
    for name in OPERATIONS:
        statuses = recorder.statuses[name]
        done = recorder.latencies[name]
        server_errors = sum(count for status, count in statuses.items() if status >= 500)
        rows.append(
            [
                name,
                sum(statuses.values()),
                len(done),
                statuses.get(429, 0),
                server_errors,
                statuses.get(0, 0),
                f"{percentile(done, 50):.2f}",
                f"{percentile(done, 95):.2f}",
            ]
        )
    body = table(
        ["endpoint", "requests", "ok", "429", "5xx", "transport errors", "p50 s", "p95 s"], rows
    )
    body += (
        f"\n\n{clients} client threads for {seconds:.0f} s against `rag serve` in its own process"
        " (bundled SmolLM2, embedded store, sample_docs ingested, default queue of 4 waiting"
        " requests). Questions come from eval/sample_docs_qa.jsonl; those that abstain or are"
        " answered by a tool never wait for the model, which is why a p50 can be far below the"
        " p95. Latencies are of successful requests only; a 429 client waits the"
        f" Retry-After it got (at most {MAX_WAIT_S:.0f} s). Server peak RSS {peak_rss:.0f} MiB;"
        f" server alive at the end: {'yes' if alive else 'NO'}."
    )
    print(body)
    write_section("REST API under load", "python -m bench.api", body)


if __name__ == "__main__":
    main()
