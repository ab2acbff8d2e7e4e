"""Verification: each answer sentence is matched to the source sentence that supports it.

Citations are not asked of the model: the citation quotes the supporting source sentence's
exact span, so `source_text[start:end] == text` always holds. A sentence no relevant source
sentence supports is never shown (rag/answer/stream.py).
"""

import re
from dataclasses import dataclass

from rag.answer.asks import asks_for_name
from rag.answer.context import Evidence
from rag.answer.question import QuestionFocus, stems
from rag.answer.spans import SourceSpan
from rag.answer.synonyms import Synonyms, no_synonyms
from rag.answer.text import (
    UNITS,
    content_words,
    identifiers,
    never_an_answer,
    numbers_in,
    stem,
    units_of,
    word_stems,
    words,
)
from rag.answer.types import Citation

# Share of an answer sentence's content words that a source sentence must contain.
MIN_SUPPORT = 0.6
# An answer sentence must be supported by one of the best RELEVANT_SENTENCES answer-like source
# sentences, scoring within RELEVANCE_MARGIN of the best (rag/answer/context.py's score).
RELEVANT_SENTENCES = 3
RELEVANCE_MARGIN = 0.5
# Fewer words than this, and no figure of its own, make a fragment (a heading, a slide label:
# "Qwen 2.5 Instruct"): an answer only to a question asking for a name or a value.
MIN_ANSWER_WORDS = 4
VALUE_TYPES = frozenset({"quantity", "date", "person", "link"})
_FILLER = frozenset({"answer"})  # "The answer is: 28 days."
_SYMBOLS = {"eur": "€", "usd": "$"}
# "NAME is the THING" without a figure: a claim joining a name to a thing, which holding the
# same words does not make the source say ("Old Road Cemetery is the cemetery chapel." from
# "Restoration of the chapel roof at Old Road Cemetery, which is a listed building, ...").
_PREPOSITION = re.compile(r"\s(?:of|at|in|for|on|with|from|by|to)\s", re.I)
_NAME_IS = re.compile(
    r"^\s*(?!(?:The|This|That|These|Those|It|There|Here|An?|Our|Your|Its|Their|He|She|They|We|You"
    r"|I)\b)(?P<name>[A-Z][\w'&-]*(?:\s+[A-Z][\w'&-]*)*)\s+(?:is|are|was|were)\s+(?:the|an?)\s+"
    r"(?P<thing>[^\d]+?)[.!]?\s*$"
)


def best_support(sentence: str, spans: list[SourceSpan]) -> tuple[SourceSpan, float] | None:
    words = content_words(sentence)
    if not words:
        return None
    numbers = numbers_in(sentence)
    units = units_of(sentence)
    named = identifiers(sentence)
    passage_names: dict[str, frozenset[str]] = {}  # chunk id → what its passage names
    best: tuple[SourceSpan, float] | None = None
    for span in spans:
        if not numbers <= span.numbers:
            continue  # a number the source sentence does not state is never "supported"
        if any(not _same_units(units[n], span, n) for n in units):
            continue  # "10 months" where the source says "10-year"
        if named:
            chunk = span.chunk
            if chunk.id not in passage_names:
                passage_names[chunk.id] = identifiers(chunk.passage)
            if not named <= passage_names[chunk.id]:
                continue  # "version 3.0" where the source says "Version 3.1.0"
        score = len(words & span.words) / len(words)
        if score >= MIN_SUPPORT and (best is None or score > best[1]):
            best = (span, score)
    return best


def cite(span: SourceSpan, score: float, citations: dict[tuple[str, int], Citation]) -> Citation:
    key = (span.chunk.source, span.start)
    if key not in citations:
        citations[key] = Citation(
            id=f"c{len(citations) + 1}",
            chunk=span.chunk,
            start=span.start,
            end=span.start + len(span.text),
            text=span.text,
            score=score,
        )
    return citations[key]


def _same_units(answer: frozenset[str], span: SourceSpan, number: str) -> bool:
    """Whether the source can say what the answer says of `number`: each unit the answer gives
    it is one the source sentence gives it or, where that leaves it bare (a table cell), one
    its passage names ("Prices are in euros"), never one the model made up ("1,290 kg")."""
    source = span.units.get(number, frozenset())
    added = answer - {""} - source
    if not added:
        return True
    passage = span.chunk.passage.lower()
    return "" in source and all(_named(unit, passage) for unit in added)


