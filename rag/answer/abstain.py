"""Abstention: when the documents do not hold the answer, say so and show the closest sources.

The signal reads the best sentences, not the retrieval score: similarity of the question to its
chunks does not separate answerable from unanswerable questions (AUC 0.31 on the sample_docs
set; the unanswerable ones name what the documents talk about). With the bundled embedder, the
signal weighs the answerability verifier (rag/answer/verifier.py, trained on generated pairs)
with two readings of its own (`support_reading`; held-out AUC 0.89 and 0.88 on the two
sample_docs sets); with another embedder, the share of the question's focus terms the best
sentence holds stands in. See bench/evidence.py, training/support_fit.py and docs/BENCHMARKS.md.
"""

import math
import re
from collections.abc import Callable

from rag.answer.context import Evidence, best_answer_like, read_on
from rag.answer.lists import LIST_MARGIN, best_list
from rag.answer.naming import as_written, names_in_series
from rag.answer.question import LISTING, QuestionFocus, stems
from rag.answer.rows import names_another_row, row_sentence
from rag.answer.text import identifiers, numbers_in
from rag.answer.types import ABSTAIN_TEXT, AskResult
from rag.answer.unstated import HOW_MUCH, unstated
from rag.answer.verifier import AnswerabilityVerifier
from rag.retrieve import RetrievedChunk

_YEAR = re.compile(r"(?:18|19|20)\d\d")
_SHARE = re.compile(r"\d\s*%|\bper ?cent\b", re.I)
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
# model says so of answers it failed to read. (0.8 of the verifier's score alone; 0.7 of the
# fitted signal holds back the same share of the sample_docs questions, 42%. A best sentence
# holding HELD_FOCUS of the question, support on its own, is always this strong.)
CONFIDENT_SUPPORT = 0.7
# A sentence not stating the kind of thing asked (no number for "how much") counts this much.
UNTYPED_SHARE = 0.5


# Below these supports the answer abstains, unless RAG_ABSTAIN_MIN_SUPPORT says otherwise. For
# the verifier signal: the highest threshold keeping false abstention (the rules above
# included) within 5% on every question set tuned on, together: eval/sample_docs_qa.jsonl, its
# blind set and the four town tuning sets (2026-12-07, 451 answerable questions; 0.41 on the
# sample_docs calibration halves alone, before the rules: now they abstain on much of what it
# caught, and on the town sets it cost 13 right answers for 0.04 of recall). The coverage
# stand-in abstains only when the best sentence holds next to nothing of the question.
VERIFIER_MIN_SUPPORT = 0.245
COVERAGE_MIN_SUPPORT = 0.02
# Logistic weights of `support_reading`'s three readings and their bias, fit by
# training/support_fit.py on the calibration halves of eval/sample_docs_qa.jsonl and the blind
# set (2026-11-30).
SUPPORT_WEIGHTS = (0.26, 0.92, 1.05)
SUPPORT_BIAS = -0.58
_SCORE_FLOOR = 1e-4  # the verifier's scores are clipped to [floor, 1 - floor] for log-odds


