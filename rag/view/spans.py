"""Where a cited span of the indexed text stands in another reading of the same page.

A citation's `[start, end)` indexes the page text the index holds (pypdf's text layer, a
pdfplumber table, Tesseract's words). The viewer draws on what PDFium or Tesseract reads now,
which differs in spacing, ligatures, hyphens and line order. So both are compared as words
(letters and digits, Unicode-normalised, case-folded): the span's words are found in the other
reading exactly when they can be, else through the longest common word runs of the two pages.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

_WORD = re.compile(r"\w+")

Match = Literal["exact", "approximate", "none"]


@dataclass(frozen=True)
class Word:
    key: str  # normalised, for comparing
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The words of `text` with their character offsets in it."""
    return [Word(word_key(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def word_key(word: str) -> str:
    """A word as compared: "ﬁle" and "File" are one."""
    return unicodedata.normalize("NFKC", word).casefold()


@dataclass(frozen=True)
class CitedSpan:
    """`[start, end)` of a page's indexed text, as a citation carries it (empty: none)."""

    page_text: str
    start: int
    end: int

    @property
    def empty(self) -> bool:
        return self.end <= self.start


@dataclass(frozen=True)
class Alignment:
    first: int  # index of the first target word the span covers
    last: int  # and of the last, inclusive
    match: Match


def align(span: CitedSpan, target: Sequence[str]) -> Alignment | None:
    """The run of `target` words (keys, as `word_key` makes them) that the span stands for;
    None when it is empty or too few of its words can be placed."""
    if span.empty:
        return None
    cited = words(span.page_text)
    inside = [n for n, w in enumerate(cited) if w.start < span.end and span.start < w.end]
    if not inside or not target:
        return None
    keys = [w.key for w in cited]
    first, last = inside[0], inside[-1]
    needle = keys[first : last + 1]
    found = _occurrences(needle, target)
    if found:
        ordinal = len(_occurrences(needle, keys[:first]))
        if len(found) == len(_occurrences(needle, keys)):
            at = found[ordinal]
        else:  # the two readings disagree on how often it occurs: the nearest by position
            expected = first / len(keys) * len(target)
            at = min(found, key=lambda n: abs(n - expected))
        return Alignment(at, at + len(needle) - 1, "exact")
    placed = _densest(_matched(keys, target, first, last), gap=len(needle))
    # A word or two in common (a "the", a page number) places nothing.
    if len(placed) < max(1, len(needle) // 3):
        return None
    return Alignment(placed[0], placed[-1], "approximate")


def _occurrences(needle: Sequence[str], haystack: Sequence[str]) -> list[int]:
    size = len(needle)
    head = needle[0]
    return [
        n
        for n in range(len(haystack) - size + 1)
        if haystack[n] == head and list(haystack[n : n + size]) == list(needle)
    ]


def _matched(keys: Sequence[str], target: Sequence[str], first: int, last: int) -> list[int]:
    """Target indices of the span's words that the two pages' common word runs pair up."""
    matcher = SequenceMatcher(None, list(keys), list(target), autojunk=False)
    placed = []
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            if first <= block.a + offset <= last:
                placed.append(block.b + offset)
    return placed


def _densest(placed: list[int], gap: int) -> list[int]:
    """The largest group of placed words with no gap wider than `gap` between neighbours:
    stray matches elsewhere on the page do not stretch the highlight to them."""
    groups: list[list[int]] = []
    for index in sorted(placed):
        if groups and index - groups[-1][-1] <= gap + 1:
            groups[-1].append(index)
        else:
            groups.append([index])
    return max(groups, key=len, default=[])
