"""The table store on a large CSV: ingest time with and without table registration, the time
of an aggregate query and of a whole answer, and (--long) a 1,000,000-row CSV registered whole
in bounded memory.

Ingest: `Indexer.sync` of one 100,000-row CSV (six columns: id, region, product, date, units,
amount written "1,234.50") into a fresh data directory with the bundled MiniLM, warmed before
the clock starts; "without" is the same indexer with no table store. Both embed the same text:
above pages.TEXT_ROWS rows a table is written as a summary and a sample of its rows. Runs
alternate; the fastest of seven of each is kept (the machine is shared: the minimum is the run
least slowed by others), and the least CPU time of each, with the registration alone
(`TableStore.replace_source` of the read pages) beside it. Query: `TableStore.select` of two
aggregates, 50 runs each after a warm-up. Whole answer: an aggregate question through
`app.answers.ask` (the app's answer chain, as the front doors call it), 20 runs after a
warm-up. Long: each size is ingested in a fresh child process, whose peak RSS (ru_maxrss) is
compared, 100,000 rows against 1,000,000.

Run: .venv/bin/python -m bench.tables_store [--long]   (writes the "Table store" section)
"""

import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.harness import table, write_section

ROWS = 100_000
RUNS = 7
LONG_ROWS = 1_000_000
REGIONS = ("North", "South", "East", "West", "Centre")
PRODUCTS = ("Aurora K2", "Solar Gateway G3", "Wall bracket", "Installation", "Warranty")
QUERIES = {
    "sum per region": "SELECT region, sum(amount) FROM sales GROUP BY region ORDER BY 2 DESC",
    "filtered total": "SELECT sum(units) FROM sales WHERE date >= DATE '2025-07-01' "
    "AND product = 'Aurora K2'",
}
QUESTION = "What is the total amount in the sales table?"


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(rows)
    start = date(2025, 1, 1)
    with path.open("w") as out:
        out.write("id,region,product,date,units,amount\n")
        for n in range(rows):
            day = start + timedelta(days=rng.randrange(365))
            amount = rng.randrange(100, 5_000_000) / 100
            out.write(
                f"{n},{rng.choice(REGIONS)},{rng.choice(PRODUCTS)},{day.isoformat()},"
                f'{rng.randrange(1, 40)},"{amount:,.2f}"\n'
            )


def _ingest(csv: Path, data_dir: Path, with_tables: bool) -> tuple[float, float, object]:
    """The sync's wall-clock seconds, its CPU seconds (this process, all threads) and the app."""
    from rag.app import RagApp
    from rag.connectors.files import scan_path
    from rag.settings import Settings

    app = RagApp(Settings(data_dir=data_dir))
    app.embedder.embed_documents(["warm up"])
    indexer = app.indexer
    if not with_tables:
        indexer._tables = None  # the same indexer, registering no table
    started, cpu = time.perf_counter(), time.process_time()
    report = indexer.sync([scan_path(csv, app.settings.max_file_bytes)], "default")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert not report.failed, report.failed
    return elapsed, cpu, app