def verifier_signal(verifier: AnswerabilityVerifier) -> SupportSignal:
    """The chance that the best answer-like sentences answer the question, from their
    `support_reading`."""

    def signal(focus: QuestionFocus, ranked: list[Evidence]) -> float:
        reading = support_reading(verifier, focus, ranked)
        if isinstance(reading, float):
            return reading
        z = SUPPORT_BIAS + sum(w * x for w, x in zip(SUPPORT_WEIGHTS, reading, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    return signal


def support_reading(
    verifier: AnswerabilityVerifier, focus: QuestionFocus, ranked: list[Evidence]
) -> float | tuple[float, float, float]:
    """The support, where it is decided without weighing (0.0 when no answer-like sentence is
    about the asked; the share held when the best one holds nearly all of the question's
    focus, stating the asked kind: the verifier, trained on generated pairs, doubts such
    name-heavy ones as "The father of Kevin Boutte is ...", 20% false abstention on
    PhantomWiki without this), else three readings of the best sentences to weigh: the
    log-odds of the verifier's best score for them (and, for a list or steps question, for the
    list it would quote, read whole: its lead line alone answers nothing); how much closer the
    closest of them stands to the question than the closest retrieved chunk does (the asked
    fact is in a sentence, not only its topic in the passage: AUC 0.71-0.84 alone); 1.0 when
    one of them states the asked kind of thing."""
    about = about_the_asked(focus, ranked)
    held = _focus_held(about)
    best = [e for e in about if e.answer_like][:VERIFIED_SENTENCES]
    if held >= HELD_FOCUS or not best:
        return held if best else 0.0
    read = [e.reads for e in best]
    if focus.answer_type in LISTING and (
        listed := best_list(about, LIST_MARGIN[focus.answer_type], focus.negated)
    ):
        read.append(" ".join(e.reads for e in listed))  # a list answers as a whole
    if focus.answer_type == "procedure":
        read.append(" ".join(e.reads for e in read_on(best[0], ranked, focus)))  # steps in prose
    score = max(verifier.scores(focus.text, read))
    score = min(max(score, _SCORE_FLOOR), 1.0 - _SCORE_FLOOR)
    chunk = max(e.span.chunk.similarity for e in ranked)
    return (
        math.log(score / (1.0 - score)),
        max(e.cosine for e in best) - chunk,
        float(any(e.typed for e in best)),
    )


def evidence_signal(focus: QuestionFocus, ranked: list[Evidence]) -> float:
    """How well the best answer-like sentence answers the question: the share of the question's
    focus terms it holds (rarer weighing more), discounted when it does not state the kind of
    thing asked."""
    return _focus_held(about_the_asked(focus, ranked))


def _focus_held(about: list[Evidence]) -> float:
    best = best_answer_like(about)
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
            named[chunk.id] = identifiers(chunk.passage)
    return [e for e in ranked if focus.identifiers <= named[e.span.chunk.id]]


def unmentioned(focus: QuestionFocus, chunks: list[RetrievedChunk]) -> str | None:
    """The names the question is about ("zorblium" in "the boiling point of zorblium"), and
    the codes, years and capitalised names it asks about ("E07", "Oakfield Park"), that none of
    the retrieved passages holds: hybrid retrieval finds a name's every mention, so the
    documents do not talk about it, however well other sentences match the rest. Else what it
    asks of a thing they do name that none of them states (rag/answer/unstated.py: "the
    postcode of the Guildhall")."""
    asked = [*focus.subject, *focus.names.specific, *focus.identifiers]
    named: set[str] = set()
    for chunk in chunks:
        named |= stems(chunk.passage)
    missing = [
        name
        for name in dict.fromkeys(asked)
        if not stems(name) <= named or not any(names_in_series(name, c.passage) for c in chunks)
    ]
    if missing:
        return ", ".join(as_written(name, focus.text) for name in missing)
    return unstated(focus, chunks)


def states_nothing_asked(focus: QuestionFocus, ranked: list[Evidence]) -> bool:
    """Whether a question asking how much, how many or how long, or who, is met by a best
    sentence (read with its neighbours) that states no figure beyond the question's own (in
    the asked measure where the question names one: hectares are no length; a year is no
    count), or names no person: the park keeper's row for "How many tennis courts are there
    in Millrace Park?", a committee's size for "Who chairs it?". Such a quote only looks like
    an answer; on the town tuning sets 10 of 13 such quantity quotes, and 3 of 4 such person
    quotes, were for unanswerable questions (the asked measure: 8 more of 166 caught, no
    answer lost)."""
    if focus.answer_type not in ("quantity", "person"):
        return False
    best = best_answer_like(ranked)
    if best is None:
        return False
    if names_another_row(best.reads, [e.reads for e in ranked], focus):
        return True  # another row's thing
    # as the quote would show it: a table row by the columns it answers with
    shown = " ".join(row_sentence(e.reads, focus) for e in read_on(best, ranked, focus))
    if focus.answer_type == "quantity" and focus.counts:
        # a count is written with any noun ("142 spaces" for "how many parking places"), but
        # a year is no count ("opened in 1871" for "how many graves")
        counted = numbers_in(shown) - numbers_in(focus.text)
        return all(_YEAR.fullmatch(n) for n in counted)
    # a share answers how much is paid ("a 30% deposit")
    return not (
        focus.has_answer_type(shown) or (HOW_MUCH.search(focus.text) and _SHARE.search(shown))
    )


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
