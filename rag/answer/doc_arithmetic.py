"""Arithmetic over figures found in the documents: "What do three Solar Gateway G3 units cost?"

The question says what to compute (a count times a figure, a percentage of a figure, the
difference of two figures, or their sum); the sources hold the figures. Each figure is the
number in the source sentence or table row that shares the most words with the part of the
question naming it, and it must share at least half of them. The calculator computes the
expression and each figure is cited where it stands. When a figure cannot be found the caller
answers from the sources as usual. Parsing, not the model: the bundled 135M model picked the
right operands for 0 of 8 questions even under a llama.cpp grammar admitting only source numbers.
"""

import math
import re
from dataclasses import dataclass

from rag.answer.text import digits_for_number_words, numbers_in, split_sentences, without_periods
from rag.answer.types import Citation
from rag.retrieve import RetrievedChunk

# What a question needing arithmetic over the documents says, besides a how-much/-many ask:
# a count of things ("two weeks", "3 years"; not "5 more years", which names an item), a
# percentage, a comparison, or an aggregate over things joined by "and".
_ASKS_AMOUNT = re.compile(r"\b(how (much|many)|what (do|does|is|are))\b", re.I)
_COUNT = re.compile(
    r"(?<![\d.,\w])([2-9]|[1-9]\d+)\s+(?!%|more\b|extra\b|additional\b)(?=[a-z])", re.I
)
# A count that sizes a set the question asks to be listed, not a multiplier: "the three
# categories", "what are two benefits", "its 4 committees".
_LISTED_COUNT = re.compile(
    r"\b(the|these|those|its|their|your|our|all)\s+([2-9]|[1-9]\d+)\s+[a-z]"
    r"|^\W*(what|which)\s+(are|were)\s+([2-9]|[1-9]\d+)\s+[a-z]",
    re.I,
)
# A question asking what a term means: "What does 'three clear days' mean?" counts nothing.
_DEFINES = re.compile(r"\bmean(s|t)?\b|\bdefin|\bstands? for\b", re.I)
_PERCENT_ON = re.compile(
    r"(?<![\d.,])(\d+(?:\.\d+)?)\s*%\s*(?:[\w-]+\s+){0,3}?(?:on|of|for)\s+(.+)", re.I
)
_COMPARISON = re.compile(r"\b(more|less|cheaper|dearer|longer|shorter)\b(.*?)\bthan\b(.+)", re.I)
_AGGREGATE = re.compile(r"\b(together|in total|altogether|combined)\b", re.I)
_SOURCE_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w,]|\.\d)")
_WORD = re.compile(r"[a-z][a-z0-9-]*|[0-9]+[a-z][a-z0-9-]*", re.I)
# Words that ask rather than name: they never pick the sentence a figure comes from.
_ASKING = frozenset(
    """a an the and of on for in at to by do does did is are was be get gets much many how what
    which cost costs price priced total together altogether combined more less than its their
    each every one per list""".split()
)
_SUBTRACTS_SECOND = frozenset({"more", "dearer", "longer"})
MIN_NAMING_WORDS = 2


@dataclass(frozen=True)
class Figure:
    value: str  # plain digits: "7450"
    chunk: RetrievedChunk
    offset: int  # of the sentence in the chunk's text
    sentence: str


def needs_document_arithmetic(question: str) -> bool:
    text = digits_for_number_words(without_periods(question))
    if not _ASKS_AMOUNT.search(text) or _DEFINES.search(text):
        return False
    return bool(
        (_COUNT.search(text) and not _LISTED_COUNT.search(text))
        or _PERCENT_ON.search(text)
        or _COMPARISON.search(text)
        or (_AGGREGATE.search(text) and re.search(r"\band\b", text, re.I))
    )


