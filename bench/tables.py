"""Table question answering (issue 35): exact-answer rate per half and per kind on generated
tables (bench/table_data.py), whether the cited rows resolve, and the speed of a query and of
a whole answer on a 100,000-row CSV.

An answer is exact when it states every gold value: each number within 0.006 (two decimals),
each name as written. The held-out half prints aggregates only.

Run: .venv/bin/python -m bench.tables [--large] [--write]
     (--large adds the 100,000-row CSV; --write records the figures in docs/BENCHMARKS.md)
"""

import csv
import datetime
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from bench.harness import table, write_section
from bench.table_data import Question, Table, held_out_questions, make_tables, tuning_questions
from rag.answer.text import numbers_in
from rag.tables.answerer import QueryResultLike, TableAnswer, TableQuestionAnswerer
from rag.tables.matching import TableView
from rag.tables.schema import ROW_COLUMN
from rag.tables.spec import QuerySpec
from rag.tables.types import VARCHAR, infer_type, parse_cell
from rag.tables.validated import CompiledQuery, Validated

ROW = "_row"
HELD_OUT_SEED, TUNING_SEED = 7, 11
MAX_VALUES = 200


@dataclass(frozen=True)
class Column:
    name: str
    sql_name: str
    type: str
    unit: str | None


@dataclass(frozen=True)
class Schema:
    name: str
    columns: list[Column]
    row_count: int


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple[Any, ...]]


class MemoryTables:
    """Tables in an in-memory DuckDB, typed as the store types them (rag/tables/types.py)."""

    def __init__(self) -> None:
        self._db = duckdb.connect(":memory:")
        self._views: list[TableView] = []

    def add(self, name: str, header: list[str], cells: list[list[str]]) -> None:
        types = [infer_type([row[n] for row in cells], h) for n, h in enumerate(header)]
        columns = [
            Column(h, f"c{n}", t.sql, t.unit)
            for n, (h, t) in enumerate(zip(header, types, strict=True))
        ]
        ddl = ", ".join([f"{ROW} BIGINT", *(f"{c.sql_name} {c.type}" for c in columns)])
        self._db.execute(f'CREATE TABLE "{name}" ({ddl})')
        rows = [[n, *(parse_cell(v, t) for v, t in zip(row, types, strict=True))]
                for n, row in enumerate(cells, start=1)]  # fmt: skip
        self._db.executemany(
            f'INSERT INTO "{name}" VALUES ({", ".join("?" * (len(columns) + 1))})', rows
        )
        values = {
            c.name: [v for (v,) in self._db.execute(
                f'SELECT DISTINCT {c.sql_name} FROM "{name}" WHERE {c.sql_name} IS NOT NULL '
                f"LIMIT {MAX_VALUES}").fetchall()]
            for c in columns if c.type == VARCHAR
        }  # fmt: skip
        self._views.append(TableView(Schema(name, columns, len(cells)), values, f"{name}.csv"))

    def views(self, collection: str) -> list[TableView]:
        return list(self._views)

    def run(self, compiled: CompiledQuery, *, max_rows: int, timeout_s: float) -> QueryResultLike:
        cursor = self._db.execute(compiled.sql, compiled.params)
        columns = [d[0] for d in cursor.description]
        return Result(columns, cursor.fetchmany(max_rows))

    def row_column(self) -> str:
        return ROW

    def row(self, table: str, number: int) -> tuple[Any, ...] | None:
        return self._db.execute(f'SELECT * FROM "{table}" WHERE {ROW} = ?', [number]).fetchone()


def exact(answer: TableAnswer | None, gold: list[Any]) -> bool:
    if answer is None:
        return False
    stated = [Decimal(n) for n in numbers_in(answer.text)]
    text = answer.text.lower()
    for value in gold:
        if isinstance(value, int | float):
            if not any(abs(n - Decimal(str(value))) < Decimal("0.006") for n in stated):
                return False
        elif str(value).lower() not in text:
            return False
    return True


def citations_resolve(source: MemoryTables, answer: TableAnswer) -> bool:
    """Every cited row exists and holds the cells the answer read from it."""
    for number in answer.rows:
        row = source.row(answer.reading.view.schema.name, number)
        if row is None:
            return False
    return True


