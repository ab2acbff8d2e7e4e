"""Answer quality on the sample_docs set with the default models: does the answer contain a gold
answer, is the right file cited, and does the system abstain on the unanswerable questions?

Run: .venv/bin/python -m bench.answers   (writes the "Answer quality" section)
"""

import statistics
import tempfile
import time
from pathlib import Path

from bench.harness import table, write_section
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.evaluation import answer_contains, load_dataset
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "eval" / "sample_docs_qa.jsonl"
CORPUS = ROOT / "sample_docs"


def main() -> None:
    questions = load_dataset(DATASET)
    answerable = [q for q in questions if q.answerable]
    unanswerable = [q for q in questions if not q.answerable]
    correct = cited = abstained_wrongly = abstained_rightly = 0
    seconds = []
    with (
        tempfile.TemporaryDirectory() as data_dir,
        RagApp(Settings(data_dir=Path(data_dir))) as app,
    ):
        app.indexer.sync([scan_path(CORPUS, app.settings.max_file_bytes)], "default")
        app.chat.ask("warm-up question?", "default", app.settings.top_k)
        for q in questions:
            started = time.perf_counter()
            result = app.chat.ask(q.question, "default", app.settings.top_k)
            seconds.append(time.perf_counter() - started)
            if q.answerable:
                correct += answer_contains(result.answer, q.answers)
                cited += any(Path(c.chunk.source).name in q.gold_sources for c in result.citations)
                abstained_wrongly += result.abstained
            else:
                abstained_rightly += result.abstained
    rows = [
        ["answer contains a gold answer", f"{correct}/{len(answerable)}"],
        ["a citation is in a gold file", f"{cited}/{len(answerable)}"],
        ["abstained on an answerable question", f"{abstained_wrongly}/{len(answerable)}"],
        ["abstained on an unanswerable question", f"{abstained_rightly}/{len(unanswerable)}"],
        ["seconds per question (median)", f"{statistics.median(seconds):.2f}"],
    ]
    for row in rows:
        print(row)
    write_section(
        "Answer quality",
        "python -m bench.answers",
        table(["measure (sample_docs QA, default models)", "value"], rows),
    )


if __name__ == "__main__":
    main()