def _named(unit: str, passage: str) -> bool:
    spellings = [s for s, name in UNITS.items() if name == unit and (len(s) > 1 or s == "%")]
    if unit in _SYMBOLS and _SYMBOLS[unit] in passage:
        return True  # "Price (€)"
    return any(re.search(rf"(?<![a-z]){re.escape(s)}(?![a-z])", passage) for s in spellings)


@dataclass(frozen=True)
class Verdict:
    evidence: Evidence  # the source sentence that supports the answer sentence
    score: float  # share of the answer sentence's content words it holds


class AnswerVerifier:
    """An answer sentence passes when a source sentence the question is about supports it, it
    states the kind of thing asked for, and it is not a non-answer (see `never_an_answer`) or a
    lead-in announcing a list."""

    def __init__(
        self, focus: QuestionFocus, ranked: list[Evidence], synonyms: Synonyms = no_synonyms
    ) -> None:
        self._focus = focus
        self._synonyms = synonyms
        # The sentences that answer the question about as well as the best one; support from
        # any other shows the answer is about something else ("Zorblium is a teal mineral" for
        # its boiling point).
        answer_like = [e for e in ranked if e.answer_like]
        floor = answer_like[0].score - RELEVANCE_MARGIN if answer_like else 0.0
        self._relevant = [e for e in answer_like[:RELEVANT_SENTENCES] if e.score >= floor]
        self._spans = [e.span for e in self._relevant]

    def check(self, sentence: str) -> Verdict | None:
        focus = self._focus
        if never_an_answer(sentence, focus.asks_for_link) or not focus.has_answer_type(sentence):
            return None
        if sentence.rstrip().endswith(":"):
            return None  # a lead-in: alone it states nothing (the quote brings its list along)
        if self._fragment(sentence):
            return None
        best = best_support(sentence, self._spans)
        if best is None:
            return None
        span, score = best
        evidence = self._relevant[self._spans.index(span)]
        passage = stems(span.chunk.passage)
        cited = stems(evidence.reads) | stems(span.chunk.title)
        if self._unsaid(unstated_words(sentence, passage), passage) or self._unsaid(
            added_unsupported(focus, sentence, cited), cited
        ):
            return None
        if not joins_as_stated(sentence, span.text):
            return None
        return Verdict(evidence, score)

    def _unsaid(self, words_: set[str], said: frozenset[str]) -> bool:
        """Whether one of `words_` is not said, not even by a synonym ("costs" for a row's
        "Price")."""
        return any(not {stem(s) for s in self._synonyms(word)} & said for word in words_)

    def _fragment(self, sentence: str) -> bool:
        focus = self._focus
        if focus.answer_type in VALUE_TYPES or asks_for_name(focus.text):
            return False
        states_a_figure = bool(numbers_in(sentence) - numbers_in(focus.text))
        return len(words(sentence)) < MIN_ANSWER_WORDS and not states_a_figure


def joins_as_stated(sentence: str, source: str) -> bool:
    """Whether a claim that a name is a thing ("X is the Y of Z") stands in `source` as the
    source says it: the name, then the thing's head noun ("Y") after it. Other sentences pass."""
    claim = _NAME_IS.match(sentence)
    if claim is None:
        return True
    name = claim.group("name")
    at = source.lower().find(name.lower())
    head = words(_PREPOSITION.split(claim.group("thing"))[0])
    return at >= 0 and bool(head) and stem(head[-1]) in word_stems(source[at + len(name) :])


def added_unsupported(focus: QuestionFocus, sentence: str, cited: frozenset[str]) -> set[str]:
    """Words an answer sentence adds to the question that the sentence it cites does not say
    (`cited`: its stems and its document title's): "The father of Benny Hartman is Julio
    Hartman." shares three of four words with "The father of Benny Hartman is Aron Hartman.",
    but what it adds, the name, is not there."""
    return {w for w in words(sentence) if stems(w) - focus.terms - _FILLER - cited}


def unstated_words(sentence: str, passage: frozenset[str]) -> set[str]:
    """Words of an answer sentence its source's passage (`passage`: its stems) never says.
    The share of words a source sentence must hold (MIN_SUPPORT) lets a model add one of its
    own: "The defect was a broken hand rope." (the source: "frayed hand rope"), or
    "Brightwater Labs is the CEO of BrightWater." where no passage names a CEO."""
    return {w for w in words(sentence) if stems(w) - passage - _FILLER}
