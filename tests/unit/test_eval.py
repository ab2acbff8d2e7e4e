"""`rag eval`: answer metrics through the real orchestrator (scripted model, hash embedder), and
`--compare` failing a run whose configuration was degraded."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.answer.types import ANSWER_STAGES
from rag.errors import InvalidInputError
from rag.eval.answers import compare
from rag.eval.judge import JUDGE_SYSTEM, parse_verdict
from rag.eval.retrieval import load_dataset
from tests.fakes import ScriptedModel

ROWS = [
    {
        "question": "What discount do customers get for two or more batteries?",
        "gold_sources": ["price-list.md"],
        "answers": ["8%"],
    },
    {
        "question": "What does error E04 mean on the battery?",
        "gold_sources": ["aurora-k2-manual.md"],
        "answers": ["isolation fault"],
    },
    {"question": "zebra quantum tango?", "answerable": False},
]


def _dataset(tmp_path: Path) -> Path:
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS))
    return path


def _eval(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.cli, ["eval", *args])
    return result.exit_code, result.output


def test_answer_metrics_score_what_the_orchestrator_answered(
    cli_on_fakes: Path,
    model: ScriptedModel,
    tmp_path: Path,
    docs: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model.replies += [
        "Customers get 8% off when they buy two or more batteries.",
        "The documents do not say.",
    ]
    records = tmp_path / "records.json"
    code, output = _eval(
        str(_dataset(tmp_path)), "--corpus", str(docs), "--records", str(records), "--json"
    )
    assert code == 0, output
    report = json.loads(output)
    assert report["contains_gold"] == 0.5 and report["evidence_hit"] == 0.5
    assert report["false_abstain"] == 0.5  # the model abstained on E04
    assert report["abstain_recall"] == 1.0 and report["abstain_precision"] == 0.5
    assert report["citations_resolve"] == 1.0
    assert {f"{stage}_ms_median" for stage in ANSWER_STAGES} <= set(report)
    first, second, third = json.loads(records.read_text())
    assert first["evidence_hit"] and first["citations"] == first["citations_resolved"] >= 1
    assert second["abstained"] and third["abstained"] and third["support"] < 0.05

    code, output = _eval(str(_dataset(tmp_path)), "--corpus", str(docs), "--json", "--limit", "1")
    assert code == 0 and json.loads(output)["answered_n"] == 1


def test_compare_fails_a_degraded_configuration_and_passes_an_equal_one(
    cli_on_fakes: Path, tmp_path: Path, docs: Path
) -> None:
    dataset = str(_dataset(tmp_path))
    code, output = _eval(dataset, "--corpus", str(docs), "--retrieval-only", "--json")
    assert code == 0, output
    baseline = tmp_path / "baseline.json"
    baseline.write_text(output)

    same = _eval(dataset, "--corpus", str(docs), "--retrieval-only", "--compare", str(baseline))
    assert same[0] == 0, same[1]

    # BM25 off: dense only, with an embedder that knows no synonyms.
    code, output = _eval(
        dataset, "--corpus", str(docs), "--retrieval-only", "--mode", "dense",
        "--compare", str(baseline),
    )  # fmt: skip
    assert code == 1
    assert "REGRESSED" in output and "regressed beyond 0.02" in output


def test_compare_flags_drops_and_more_false_abstention_but_not_latency() -> None:
    old = {"hit@1": 0.9, "false_abstain": 0.02, "retrieve_ms_median": 30.0, "mode": "hybrid"}
    new = {"hit@1": 0.85, "false_abstain": 0.10, "retrieve_ms_median": 90.0, "mode": "dense"}
    flagged = {key for key, *_, regressed in compare(old, new, 0.02) if regressed}
    assert flagged == {"hit@1", "false_abstain"}


def test_tool_labelled_rows_score_tool_accuracy(
    cli_on_fakes: Path, model: ScriptedModel, tmp_path: Path, docs: Path
) -> None:
    rows = [
        {"question": "What is 12 * 7?", "tool": "calculator", "answer": "84"},
        {"question": "What does error E04 mean on the battery?", "tool": None},
        {"question": "How many days are there between 2026-01-01 and 2026-03-01?",
         "tool": "calculator"},
    ]  # fmt: skip
    dataset = tmp_path / "tools.jsonl"
    dataset.write_text("\n".join(json.dumps(r) for r in rows) + "\n[1, 2]\n")
    with pytest.raises(InvalidInputError, match=":4: not a dataset row"):
        load_dataset(dataset)

    dataset.write_text("\n".join(json.dumps(r) for r in rows))
    model.replies.append("Isolation fault: switch the unit off and call a certified installer.")
    code, output = _eval(str(dataset), "--corpus", str(docs), "--json")
    assert code == 0, output
    report = json.loads(output, parse_constant=pytest.fail)  # strict JSON: no NaN
    assert report["abstain_recall"] is None  # no unanswerable row: unknown, not 0
    assert report["tool_accuracy"] == round(2 / 3, 4)  # the date question used days_between
    assert report["contains_gold"] == 1.0


def test_judge_rates_the_generated_answers_it_reads(
    cli_on_fakes: Path,
    model: ScriptedModel,
    tmp_path: Path,
    docs: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model.replies += [
        "Customers get 8% off when they buy two or more batteries.",
        "Yes, every statement is in passage 1.",
        "The documents do not say.",  # abstained: not judged
    ]
    records = tmp_path / "records.json"
    code, output = _eval(
        str(_dataset(tmp_path)), "--corpus", str(docs), "--judge", "--records", str(records)
    )
    assert code == 0, output
    first, second, third = json.loads(records.read_text())
    assert (first["faithful"], second["faithful"], third["faithful"]) == (True, None, None)
    judged = model.prompts[1]
    assert judged[0]["content"] == JUDGE_SYSTEM
    assert "Answer: Customers get 8% off" in judged[1]["content"]
    assert "Passage 1:" in judged[1]["content"]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [("Yes.", True), (" no, it is not", False), ("Unsupported", False), ("Maybe", None)],
)
def test_judge_verdicts_are_parsed_from_text(text: str, verdict: bool | None) -> None:
    assert parse_verdict(text) is verdict
