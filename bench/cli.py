"""CLI start-up: how long `rag ask` takes to answer a document question, cold and with a
background server, beside the warm REST answer, side by side in one run.

On one data directory with sample_docs ingested, each `rag ask` a fresh process:
- cold: `rag ask QUESTION --json` with no server running (it opens the index, imports torch,
  loads MiniLM and the GGUF model in-process, then answers);
- the cold start's phases, timed one after another in a fresh interpreter the same way;
- `rag serve --background` (how long until it answers), then `rag ask` again: the command finds
  the server in server.json and sends the question there;
- warm REST: `POST /v1/query` to that same server from this process (the answer time alone).
Goals (issue 36): cold <= 3 s or the floor stated; background ask <= 1.5x warm REST.

Run: .venv/bin/python -m bench.cli [RUNS]   (writes the "CLI start-up" section)
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.harness import table, write_section
from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent
RAG = str(Path(sys.executable).with_name("rag"))
QUESTION = "How much clearance is needed above the unit for ventilation?"  # the model answers

# The cold start in a fresh interpreter, phase by phase, in the order `rag ask` meets them.
_PHASES = """
import json, sys, time
marks = [("start", time.perf_counter())]
def mark(name): marks.append((name, time.perf_counter()))
import rag.cli
mark("import rag.cli (typer, settings, httpx)")
from rag.app import RagApp
from rag.client.backend import retrieval_options
from rag.client.local import LocalClient
from rag.settings import load_settings
app = RagApp(load_settings())
mark("open the data directory and store")
app.plugins
mark("load plugins (readers register; their libraries load when a source is read)")
app.embedder.embed_query("warm up")
mark("embedder: import torch, sentence-transformers; load MiniLM")
app.model.count_tokens([{"role": "user", "content": "warm up"}])
mark("load the GGUF model (llama.cpp)")
app.answers
mark("build the answer stage (WordNet synonyms from their SQLite cache, DuckDB)")
answer = LocalClient(app).ask(sys.argv[1], retrieval_options(None, None, None, None))
mark("answer: retrieve, rank evidence, generate, verify")
app.close()
phases = [[n, round(t - marks[i][1], 3)] for i, (n, t) in enumerate(marks[1:])]
print(json.dumps({"phases": phases, "timings": answer["timings"]}))
"""


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[:3]} failed: {done.stderr[-2000:]}")
    return seconds, done.stdout


def _ask(env: dict[str, str]) -> float:
    seconds, out = _timed([RAG, "ask", QUESTION, "--json"], env)
    answer = json.loads(out)
    if answer["abstained"] or not answer["citations"]:
        raise RuntimeError(f"`rag ask` did not answer with a citation: {answer['answer']!r}")
    return seconds


def _rest(url: str) -> tuple[float, dict[str, float]]:
    """The answer's seconds and its own timings (retrieval, first token, generation)."""
    started = time.perf_counter()
    reply = httpx.post(f"{url}/v1/query", json={"question": QUESTION}, timeout=300)
    reply.raise_for_status()
    return time.perf_counter() - started, reply.json()["timings"]


def run(runs: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
        env["RAG_DATA_DIR"] = str(Path(tmp) / "data")
        subprocess.run([RAG, "ingest", str(ROOT / "sample_docs")], env=env, check=True)
        load = os.getloadavg()[0]
        cold = [_ask(env) for _ in range(runs)]
        _, phases_out = _timed([sys.executable, "-c", _PHASES, QUESTION], env)
        cold_answer = json.loads(phases_out.strip().splitlines()[-1])
        cli_import, _ = _timed([sys.executable, "-c", "import rag.cli"], env)
        port = free_port()
        start_s, _ = _timed([RAG, "serve", "--background", "--port", str(port)], env)
        try:
            url = f"http://127.0.0.1:{port}"
            _rest(url)  # the server's first answer warms its caches, as a user's first would
            background, rest = [], []
            for _ in range(runs):  # alternated, so both see the same machine load
                background.append(_ask(env))
                seconds, warm_timings = _rest(url)
                rest.append(seconds)
        finally:
            subprocess.run([RAG, "serve", "--stop"], env=env, check=True, capture_output=True)
    return {
        "runs": runs,
        "load_before": load,
        "cold": cold,
        "phases": cold_answer["phases"],
        "cold_answer_timings": cold_answer["timings"],
        "warm_answer_timings": warm_timings,
        "python_import_rag_cli": cli_import,
        "background_start": start_s,
        "background_ask": background,
        "warm_rest": rest,
        "load_after": os.getloadavg()[0],
    }


def report(result: dict[str, object]) -> str:
    med = statistics.median
    cold, ask, rest = (med(result[k]) for k in ("cold", "background_ask", "warm_rest"))  # type: ignore[arg-type]
    rows = [
        ["cold `rag ask`, no server", f"{cold:.2f}", f"{cold / rest:.1f}x"],
        ["the first of them (builds the WordNet cache)", f"{result['cold'][0]:.2f}", ""],  # type: ignore[index]
        ["`rag serve --background` until it answers", f"{result['background_start']:.2f}", ""],
        ["`rag ask` with the background server", f"{ask:.2f}", f"{ask / rest:.2f}x"],
        ["warm REST `POST /v1/query`", f"{rest:.2f}", "1.00x"],
        ["`python -c 'import rag.cli'`", f"{result['python_import_rag_cli']:.2f}", ""],
    ]
    phases = [[name, f"{seconds:.2f}"] for name, seconds in result["phases"]]  # type: ignore[attr-defined]
    cold_t, warm_t = result["cold_answer_timings"], result["warm_answer_timings"]
    steps = [("retrieval", "retrieve_ms"), ("first token", "first_token_ms")]
    steps.append(("generation", "generate_ms"))
    timings = ", ".join(
        f"{name} {cold_t.get(key, 0):.0f} / {warm_t.get(key, 0):.0f} ms"  # type: ignore[attr-defined]
        for name, key in steps
    )
    return (
        f'Document question: "{QUESTION}" over sample_docs; medians of {result["runs"]} runs '
        f"(load average {result['load_before']:.1f} at the start, {result['load_after']:.1f} "
        "at the end: other work shared the 2 cores).\n\n"
        + table(["", "seconds", "vs warm REST"], rows)
        + "\n\nWhere a cold `rag ask` spends its time (phases in one fresh interpreter):\n\n"
        + table(["phase", "seconds"], phases)
        + f"\n\nThe answer's own timings, cold process / warm server: {timings}."
    )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    result = run(runs)
    print(json.dumps(result, indent=2))
    body = report(result)
    print(body)
    write_section("CLI start-up", "python -m bench.cli", body)


if __name__ == "__main__":
    main()
