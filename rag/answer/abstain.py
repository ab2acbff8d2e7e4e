"""Abstention: when the documents do not hold the answer, say so and show the closest sources.

The signal reads the best sentences, not the retrieval score: similarity of the question to its
chunks does not separate answerable from unanswerable questions (AUC 0.31 on the sample_docs
set; the unanswerable ones name what the documents talk about). With the bundled embedder, the
answerability verifier (rag/answer/verifier.py, trained on generated pairs) scores whether one
of the best sentences states the answer (AUC 0.87/0.78 on the two halves); with another
embedder, the share of the question's focus terms the best sentence holds stands in. See
bench/evidence.py and docs/BENCHMARKS.md.
"""

import re
from collections.abc import Callable

from rag.answer.context import Evidence
from rag.answer.question import QuestionFocus, stems
from rag.answer.text import identifiers
from rag.answer.types import ABSTAIN_TEXT, AskResult
from rag.answer.verifier import AnswerabilityVerifier
from rag.retrieve import RetrievedChunk

# (focus, ranked evidence) → how well the best sentences answer the question, 0..1.
SupportSignal = Callable[[QuestionFocus, list[Evidence]], float]
# The verifier reads this many of the best answer-like sentences.
VERIFIED_SENTENCES = 3
# `evidence_signal` at or above this is support without the verifier.
HELD_FOCUS = 0.7

_NOT_IN_SOURCES = re.compile(
    r"\b(documents?|sources?|context|text)\b[^.]{0,40}\b(do|does|did)\s*(not|n't)\s+"
    r"(say|state|contain|mention|include|specify|provide)"
    r"|\bno (information|mention)\b|\bnot (mentioned|stated|specified|provided)\b",
    re.I,
)


# Evidence this strong is quoted even when the model says the documents do not say: a 135M
# model says so of answers it failed to read.
CONFIDENT_SUPPORT = 0.8
# A sentence not stating the kind of thing asked (no number for "how much") counts this much.
UNTYPED_SHARE = 0.5


def verifier_signal(verifier: AnswerabilityVerifier) -> SupportSignal:
    """The verifier's best score over the best answer-like sentences; a sentence that holds
    nearly all of the question's focus, stating the asked kind of answer, is support on its
    own (the verifier, trained on generated pairs, doubts such name-heavy ones as "The father
    of Kevin Boutte is ...": 20% false abstention on PhantomWiki without this)."""

    def signal(focus: QuestionFocus, ranked: list[Evidence]) -> float:
        about = about_the_asked(focus, ranked)
        held = _focus_held(about)
        if held >= HELD_FOCUS:
            return held
        best = [e.reads for e in about if e.answer_like][:VERIFIED_SENTENCES]
        return max(verifier.scores(focus.text, best), default=0.0)

    return signal


def evidence_signal(focus: QuestionFocus, ranked: list[Evidence]) -> float:
    """How well the best answer-like sentence answers the question: the share of the question's
    focus terms it holds (rarer weighing more), discounted when it does not state the kind of
    thing asked."""
    return _focus_held(about_the_asked(focus, ranked))


def _focus_held(about: list[Evidence]) -> float:
    best = next((e for e in about if e.answer_like), None)
    if best is None:
        return 0.0
    return best.coverage * (1.0 if best.typed else UNTYPED_SHARE)


def about_the_asked(focus: QuestionFocus, ranked: list[Evidence]) -> list[Evidence]:
    """The evidence whose passage names every year, version and model code the question does:
    the 2025 figures do not answer for 2024, nor the K2's for the K3 (held-out AUC of the
    verifier signal 0.79 → 0.86 on sample_docs, 0.73 → 0.85 on the blind set). None when no
    passage names what the question is about."""
    if unmentioned(focus, list({e.span.chunk.id: e.span.chunk for e in ranked}.values())):
        return []
    if not focus.identifiers:
        return ranked
    named: dict[str, frozenset[str]] = {}
    for e in ranked:
        chunk = e.span.chunk
        if chunk.id not in named:
            named[chunk.id] = identifiers(f"{chunk.title}\n{chunk.text}")
    return [e for e in ranked if focus.identifiers <= named[e.span.chunk.id]]


def unmentioned(focus: QuestionFocus, chunks: list[RetrievedChunk]) -> str | None:
    """The names the question is about ("zorblium" in "the boiling point of zorblium") that
    none of the retrieved passages holds: hybrid retrieval finds a name's every mention, so
    the documents do not talk about it, however well other sentences match the rest."""
    if not focus.subject:
        return None
    named: set[str] = set()
    for chunk in chunks:
        named |= stems(f"{chunk.title}\n{chunk.text}")
    missing = [word for word in focus.subject if not stems(word) <= named]
    return " ".join(missing) or None


def says_not_in_sources(text: str) -> bool:
    """Whether a model's answer is its way of saying the sources lack the answer."""
    return bool(_NOT_IN_SOURCES.search(text))


def abstain(result: AskResult, closest: list[RetrievedChunk], text: str = ABSTAIN_TEXT) -> None:
    """Say `text` instead of an answer, listing each place (file and page) of the `closest`
    chunks once, by its best chunk."""
    places: dict[tuple[str, int | None], RetrievedChunk] = {}
    for chunk in closest:
        places.setdefault((chunk.source, chunk.page), chunk)
    result.answer, result.abstained = text, True
    result.closest_sources = list(places.values())
    result.sentences, result.citations = [], []