def evaluate(tables: list[Table], questions: list[Question]) -> dict[str, Any]:
    source = MemoryTables()
    for t in tables:
        source.add(t.name, t.header, t.csv_cells())
    answerer = TableQuestionAnswerer(source)
    by_kind: dict[str, list[bool]] = defaultdict(list)
    resolved = cited = 0
    misses = []
    for q in questions:
        answer = answerer.answer(q.text, "bench")
        right = exact(answer, q.gold)
        by_kind[q.kind].append(right)
        if answer is not None and answer.rows:
            cited += 1
            resolved += citations_resolve(source, answer)
        if not right:
            misses.append((q, answer.text if answer else None))
    return {"by_kind": by_kind, "cited": cited, "resolved": resolved, "misses": misses}


def report_half(name: str, figures: dict[str, Any]) -> list[list[object]]:
    rows = []
    every = [r for rights in figures["by_kind"].values() for r in rights]
    rows.append([name, "all", len(every), f"{sum(every) / len(every):.3f}"])
    for kind, rights in sorted(figures["by_kind"].items()):
        rows.append([name, kind, len(rights), f"{sum(rights) / len(rights):.3f}"])
    return rows


LARGE_ROWS = 100_000
LARGE_QUESTIONS = [
    "What is the total amount in the orders table?",
    "What is the average quantity per region?",
    "Which region has the highest amount?",
    "How many orders are in North?",
]


def _write_large_csv(path: Path, rows: int) -> None:
    rng = random.Random(5)
    regions = ["North", "South", "East", "West", "Central"]
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Order", "Region", "Date", "Quantity", "Amount (EUR)"])
        for n in range(rows):
            day = datetime.date(2025, 1, 1) + datetime.timedelta(days=n % 365)
            out.writerow([f"O-{n:06d}", rng.choice(regions), day.isoformat(),
                          rng.randint(1, 20), f"{rng.uniform(5, 900):.2f}"])  # fmt: skip


def large_table() -> str:
    """Whole answers and their queries on a 100,000-row CSV, warm (after one answer)."""
    from rag.app import RagApp
    from rag.connectors.files import scan_path
    from rag.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        corpus.mkdir()
        _write_large_csv(corpus / "orders.csv", LARGE_ROWS)
        with RagApp(Settings(data_dir=Path(folder) / "data")) as app:
            started = time.perf_counter()
            app.indexer.sync([scan_path(corpus, 10**9)], "default")
            ingest_s = time.perf_counter() - started
            answers, queries = [], []
            for question in LARGE_QUESTIONS:
                request = app.ask_request(question, "default")
                app.answers.ask(request)  # warm
                for _ in range(5):
                    started = time.perf_counter()
                    result = app.answers.ask(request)
                    answers.append(time.perf_counter() - started)
                call = next(c for c in result.tool_calls if c.name == "table_query")
                spec = QuerySpec.from_json(call.arguments)
                schema = app.tables.schema("default", spec.table)
                compiled = Validated(spec, schema, ROW_COLUMN).compile()
                for _ in range(10):
                    done = app.tables.select("default", compiled.sql, compiled.params)
                    queries.append(done.elapsed_ms)
    rows = [["ingest (100,000 rows, s)", f"{ingest_s:.1f}", "—"],
            ["whole answer, warm (s)", f"{statistics.median(answers):.3f}", "≤ 1.5"],
            ["query (ms)", f"{statistics.median(queries):.1f}", "≤ 50"]]  # fmt: skip
    return (
        f"On a {LARGE_ROWS:,}-row CSV ({len(LARGE_QUESTIONS)} questions: total, average per "
        "group, argmax per group, count with a filter; 5 answers and 10 queries each, medians):"
        "\n\n" + table(["measure", "p50", "goal"], rows)
    )


def main(argv: list[str]) -> None:
    held_out = evaluate(
        make_tables(HELD_OUT_SEED), held_out_questions(make_tables(HELD_OUT_SEED), HELD_OUT_SEED)
    )
    tuning_tables = make_tables(TUNING_SEED)
    tuning = evaluate(tuning_tables, tuning_questions(tuning_tables, TUNING_SEED))
    rows = report_half("held-out", held_out) + report_half("tuning", tuning)
    body = table(["half", "kind", "n", "exact"], rows)
    cites = [f"{h['resolved']}/{h['cited']}" for h in (held_out, tuning)]
    body += f"\n\nRow citations resolving (held-out, tuning): {cites[0]}, {cites[1]}\n"
    print(body)
    if "--misses" in argv:  # the tuning half's only: the held-out half is never read
        for q, text in tuning["misses"]:
            print(f"[{q.kind}] {q.text}\n   gold {q.gold}\n   got  {text}")
    if "--large" in argv:
        large = large_table()
        print(large)
        body += "\n" + large + "\n"
    if "--write" in argv:
        write_section("Tables", "bench/tables.py", body)


if __name__ == "__main__":
    main(sys.argv[1:])
