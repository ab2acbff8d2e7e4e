"""Does the answer stage's context selection put the sentence holding the answer first?

No language model: each question is retrieved as the answer stage retrieves it, its sentences
are ranked by rag/answer/context.py, and the best one (and the best three) are checked for a
gold answer. The same pass measures how well the evidence separates answerable from
unanswerable questions (AUC of each abstention signal on the sample_docs set). Questions split
into halves by a hash of their text; report both, tune on neither alone.

Run: .venv/bin/python -m bench.evidence [--phantomwiki N] [--verbose] [--no-synonyms]
("Evidence ranking"; --no-synonyms prints the ranking without WordNet, for comparison)
"""

import hashlib
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench.harness import table, write_section
from rag.answer.context import embedder_similarity, rank_evidence
from rag.answer.question import analyse
from rag.answer.synonyms import Synonyms, no_synonyms, wordnet_synonyms
from rag.app import RagApp
from rag.embed import one_token_words
from rag.eval.answers import SourceTexts, sync_corpus
from rag.eval.retrieval import EvalQuestion, answer_contains, load_dataset
from rag.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "eval" / "sample_docs_qa.jsonl", ROOT / "sample_docs")
BLIND = ROOT / "eval" / "sample_docs_qa_blind.jsonl"  # never tuned on
TOWN_DEV = ROOT / "eval" / "town" / "questions_dev.jsonl"  # the town blind set is never read here
PHANTOMWIKI = ROOT.parent / "shared" / "eval" / "phantomwiki"


_SOURCES = SourceTexts(Settings().max_file_bytes)


def half(question: str) -> int:
    return hashlib.sha256(question.encode()).digest()[0] % 2


def auc(positive: list[float], negative: list[float]) -> float | None:
    if not positive or not negative:
        return None
    pairs = [(a > u) + 0.5 * (a == u) for a in positive for u in negative]
    return round(float(np.mean(pairs)), 3)


def stated_in_gold(question: EvalQuestion, corpus: Path) -> bool:
    """Whether a gold answer is written in a gold source (one article answers it), as the
    file's reader gives its text (PDF, DOCX and spreadsheets too)."""
    texts = [_SOURCES.text_of(str(corpus / name)) for name in question.gold_sources]
    return any(answer_contains(text, question.answers) for text in texts)


def measure(
    app: RagApp, questions: list[EvalQuestion], corpus: Path, synonyms: Synonyms
) -> list[dict]:
    collection, _ = sync_corpus(app, corpus)
    similarity = embedder_similarity(app.embedder)
    known_word = one_token_words(app.embedder)  # as the answer stage reads names
    rows = []
    for question in questions:
        request = app.ask_request(question.question, collection)
        chunks = app.search(request)
        focus = analyse(question.question, known_word, synonyms)
        ranked = rank_evidence(focus, chunks, similarity)
        golds = question.answers
        rows.append(
            {
                "question": question.question,
                "half": half(question.question),
                "answerable": question.answerable,
                "stated": question.answerable and stated_in_gold(question, corpus),
                "top1": bool(ranked) and answer_contains(ranked[0].reads, golds),
                "top3": any(answer_contains(e.reads, golds) for e in ranked[:3]),
                "signal": app.support_signal(focus, ranked),
                "support": max((c.similarity for c in chunks), default=0.0),
                "best": " // ".join(" ".join(e.reads.split())[:90] for e in ranked[:3]),
            }
        )
    return rows


def summary(name: str, rows: list[dict]) -> list[list[object]]:
    out = []
    for label, part in (("tuning half", 0), ("held-out half", 1)):
        subset = [r for r in rows if r["half"] == part]
        stated = [r for r in subset if r["stated"]]
        answerable = [r["signal"] for r in subset if r["answerable"]]
        unanswerable = [r["signal"] for r in subset if not r["answerable"]]
        out.append(
            [
                f"{name}, {label}",
                len(stated),
                round(sum(r["top1"] for r in stated) / max(len(stated), 1), 3),
                round(sum(r["top3"] for r in stated) / max(len(stated), 1), 3),
                auc(answerable, unanswerable) or "—",
            ]
        )
    return out


def main(argv: list[str]) -> None:
    wiki = int(argv[argv.index("--phantomwiki") + 1]) if "--phantomwiki" in argv else 0
    synonyms = no_synonyms if "--no-synonyms" in argv else wordnet_synonyms()
    rows: list[list[object]] = []
    with (
        tempfile.TemporaryDirectory() as data_dir,
        RagApp(Settings(data_dir=Path(data_dir))) as app,
    ):
        dataset, corpus = SAMPLE
        sample = measure(app, load_dataset(dataset), corpus.resolve(), synonyms)
        rows += summary("sample_docs", sample)
        blind = measure(app, load_dataset(BLIND), corpus.resolve(), synonyms)
        rows += summary("sample_docs blind set", blind)
        town = measure(
            app, load_dataset(TOWN_DEV), (TOWN_DEV.parent / "corpus").resolve(), synonyms
        )
        rows += summary("town dev set", town)
        if wiki:
            questions = load_dataset(PHANTOMWIKI / "questions.jsonl")[:wiki]
            phantom = measure(app, questions, (PHANTOMWIKI / "corpus").resolve(), synonyms)
            rows += summary("PhantomWiki", phantom)
    if "--verbose" in argv:
        for r in sample + (phantom if wiki else []):
            if r["stated"] and not r["top1"]:
                print(round(r["signal"], 3), r["question"], "->", r["best"])
    body = table(
        ["set", "questions stated in one source", "best sentence holds gold", "top 3 hold gold",
         "abstention signal AUC"],
        rows,
    )  # fmt: skip
    body += (
        "\n\nDefault retrieval (hybrid, top_k from settings), sentences ranked by"
        " rag/answer/context.py with the bundled MiniLM; no language model. A question counts"
        " when a gold answer is written in one of its gold sources. The AUC is the chance that"
        " an answerable question's support signal (rag/answer/abstain.py: the answerability"
        " verifier, with two readings of its own, over the best 3 answer-like sentences)"
        " beats an unanswerable one's."
    )
    print(body)
    if synonyms is not no_synonyms:  # the other is a comparison, printed only
        write_section("Evidence ranking", "python -m bench.evidence", body)


if __name__ == "__main__":
    main(sys.argv[1:])