def ingest_and_query(rows: int) -> tuple[list[list[object]], list[list[object]]]:
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "sales.csv"
        write_csv(csv, rows)
        times: dict[bool, list[float]] = {True: [], False: []}
        cpus: dict[bool, list[float]] = {True: [], False: []}
        app = None
        for run in range(RUNS):
            for with_tables in (False, True):
                data_dir = Path(tmp) / f"data-{run}-{with_tables}"
                elapsed, cpu, opened = _ingest(csv, data_dir, with_tables)
                times[with_tables].append(elapsed)
                cpus[with_tables].append(cpu)
                if app is None and with_tables:
                    app = opened
                else:
                    opened.close()
        assert app is not None
        without, with_ = min(times[False]), min(times[True])
        cpu_without, cpu_with = min(cpus[False]), min(cpus[True])
        ingest_rows = [
            [
                f"{rows:,}-row CSV ({csv.stat().st_size / 1e6:.1f} MB)",
                f"{without:.2f}",
                f"{with_:.2f}",
                f"{with_ / without:.2f}×",
                f"{_registration(app, csv):.2f}",
                f"{statistics.median(times[False]):.2f} / {statistics.median(times[True]):.2f}",
                f"{cpu_without:.2f} / {cpu_with:.2f} ({cpu_with / cpu_without:.2f}×)",
            ]
        ]
        query_rows = []
        for name, sql in QUERIES.items():
            app.tables.select("default", sql)
            samples = []
            for _ in range(50):
                started = time.perf_counter()
                app.tables.select("default", sql)
                samples.append((time.perf_counter() - started) * 1000)
            samples.sort()
            query_rows.append([name, f"{samples[24]:.1f}", f"{samples[47]:.1f}"])
        query_rows.append(_whole_answer(app))
        app.close()
    return ingest_rows, query_rows


def _whole_answer(app) -> list[object]:
    """QUESTION answered through the app, warm: its p50 and p95 in ms, and the answer."""
    request = app.ask_request(QUESTION, "default")
    app.answers.ask(request)
    samples = []
    for _ in range(20):
        started = time.perf_counter()
        result = app.answers.ask(request)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return [f"whole answer: “{result.answer}”", f"{samples[9]:.1f}", f"{samples[18]:.1f}"]


def _registration(app, csv: Path) -> float:
    """The fastest of three registrations of the CSV's read pages, alone."""
    from rag.connectors.files import scan_path
    from rag.ingest.readers import read_pages

    [source] = scan_path(csv, app.settings.max_file_bytes).sources
    pages = read_pages(source, source.read())
    best = float("inf")
    for n in range(3):
        started = time.perf_counter()
        app.tables.replace_source("bench", source.source_id, "d", f"h{n}", pages)
        best = min(best, time.perf_counter() - started)
    return best


def _child(rows: int) -> None:
    """Ingest a CSV of `rows` rows; print the time, the rows registered and the peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "sales.csv"
        write_csv(csv, rows)
        elapsed, _, app = _ingest(csv, Path(tmp) / "data", True)
        count = app.tables.select("default", "SELECT count(*) FROM sales").rows[0][0]
        app.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "rows": count, "peak_mb": peak_mb}))


def long_run() -> list[list[object]]:
    rows = []
    for size in (ROWS, LONG_ROWS):
        done = subprocess.run(
            [sys.executable, "-m", "bench.tables_store", "--child", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(
            [f"{size:,}", result["rows"], f"{result['seconds']:.1f}", f"{result['peak_mb']:.0f}"]
        )
    return rows


def main() -> None:
    if "--child" in sys.argv:
        _child(int(sys.argv[sys.argv.index("--child") + 1]))
        return
    ingest_rows, query_rows = ingest_and_query(ROWS)
    body = (
        f"Ingest of one CSV, fastest of {RUNS} alternating runs (seconds; the table is written "
        "into the text as a summary and a 200-row sample either way; CPU: the least process CPU "
        "time of each, all threads, less disturbed by other load than the wall clock):\n\n"
        + table(
            [
                "file",
                "without tables",
                "with tables",
                "ratio",
                "registration alone",
                "medians without / with",
                "CPU s without / with (ratio)",
            ],
            ingest_rows,
        )
        + "\n\nQueries through `TableStore.select` (validation included), 50 runs; then the "
        f"whole answer to “{QUESTION}” through `app.answers.ask`, warm, 20 runs:\n\n"
        + table(["query", "p50 ms", "p95 ms"], query_rows)
    )
    if "--long" in sys.argv:
        body += "\n\nWhole ingest in a fresh process, every row registered:\n\n" + table(
            ["CSV rows", "rows registered", "seconds", "peak RSS MB"], long_run()
        )
    print(body)
    write_section("Table store", "bench/tables_store.py", body)


if __name__ == "__main__":
    main()
