"""Tool routing with the default models: does each question reach the right tool (or none), and
is the final number right?

The set (`eval/tool_routing.jsonl`, written by us) mixes direct arithmetic, arithmetic in words,
arithmetic over numbers in sample_docs, date questions, unit conversions, word problems no
parser reads (`model`: the model must write the calculator call), and plain document questions
that need no tool. Each question goes through the full `ChatOrchestrator.ask` over an
index of sample_docs.

Run: .venv/bin/python -m bench.tools   (writes the "Tool routing" section)
"""

import json
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.harness import table, write_section
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.eval.retrieval import answer_contains
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "eval" / "tool_routing.jsonl"
NUMERIC = ("arithmetic", "words", "doc_arithmetic", "date", "units", "model")


def main() -> None:
    questions = [json.loads(line) for line in DATASET.read_text().splitlines() if line.strip()]
    chose = defaultdict(int)
    right = defaultdict(int)
    total = defaultdict(int)
    misses = []
    with (
        tempfile.TemporaryDirectory() as data_dir,
        RagApp(Settings(data_dir=Path(data_dir))) as app,
    ):
        app.indexer.sync([scan_path(ROOT / "sample_docs", app.settings.max_file_bytes)], "default")
        for q in questions:
            result = app.answers.ask(app.ask_request(q["question"], "default"))
            tools = [call.name for call in result.tool_calls]
            category = q["category"]
            total[category] += 1
            chose[category] += tools == ([q["tool"]] if q["tool"] else [])
            correct = q["answer"] is None or answer_contains(result.answer, [q["answer"]])
            right[category] += correct
            if not correct or tools != ([q["tool"]] if q["tool"] else []):
                misses.append(f"{category}: {q['question']} -> {tools} {result.answer[:80]!r}")
    rows = [
        [
            category,
            total[category],
            f"{chose[category]}/{total[category]}",
            f"{right[category]}/{total[category]}",
        ]
        for category in (*NUMERIC, "none")
    ]
    for row in rows:
        print(row)
    for miss in misses:
        print("miss:", miss)
    body = (
        "Default models over an index of sample_docs. `right tool` = exactly the expected tool "
        "was called (for `none`: no tool at all); `answer right` = the answer states the "
        "expected number or fact (current_date questions have none to check). Goals: "
        "arithmetic 100% right, no-tool questions >= 95% without a spurious tool call. `model` "
        "rows are word problems no parser reads: the model chooses tools in a loop of at most 4 "
        "grammar-constrained JSON calls (rag/answer/model_tools.py), and a calculator call may "
        "only use numbers the question or a tool result gave. The bundled 135M model writes a "
        "valid, right call for none of them.\n\n"
        + table(["category", "questions", "right tool", "answer right"], rows)
    )
    write_section("Tool routing", "python -m bench.tools", body)


if __name__ == "__main__":
    main()
