"""What a question names among siblings, and which sentences name a sibling instead.

"What is the price of the Aurora K2?" names the K2; the price list's row for the K2's wall
bracket, or the K3's row, answers another question. "My battery shows E04" names one error
code of a table of five. A question names things by code, version or year (rag/answer/text.py's
`identifiers`) and by capitalised names ("Riverside Park", "Planning Committee"). A sentence
names a *sibling* when it names another thing of the same family (another code of the same
shape, another year, another "... Park") and not the asked one: such a sentence is never the
answer while one naming the asked thing exists.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from rag.answer.text import identifiers, stem, word_stems

# Capitalised words in a row, each maybe with digits: "Riverside Park", "Aurora K2".
_CAPITALISED = re.compile(r"\b[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|\d[\w.-]*))*")
_DIGITS = re.compile(r"\d+")
_SERIES_LETTER = re.compile(r" [a-z]$")
POSSESSIVE = re.compile(r"['’]s$")
_ACRONYM = re.compile(r"[A-Z]{2,5}s?")
# The pronoun I, capitalised mid-sentence, splits a run of capitalised words ("Once I've").
_PRONOUN_I = re.compile(r"\bI(?:'(?:ve|m|d|ll))?\b")
# A relative called as the asker calls them: "Dad's grave" names no one the documents must
# mention.
FAMILY_WORDS = frozenset(
    "mum mom mam dad nan nana nanna gran granny grandma grandpa grandad granddad mother father"
    " grandmother grandfather".split()
)
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday"
_MONTHS = "january february march april june july august september october november december"
# A question's first word and these capitalised words name nothing.
_NOT_NAMES = (
    frozenset(
        """i what who whom where when which how why is are do does did can could should would will
    may the a an my our your their its this that these those if in on at for of to and or
    under besides apart after before since during from with without except excluding including
    """.split()
    )
    | frozenset(f"{WEEKDAYS} {_MONTHS}".split())
    | FAMILY_WORDS
)


# Closed families of modifiers: one member is no other ("a third car" is not the first or the
# second, "purple sacks" no blue bin, "a daily consent" no annual one, "summer" no winter, a
# Saturday no Friday). "May" is left out: it is far more often the verb.
_CALENDAR = (WEEKDAYS, _MONTHS)  # always capitalised, so never read as part of a name
_ALWAYS_CAPITALISED = frozenset(" ".join(_CALENDAR).split())
_KIND_FAMILIES = tuple(
    frozenset(family.split())
    for family in (
        "first second third fourth fifth sixth seventh eighth ninth tenth",
        "red blue green black brown purple grey gray white yellow orange pink",
        "daily weekly fortnightly monthly quarterly annual",
        "spring summer autumn winter",
        "long short",
        "high low",
        "minimum maximum",
        *_CALENDAR,
    )
)
_KIND_MEMBERS = frozenset().union(*_KIND_FAMILIES)
_MONTH_NAMES = frozenset(_MONTHS.split())
_SAME_KIND = {"yearly": "annual", "annually": "annual"}
_WORD = re.compile(r"[A-Za-z]+")
# "how long", "as high as": a question's or a comparison's word, not a modifier
_MEASURE_WORDS = frozenset("long short high low".split())
_ASKING_BEFORE = frozenset("how as so too".split())
# "Monday to Friday", "April–September": every day or month between is said
_RANGE = re.compile(r"\b([A-Za-z]+)\s*(?:to|-|–|until|till|through)\s*([A-Za-z]+)\b")
_DAY_NUMBER = re.compile(r"\d{1,2}(?:st|nd|rd|th)?\s*$")


def kind_words(text: str) -> frozenset[str]:
    """The words of `text` in a closed family (`_KIND_FAMILIES`), with the days or months a
    range spans; not those inside a capitalised name ("Hollins Green", "High Street"), a
    measure asked ("how long"), or a month in a date ("26 December" names a day)."""
    tokens = list(_WORD.finditer(text))
    found = set()
    for n, token in enumerate(tokens):
        word = _kind_word(token.group())
        if word is None:
            continue
        before = tokens[n - 1].group().lower() if n else ""
        if word in _MEASURE_WORDS and before in _ASKING_BEFORE:
            continue
        if word in _MONTH_NAMES and _DAY_NUMBER.search(text[: token.start()]):
            continue
        if word not in _ALWAYS_CAPITALISED and _in_name(tokens, n, text):
            continue
        found.add(word)
    for first, last in _RANGE.findall(text):
        found |= _spanned(_kind_word(first), _kind_word(last))
    return frozenset(found)


def _kind_word(token: str) -> str | None:
    """`token` as a member of a closed family ("Fridays" → "friday"), or None."""
    word = _SAME_KIND.get(token.lower(), token.lower())
    for candidate in (word, word.removesuffix("s")):
        if candidate in _KIND_MEMBERS:
            return candidate
    return None


def _in_name(tokens: list[re.Match[str]], n: int, text: str) -> bool:
    """Whether the capitalised token `n` stands beside another capitalised word of the same
    sentence that is no stopword: "Hollins Green", not "The Purple sack"."""
    if not tokens[n].group()[0].isupper():
        return False
    for m in (n - 1, n + 1):
        if not 0 <= m < len(tokens):
            continue
        other = tokens[m]
        between = text[min(other.end(), tokens[n].end()) : max(other.start(), tokens[n].start())]
        if (
            other.group()[0].isupper()
            and other.group().lower() not in _NOT_NAMES
            and "." not in between
        ):
            return True
    return False


def _spanned(first: str | None, last: str | None) -> set[str]:
    """The weekdays or months from `first` to `last`, both included (round the week or year)."""
    for family in _CALENDAR:
        order = family.split()
        if first in order and last in order:
            start, end = order.index(first), order.index(last)
            return {order[(start + k) % len(order)] for k in range((end - start) % len(order) + 1)}
    return set()


@dataclass(frozen=True)
class AskedNames:
    """The identifiers and capitalised names a question asks about."""

    identifiers: frozenset[str]
    names: tuple[tuple[str, ...], ...]  # each name as lowercased words: ("riverside", "park")
    # The names that can only mean one thing here: with a code ("Aurora K2") or a word that is
    # no ordinary word ("Oakfield Park"). "London" or "Germany" may be written "United
    # Kingdom" or "the European Union" in the sources, so their absence proves nothing.
    specific: tuple[str, ...] = ()
    kinds: frozenset[str] = frozenset()  # its words of a closed family: "third", "purple"

    def __bool__(self) -> bool:
        return bool(self.identifiers or self.names)

    def named_in(self, text: str) -> bool:
        """Whether `text` names everything the question names."""
        found = identifiers(text)
        held = word_stems(text)
        return self.identifiers <= found and all(
            {stem(w) for w in name} <= held
            and (not _numbered(name) or name[-1] in _numbers_of(name, text))
            for name in self.names
        )

    def sibling_in(self, text: str) -> bool:
        """Whether `text` names another thing of a family an asked name belongs to, and not
        the asked one: "E01" for E04, "2024" for 2025, "Oakfield Park" for Riverside Park."""
        if self.kinds and self._kind_sibling_in(text):
            return True  # "the first and second vehicles" for a third car
        if self.identifier_sibling_in(text):
            return True
        held = word_stems(text)
        for name in self.names:
            if _numbered(name) and name[-1] not in (numbers := _numbers_of(name, text)):
                if numbers:
                    return True  # "Meeting Room 2" for Meeting Room 3
                continue
            if len(name) < 2 or {stem(w) for w in name} <= held:
                continue
            head = re.escape(name[-1])
            for other in re.finditer(rf"\b((?-i:[A-Z])[\w'-]*)\s+{head}\b", text, re.I):
                if other.group(1).lower() not in (*_NOT_NAMES, *name[:-1]):
                    return True  # "Oakfield Park": another modifier of the same head
        return False

    def identifier_sibling_in(self, text: str) -> bool:
        """Whether `text` names another code, year or reference of the shape of an asked one,
        and not the asked one: "E01" for E04, "2024" for 2025."""
        found = identifiers(text)
        return any(
            any(_family(other) == _family(asked) for other in found)
            for asked in self.identifiers - found
        )

    def _kind_sibling_in(self, text: str) -> bool:
        """Whether `text` says another member of a family an asked modifier belongs to, and
        none of the asked ones."""
        said = kind_words(text)
        return not self.kinds & said and any(
            self.kinds & family and said & family for family in _KIND_FAMILIES
        )


def _numbered(name: tuple[str, ...]) -> bool:
    """One of a numbered series: "Meeting Room 3" (its words alone may stand apart)."""
    return len(name) >= 2 and name[-1].isdigit()


def names_in_series(name: str, text: str) -> bool:
    """Whether `text` names `name` ("meeting room 3") when it is one of a numbered series:
    as its words followed by its number, not only its words somewhere. True of other names."""
    words = tuple(name.split())
    return not _numbered(words) or words[-1] in _numbers_of(words, text)


def _numbers_of(name: tuple[str, ...], text: str) -> set[str]:
    """The numbers `text` writes after the words of a numbered `name`: {"1", "2"} of
    "Meeting Room 1 … Meeting Room 2"."""
    words = r"\s+".join(re.escape(w) for w in name[:-1])
    return set(re.findall(rf"\b{words}\s+(\d+)\b", text, re.I))


def asked_names(question: str, known_word: Callable[[str], bool] = lambda w: True) -> AskedNames:
    names = []
    for start, part in _between_pronouns(question):
        for match in _CAPITALISED.finditer(part):
            # An acronym ("CEO", "HR") may be spelled out in the sources.
            words = [w.lower() for w in match.group().split() if not _ACRONYM.fullmatch(w)]
            while words and POSSESSIVE.sub("", words[0]) in _NOT_NAMES:
                words.pop(0)
            first = start + match.start() == _first_word_start(question)
            if words and not (len(words) == 1 and first):
                names.append(tuple(words))
    specific = tuple(
        " ".join(name)
        for name in names
        if any(not word.isalpha() or not known_word(word) for word in name)
    )
    return AskedNames(identifiers(question), tuple(names), specific, kind_words(question))


def _between_pronouns(question: str) -> list[tuple[int, str]]:
    """The parts of `question` around each "I", with where each starts."""
    cuts = [0, *(n for m in _PRONOUN_I.finditer(question) for n in m.span()), len(question)]
    return [(cuts[n], question[cuts[n] : cuts[n + 1]]) for n in range(0, len(cuts), 2)]


def _first_word_start(text: str) -> int:
    return len(text) - len(text.lstrip(" \t\"'("))


def _family(identifier: str) -> str:
    """Codes of one shape share a family: "e01" and "e04" are "e#", "2024" and "2025" "#",
    "option b" and "option c" "option ?"."""
    return _SERIES_LETTER.sub(" ?", _DIGITS.sub("#", identifier))


def as_written(name: str, question: str) -> str:
    """`name` as the question writes it ("Zone E", not "zone e")."""
    found = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", question, re.I)
    return found.group() if found else name
