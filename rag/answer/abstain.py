"""Abstention: when the documents do not hold the answer, say so and show the closest sources.

The signal is the evidence, not the retrieval score: how much of the question's focus the best
answer-like sentence holds (rarer terms weighing more) and whether it states the kind of thing
asked. Similarity of the question to its chunks does not separate (measured AUC 0.31 on the
sample_docs set: unanswerable questions name what the documents talk about); see
bench/evidence.py and docs/BENCHMARKS.md.
"""

import re

from rag.answer.context import Evidence
from rag.answer.question import QuestionFocus
from rag.answer.types import ABSTAIN_TEXT, AskResult
from rag.retrieve import RetrievedChunk

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


def evidence_signal(focus: QuestionFocus, ranked: list[Evidence]) -> float:
    """How well the best answer-like sentence answers the question: the share of the question's
    focus terms it holds (rarer weighing more), discounted when it does not state the kind of
    thing asked."""
    best = next((e for e in ranked if e.answer_like), None)
    if best is None:
        return 0.0
    return best.coverage * (1.0 if best.typed else UNTYPED_SHARE)


def says_not_in_sources(text: str) -> bool:
    """Whether a model's answer is its way of saying the sources lack the answer."""
    return bool(_NOT_IN_SOURCES.search(text))


def abstain(result: AskResult, closest: list[RetrievedChunk]) -> None:
    result.answer, result.abstained, result.closest_sources = ABSTAIN_TEXT, True, closest
    result.sentences, result.citations = [], []
