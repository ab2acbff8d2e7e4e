"""Grounded answers with the default models: evidence hit, abstention, citations that resolve.

1. sample_docs QA (`eval/sample_docs_qa.jsonl`: answerable questions with gold files, and
   unanswerable ones whose facts are plausibly related but absent). Every question is answered
   once with support abstention off, so each record holds the model's answer and the
   retrieval support; any abstention threshold can then be replayed on the records. The
   threshold is calibrated on one half of the questions (the highest that keeps false
   abstention within FALSE_ABSTAIN_BUDGET there) and reported on the other half, and the
   configured default is reported on all of them. The blind set
   (`eval/sample_docs_qa_blind.jsonl`, written by someone who had not seen the answer stage)
   is split the same way: the threshold is calibrated on both sets' calibration halves
   together and reported on each held-out half.
2. With --phantomwiki N, the first N PhantomWiki questions (`../shared/eval/phantomwiki`, read
   in place): answer contains a gold answer, evidence hit.

Run: .venv/bin/python -m bench.grounding [--records FILE]   (sample_docs: "Grounded answers")
     .venv/bin/python -m bench.grounding --phantomwiki 60  ("Grounded answers, PhantomWiki")
"""

import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from bench.evidence import BLIND, PHANTOMWIKI, SAMPLE, half, stated_in_gold
from bench.harness import table, write_section
from rag.answer.abstain import VERIFIER_MIN_SUPPORT
from rag.app import RagApp
from rag.eval.answers import (
    AnswerRecord,
    answer_metrics,
    evaluate_answers,
    records_json,
    sync_corpus,
)
from rag.eval.retrieval import EvalQuestion, load_dataset
from rag.settings import Settings

FALSE_ABSTAIN_BUDGET = 0.05
SHOWN = ["contains_gold", "evidence_hit", "false_abstain", "abstain_recall",
         "abstain_precision", "citations_resolve", "prompt_tokens_median", "first_token_ms_median",
         "total_ms_median", "repeats_a_sentence"]  # fmt: skip


def answer_all(app: RagApp, questions: list[EvalQuestion], corpus: Path) -> list[AnswerRecord]:
    collection, _ = sync_corpus(app, corpus)
    # The model's load and first prompt, untimed.
    app.answers.ask(app.ask_request("warm-up question?", collection, 1))
    return evaluate_answers(app, questions, collection, corpus, app.settings.retrieval_mode)


def with_threshold(records: list[AnswerRecord], threshold: float) -> list[AnswerRecord]:
    """The records as they would be had answers below `threshold` support abstained."""
    replayed = []
    for r in records:
        if r.abstained or r.support >= threshold or r.tools:
            replayed.append(r)
        else:
            gold = None if r.contains_gold is None else False
            hit = None if r.evidence_hit is None else False
            replayed.append(
                dataclasses.replace(
                    r,
                    abstained=True,
                    contains_gold=gold,
                    evidence_hit=hit,
                    citations=0,
                    citations_resolved=0,
                )
            )
    return replayed


def calibrate(records: list[AnswerRecord]) -> float:
    """The highest threshold whose false abstention on `records` stays within the budget."""
    candidates = sorted({0.0, *(r.support for r in records)})
    best = 0.0
    for threshold in candidates:
        false_abstain = answer_metrics(with_threshold(records, threshold))["false_abstain"]
        if (false_abstain or 0.0) <= FALSE_ABSTAIN_BUDGET:
            best = threshold
    return best


def metrics_row(name: str, records: list[AnswerRecord]) -> list[object]:
    metrics = answer_metrics(records)
    values = (metrics.get(key) for key in SHOWN)
    return [name, len(records), *("—" if value is None else value for value in values)]


