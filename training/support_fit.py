"""Fit the support signal's weights (rag/answer/abstain.py SUPPORT_WEIGHTS, SUPPORT_BIAS).

For every question of eval/sample_docs_qa.jsonl and the blind set, the answer stage's own
`support_reading` of its best sentences: the verifier's log-odds, how much closer the best
sentence stands to the question than the best chunk, whether one states the asked kind of
thing. A logistic regression (L2 1.0 on the weights, Newton steps) is fit on the calibration
halves of both sets only (bench/evidence.py's split); the held-out halves say whether it
carries. Questions the signal decides without the weights (no passage names the asked
subject, no answer-like sentence, focus held nearly whole) are left out of the fit.

Run: .venv/bin/python -m training.support_fit   ("Support signal"; paste the weights into
rag/answer/abstain.py, then recalibrate RAG_ABSTAIN_MIN_SUPPORT with bench.grounding)
"""

import tempfile
from pathlib import Path

import numpy as np

from bench.evidence import BLIND, SAMPLE, auc, half
from bench.harness import table, write_section
from rag.answer.abstain import HELD_FOCUS, support_reading
from rag.answer.context import embedder_similarity, rank_evidence
from rag.answer.question import analyse
from rag.answer.synonyms import wordnet_synonyms
from rag.answer.verifier import AnswerabilityVerifier
from rag.app import RagApp
from rag.embed import one_token_words
from rag.eval.answers import sync_corpus
from rag.eval.retrieval import load_dataset
from rag.settings import Settings

L2 = 1.0


def question_features(app: RagApp, dataset: Path, corpus: Path) -> list[dict]:
    collection, _ = sync_corpus(app, corpus.resolve())
    similarity = embedder_similarity(app.embedder)
    known_word = one_token_words(app.embedder)
    synonyms = wordnet_synonyms()
    verifier = AnswerabilityVerifier(app.embedder)
    rows = []
    for question in load_dataset(dataset):
        focus = analyse(question.question, known_word, synonyms)
        ranked = rank_evidence(focus, app.search(app.ask_request(question.question, collection)),
                               similarity)  # fmt: skip
        reading = support_reading(verifier, focus, ranked)
        if isinstance(reading, float):
            continue  # decided without the weights
        rows.append({"x": reading, "y": float(question.answerable),
                     "half": half(question.question)})  # fmt: skip
    return rows


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression weights, bias last."""
    x = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x.shape[1])
    penalty = L2 * np.diag(np.r_[np.ones(len(w) - 1), 0.0])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + penalty
        w -= np.linalg.solve(hessian, gradient)
    return w


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as data_dir,
        RagApp(Settings(data_dir=Path(data_dir))) as app,
    ):
        sets = {
            "sample_docs": question_features(app, *SAMPLE),
            "sample_docs blind set": question_features(app, BLIND, SAMPLE[1]),
        }
    calibration = [r for rows in sets.values() for r in rows if r["half"] == 0]
    w = fit(np.array([r["x"] for r in calibration]), np.array([r["y"] for r in calibration]))
    rows = []
    for name, found in sets.items():
        for label, part in (("calibration half", 0), ("held-out half", 1)):
            subset = [r for r in found if r["half"] == part]
            alone = [r["x"][0] for r in subset]
            fused = [float(np.dot(w[:-1], r["x"]) + w[-1]) for r in subset]

            def by_class(scores: list[float], s: list[dict] = subset) -> float | None:
                pos = [v for v, r in zip(scores, s, strict=True) if r["y"]]
                neg = [v for v, r in zip(scores, s, strict=True) if not r["y"]]
                return auc(pos, neg)

            rows.append([f"{name}, {label}", len(subset), by_class(alone), by_class(fused)])
    weights = ", ".join(f"{v:.2f}" for v in w[:-1])
    body = table(["set", "questions", "AUC verifier alone", "AUC fitted signal"], rows)
    body += (
        f"\n\nSUPPORT_WEIGHTS = ({weights}), SUPPORT_BIAS = {w[-1]:.2f}: verifier log-odds,"
        " best sentence's cosine minus best chunk's, a best sentence states the asked kind"
        f" (L2 {L2}; fit on the calibration halves, {len(calibration)} questions). Questions"
        " decided without the weights (no passage names the subject, focus held"
        f" >= {HELD_FOCUS}) are left out."
    )
    print(body)
    write_section("Support signal", "python -m training.support_fit", body)


if __name__ == "__main__":
    main()