def compose(question: str, chunks: list[RetrievedChunk]) -> tuple[str, list[Figure]] | None:
    """(calculator expression, the figures it uses), or None when a figure is not found."""
    text = digits_for_number_words(without_periods(question)).strip().rstrip("?")
    text = re.sub(r"^(how (much|many)|what( do| does| is| are)?)\b", "", text, flags=re.I)
    if match := _PERCENT_ON.search(text):
        figures = _figures([match.group(2)], chunks)
        template = f"{{0}} * {match.group(1)} / 100"
    elif match := _COMPARISON.search(text):
        figures = _figures([text[: match.start()] + match.group(2), match.group(3)], chunks)
        if match.group(1).lower() not in _SUBTRACTS_SECOND:
            figures.reverse()
        template = "{0} - {1}"
    elif match := _COUNT.search(text):
        figures = _figures([text[: match.start()] + text[match.end() :]], chunks)
        template = f"{match.group(1)} * {{0}}"
    else:
        parts = re.split(r"\band\b", _AGGREGATE.sub("", text), flags=re.I)
        figures = _figures(parts, chunks) if len(parts) > 1 else []
        template = " + ".join(f"{{{n}}}" for n in range(len(parts)))
    if not figures:
        return None
    return template.format(*(f.value for f in figures)), figures


def figures_stating(numbers: set[str], chunks: list[RetrievedChunk]) -> list[Figure]:
    """For each number (normalised as `numbers_in` gives it), the first sentence stating it."""
    figures = []
    for number in sorted(numbers):
        stated = (
            Figure(number, chunk, offset, sentence)
            for chunk in chunks
            for offset, sentence in split_sentences(chunk.text)
            if number in numbers_in(sentence)
        )
        figure = next(stated, None)
        if figure is not None:
            figures.append(figure)
    return figures


def citations_for(figures: list[Figure]) -> list[Citation]:
    citations: list[Citation] = []
    for figure in figures:
        start = figure.chunk.start + figure.offset
        if all(c.start != start for c in citations):
            citations.append(
                Citation(
                    f"c{len(citations) + 1}",
                    figure.chunk,
                    start,
                    start + len(figure.sentence),
                    figure.sentence,
                    1.0,
                )
            )
    return citations


def _figures(phrases: list[str], chunks: list[RetrievedChunk]) -> list[Figure]:
    """One figure per phrase, or [] when any is missing."""
    figures = [_figure(phrase, chunks) for phrase in phrases]
    return [f for f in figures if f is not None] if all(figures) else []


def _figure(phrase: str, chunks: list[RetrievedChunk]) -> Figure | None:
    wanted = _stems(phrase)
    if len(wanted) < MIN_NAMING_WORDS:
        return None  # "Q3" alone cannot say which of a row's figures is meant
    best: tuple[int, Figure] | None = None
    for chunk in chunks:
        for offset, sentence in split_sentences(chunk.text):
            score = len(wanted & _stems(sentence))
            if score and (best is None or score > best[0]):
                number = _nearest_number(sentence, wanted)
                if number is not None:
                    best = (score, Figure(number, chunk, offset, sentence))
    if best is None or best[0] < math.ceil(len(wanted) / 2):
        return None
    return best[1]


def _nearest_number(sentence: str, wanted: set[str]) -> str | None:
    """The number in the field (between `;` or `|`) sharing most words with the phrase, then
    the one standing closest to them: in "K2 units sold: 410; G3 gateways sold: 380" the G3
    figure is 380."""
    anchors = [m.start() for m in _WORD.finditer(sentence) if m.group().lower()[:5] in wanted]
    numbers = list(_SOURCE_NUMBER.finditer(sentence))
    if not numbers or not anchors:
        return None
    fields = [(m.start(), m.end()) for m in re.finditer(r"[^;|]+", sentence)]

    def rank(number: re.Match[str]) -> tuple[int, int]:
        start, end = next((a, b) for a, b in fields if a <= number.start() < b)
        in_field = sum(start <= a < end for a in anchors)
        return -in_field, min(abs(number.start() - a) for a in anchors)

    return min(numbers, key=rank).group().replace(",", "")


def _stems(text: str) -> set[str]:
    words = (w.lower() for w in _WORD.findall(text))
    return {w[:5] for w in words if w not in _ASKING}
