"""`make bench` and `make bench-long`: every benchmark script in turn, each timed, stopping at
the first that fails; the durations go to BENCHMARKS.md, so the 20-minute budget of `make bench`
is checked by the run itself.

Run: .venv/bin/python -m bench.run_all [default|long]
"""

import subprocess
import sys
import time

from bench.harness import table, write_section

SUITES: dict[str, list[list[str]]] = {
    "default": [
        ["bench.retrieval"],
        ["bench.store"],
        ["bench.grounding"],
        ["bench.evidence"],
        ["bench.llm"],
        ["bench.tools"],
        ["bench.ingest"],
        ["bench.api"],
        ["bench.models"],
    ],
    # 100,000 and a million chunks in the store, ingest memory on a 50 MB folder, embedder
    # backends, LoRA switch cost, answers on PhantomWiki, abstention signals, an IMAP sync.
    "long": [
        ["bench.store", "--long"],
        ["bench.ingest_memory"],
        ["bench.tables_store", "--long"],
        ["bench.embed_backends"],
        ["bench.lora"],
        ["bench.grounding", "--phantomwiki", "100"],
        ["bench.abstention"],
        ["bench.ocr"],
        ["bench.api", "failover"],
        ["bench.sources"],
    ],
}
SECTIONS = {"default": "Benchmark run (make bench)", "long": "Long benchmark run (make bench-long)"}


def main(argv: list[str]) -> None:
    suite = argv[0] if argv else "default"
    rows, total = [], 0.0
    for command in SUITES[suite]:
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", *command], check=True)  # noqa: S603
        seconds = time.monotonic() - started
        total += seconds
        rows.append([f"`python -m {' '.join(command)}`", f"{seconds / 60:.1f}"])
    rows.append(["**total**", f"**{total / 60:.1f}**"])
    body = table(["script", "minutes"], rows)
    print(body)
    write_section(SECTIONS[suite], f"python -m bench.run_all {suite}", body)


if __name__ == "__main__":
    main(sys.argv[1:])