def main(argv: list[str]) -> None:
    wiki_questions = int(argv[argv.index("--phantomwiki") + 1]) if "--phantomwiki" in argv else 0
    records_path = argv[argv.index("--records") + 1] if "--records" in argv else None
    with tempfile.TemporaryDirectory() as data_dir:
        # Support abstention off: every question reaches the model, thresholds are replayed.
        settings = Settings(data_dir=Path(data_dir), abstain_min_support=-1.0)
        with RagApp(settings) as app:
            if wiki_questions:
                questions = load_dataset(PHANTOMWIKI / "questions.jsonl")[:wiki_questions]
                records = answer_all(app, questions, (PHANTOMWIKI / "corpus").resolve())
            else:
                dataset, corpus = SAMPLE
                records = answer_all(app, load_dataset(dataset), corpus.resolve())
                blind = answer_all(app, load_dataset(BLIND), corpus.resolve())
    if records_path:
        every = records if wiki_questions else records + blind
        Path(records_path).write_text(json.dumps(records_json(every), indent=1))
    if wiki_questions:
        _report_phantomwiki(records, questions)
    else:
        _report_sample_docs(records, blind)


def _report_sample_docs(records: list[AnswerRecord], blind: list[AnswerRecord]) -> None:
    default_threshold = VERIFIER_MIN_SUPPORT
    tune, test = split_halves(records)
    blind_tune, blind_test = split_halves(blind)
    threshold = calibrate(tune + blind_tune)
    replays = [
        ("no support abstention", records, -1.0),
        (f"default threshold {default_threshold}", records, default_threshold),
        (f"calibration half, threshold {threshold:.3f}", tune, threshold),
        (f"held-out half, threshold {threshold:.3f}", test, threshold),
        ("blind set, no support abstention", blind, -1.0),
        (f"blind set, default threshold {default_threshold}", blind, default_threshold),
        (f"blind set, calibration half, threshold {threshold:.3f}", blind_tune, threshold),
        (f"blind set, held-out half, threshold {threshold:.3f}", blind_test, threshold),
    ]
    rows = [metrics_row(name, with_threshold(rs, t)) for name, rs, t in replays]
    body = table(["sample_docs QA", "n", *SHOWN], rows)
    body += (
        "\n\nDefault models (MiniLM, SmolLM2-135M Q8), top_k from settings. `support` ="
        " rag/answer/abstain.py's signal over the 3 best answer-like sentences (the"
        " answerability verifier's log-odds, the best sentence's cosine minus the best"
        " chunk's, a sentence stating the asked kind; weights from training/support_fit.py);"
        " an answer abstains when support is below the threshold, or"
        " when the model says the sources do not contain the answer and support is under"
        " CONFIDENT_SUPPORT."
        " The calibrated threshold is the highest keeping false abstention at most"
        f" {FALSE_ABSTAIN_BUDGET} on the calibration halves of both sets together (questions"
        " split by a hash of their text); the blind set (eval/sample_docs_qa_blind.jsonl) was"
        " written by someone who had not seen the answer stage."
        " contains_gold and evidence_hit are over answerable questions, counting an"
        " abstention as a miss; citations_resolve re-reads each cited file and checks"
        " `page_text[start:end] == text`."
    )
    print(body)
    write_section("Grounded answers", "python -m bench.grounding", body)


def split_halves(records: list[AnswerRecord]) -> tuple[list[AnswerRecord], list[AnswerRecord]]:
    """The calibration half and the held-out half, by a hash of the question."""
    return (
        [r for r in records if half(r.question) == 0],
        [r for r in records if half(r.question) == 1],
    )


def _report_phantomwiki(records: list[AnswerRecord], questions: list[EvalQuestion]) -> None:
    threshold = VERIFIER_MIN_SUPPORT
    corpus = PHANTOMWIKI / "corpus"
    stated = {q.question for q in questions if q.answerable and stated_in_gold(q, corpus)}
    replayed = with_threshold(records, threshold)
    groups = [
        ("PhantomWiki, all", replayed),
        ("answer stated in the gold article", [r for r in replayed if r.question in stated]),
        ("needs a second article", [r for r in replayed if r.question not in stated]),
    ]
    body = table(["set", "n", *SHOWN], [metrics_row(name, rs) for name, rs in groups])
    body += (
        f"\n\nThe first {len(records)} questions of ../shared/eval/phantomwiki (read in place),"
        f" default models and abstention threshold {threshold}. A question's answer is stated"
        ' in its gold article when a gold answer is written there ("the father of X", "the'
        ' person whose hobby is Y"); the others need a second article or a count (cousin,'
        ' in-law, "how many").'
    )
    print(body)
    write_section(
        "Grounded answers, PhantomWiki", "python -m bench.grounding --phantomwiki N", body
    )


if __name__ == "__main__":
    main(sys.argv[1:])
