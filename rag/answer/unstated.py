"""What a question asks that the documents never state of the thing it names.

"What is the postcode of the Guildhall?" asks for an attribute (a postcode) of a thing the
documents do talk about (the Guildhall): retrieval finds passages naming the Guildhall, and a
sentence among them giving its street reads like an answer. But no sentence naming the
Guildhall, nor one next to it, states a postcode, so the answer is that the documents do not
give it. Three such near-misses are read here:

- an attribute or role asked of a thing ("the postcode of X", "X's salary", "the captain of
  X", "how many charging points will X provide", "how much is the deposit on X") that no
  sentence naming X, or next to one naming it, states: by its words (each by itself, a
  WordNet synonym or a word sharing its first four letters) or by a value of its kind (a
  phone number's digits for "phone number", an amount of money for "fee");
- a part asked of a named place ("the bar at the Corn Exchange") that no passage naming the
  place names;
- a name of several words ("Kestrelford Youth Council", "Linden Road") that no one passage
  names whole, though each of its words may stand somewhere.
"""

import math
import re
from dataclasses import dataclass

from rag.answer.naming import as_written
from rag.answer.question import DATE, MEASURES, QuestionFocus, stems
from rag.answer.text import LINK, STOPWORDS, split_sentences, stem, word_stems, words
from rag.retrieve import RetrievedChunk

# "What is the ATTRIBUTE of THING", "Who was the ATTRIBUTE for THING", "What are THING's ATTRIBUTE".
_ASKS = r"^\W*(?:what|who|which)(?:'s|\s+(?:is|are|was|were))\s+"
_ATTRIBUTE = r"(?P<attribute>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})"
_OF_FORM = re.compile(
    _ASKS + r"(?:the\s+|an?\s+)?" + _ATTRIBUTE + r"\s+(?:of|for)\s+(?P<thing>[^?!.]+)", re.I
)
_POSSESSIVE_FORM = re.compile(
    _ASKS + r"(?:the\s+)?(?P<thing>[^?!.]+?)(?:'s|s')\s+" + _ATTRIBUTE + r"\W*$", re.I
)
# "How many ATTRIBUTE will|are ... THING": what is counted, of a thing the question names.
_HOW_MANY_FORM = re.compile(
    r"^\W*how many\s+(?P<attribute>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+"
    r"(?:do|does|did|are|is|were|was|will|would|can|could|have|has|had)\s+(?P<thing>[^?!.]+)",
    re.I,
)
# "How much is the ATTRIBUTE on|for|with THING", "How much ATTRIBUTE do I pay with THING", "Is
# there an ATTRIBUTE for THING, and how much?": money asked of a thing the question names (a
# deposit on a licence, a season ticket for the courts). The attribute is a noun: after an
# article, or before the paying clause ("How much was spent on X" asks no attribute).
_HOW_MUCH_FORM = re.compile(
    r"^\W*(?:(?:how much|is there)\s+(?:(?:is|are|was|were|will|would)\s+)?(?:the|an?|any)\s+"
    r"(?P<attribute>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)"
    r"|how much\s+(?P<paid>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+(?:do|does|did|will|would|must"
    r"|should)\s+(?:i|we|you|one|they)\s+(?:have to\s+|need to\s+)?(?:pay|get|need))"
    r"\s+(?P<preposition>on|for|with|of)\s+(?P<thing>[^?!.,]+)",
    re.I,
)
HOW_MUCH = re.compile(r"\bhow much\b", re.I)
# "the bar at the Corn Exchange": a part (a noun phrase after a determiner) of a named place.
_PART_AT = re.compile(
    r"\b(?:the|an?|its|their|our|any)\s+(?P<part>(?:[\w'-]+\s+){0,2}?[\w'-]+)\s+(?:at|in)\s+"
    r"(?:the\s+)?(?P<place>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)"
)
# Attributes a sentence states by their value rather than their name ("call 01632 960100"),
# besides the measures of rag/answer/question.py ("fee" by an amount, "deadline" by a duration).
_VALUES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (
        re.compile(r"\b(phone|telephone|mobile|fax)\b", re.I),
        re.compile(r"(?<!\d)(?:\+\d{1,3}\s?)?\(?0\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)"),
    ),
    (re.compile(r"\be-?mail\b", re.I), re.compile(r"\S@\S")),
    (  # a house number beside a capitalised street name: "14 Market Row", "Havenweg 12"
        re.compile(r"\b(address|location)\b", re.I),
        re.compile(r"\b\d{1,4}[a-z]?,?\s+[A-Z][a-z]+|\b[A-Z][a-z]+\s+\d{1,4}[a-z]?\b"),
    ),
    (re.compile(r"\b(website|url|link|web address)\b", re.I), LINK),
    (  # a code or reference by its letters and figures: "KES-07", "WX/26/0058/TPO", "E04"
        re.compile(r"\b(code|reference|ref)\b", re.I),
        re.compile(r"\b[A-Z]{2,}(?:[-/][A-Z0-9]+)+\b|\b[A-Z]{1,4}\d{1,4}\b"),
    ),
    *MEASURES,
]
# Words beside a money attribute that narrow nothing: an "annual fee" is one the text may write
# "a year", a "hire charge" what the hall "costs".
_BROAD = stems(
    "number amount figure sum total level hourly daily weekly monthly annual yearly hire entry"
    " admission booking standard basic usual normal"
)
# A thing named by common words only ("the purple nappy sacks") is named by a passage holding
# this share of them; a sentence near the attribute needs only one of them.
NAMED_SHARE = 2 / 3


@dataclass(frozen=True)
class AskedAttribute:
    attribute: str  # as the question words it: "phone number"
    terms: frozenset[str]  # its stems
    names: tuple[tuple[str, ...], ...]  # the thing's capitalised names, as word stems
    thing: frozenset[str]  # stems of the thing's words, when it has no names
    shown: str  # "the postcode of the Guildhall", for "The documents do not mention ..."


def asked_attribute(focus: QuestionFocus) -> AskedAttribute | None:
    """The attribute the question asks of a thing, when it is worded "the ATTRIBUTE of THING",
    "THING's ATTRIBUTE", or "how many ATTRIBUTE ..." of a thing it names. Not a process: its
    steps state it, not its name ("the process for getting a licence": "Apply on form PC1 ...")."""
    if focus.answer_type == "procedure":
        return None
    for form in (_OF_FORM, _POSSESSIVE_FORM, _HOW_MANY_FORM, _HOW_MUCH_FORM):
        found = form.search(focus.text)
        if found is None:
            continue
        if form is _HOW_MUCH_FORM and not HOW_MUCH.search(focus.text):
            continue  # "Is there a discount for members?" asks whether, not how much
        attribute = found.group("attribute") or found.group("paid")
        thing = found.group("thing").strip()
        terms = stems(attribute)
        if not terms or len(terms) < len(attribute.split()):
            continue  # a stopword or an asking word: no attribute ("what is there to do ...")
        thing_words = set(words(thing))
        names = tuple(
            _name_words(" ".join(name))
            for name in focus.names.names
            if thing_words & set(words(" ".join(name)))
        )
        if form in (_HOW_MANY_FORM, _HOW_MUCH_FORM) and not names:
            continue  # what is counted or paid for is often the thing itself, worded otherwise
        if form is _HOW_MUCH_FORM:
            shown = f"the {attribute} {found.group('preposition')} {thing}"
        elif form is _HOW_MANY_FORM:
            shown = found.group().strip()
            shown = shown[:1].lower() + shown[1:]  # "how many members are on ..."
        elif form is _POSSESSIVE_FORM:
            shown = f"{thing}'s {attribute}"
        else:
            shown = f"the {attribute} of {thing}"
        return AskedAttribute(attribute, terms, names, stems(thing), shown)
    return None


def unstated(focus: QuestionFocus, chunks: list[RetrievedChunk]) -> str | None:
    """What the question asks that the passages naming its subject never state: a name no one
    passage names whole, a part of a named place no passage naming the place names, or an
    attribute no sentence naming the thing (or next to one) states. None when the passages
    state it, or name nothing the question asks about."""
    return (
        _split_name(focus, chunks)
        or _unnamed_part(focus, chunks)
        or _unstated_attribute(focus, chunks)
    )


def _split_name(focus: QuestionFocus, chunks: list[RetrievedChunk]) -> str | None:
    """A name no one passage holds every word of: one with a word no dictionary has
    ("Kestrelford Youth Council"), or of two or more ordinary words ("Linden Road", "Parks
    Team Leader"; a single one, "Rose", may be any rose)."""
    passages = [word_stems(chunk.passage) for chunk in chunks]
    several = (" ".join(name) for name in focus.names.names if len(name) > 1)
    asked = [*focus.names.specific, *several]
    missing = [
        name
        for name in dict.fromkeys(asked)
        if not any(_name_stems(name) <= held for held in passages)
    ]
    return ", ".join(as_written(name, focus.text) for name in missing) or None


def _unnamed_part(focus: QuestionFocus, chunks: list[RetrievedChunk]) -> str | None:
    for found in _PART_AT.finditer(focus.text):
        part = [stem(w) for w in words(found.group("part"))]
        if set(words(found.group("part"))) & STOPWORDS:
            continue  # a clause, not a noun phrase: "a headstone be in ..."
        if DATE.fullmatch(found.group("place")):
            continue  # a time, not a place: "the allotment in July"
        place = _name_stems(found.group("place"))
        naming = [chunk.passage for chunk in chunks if place <= word_stems(chunk.passage)]
        if naming and not any(focus.says_any(frozenset(part[-1:]), text) for text in naming):
            return found.group()
    return None


def _unstated_attribute(focus: QuestionFocus, chunks: list[RetrievedChunk]) -> str | None:
    asked = asked_attribute(focus)
    if asked is None:
        return None
    naming = [chunk for chunk in chunks if _names(asked, chunk.passage, NAMED_SHARE)]
    if not naming or any(_stated_near(focus, asked, chunk) for chunk in naming):
        return None
    return asked.shown


def _stated_near(focus: QuestionFocus, asked: AskedAttribute, chunk: RetrievedChunk) -> bool:
    """Whether a sentence of `chunk` states the attribute and names the thing, or stands next
    to one naming it, or under a title naming it. A table row must name it itself: the rows
    around it are other things."""
    readings = _readings(chunk)
    titled = _names(asked, chunk.title_words, 0.0)
    for n, (sentence, row) in enumerate(readings):
        near = [text for text, _ in readings[max(n - 1, 0) : n + 2]]
        if (titled or _names(asked, sentence if row else " ".join(near), 0.0)) and _states(
            focus, asked, sentence
        ):
            return True
    return False


def _states(focus: QuestionFocus, asked: AskedAttribute, text: str) -> bool:
    """Whether `text` states the attribute: says each of its words, or writes a value of its
    kind ("-20 °C" for "operating temperature"), an amount of money with the words narrowing
    it (a grant's amount is money, but no "membership fee")."""
    if all(focus.says_any(frozenset({term}), text) for term in asked.terms):
        return True
    for kind, value in _VALUES:
        if (named := kind.search(asked.attribute)) and value.search(text):
            if not value.search("£5"):
                return True
            # money is paid for many things: the words narrowing it must be said too
            narrowing = asked.terms - stems(named.group()) - _BROAD
            if all(focus.says_any(frozenset({term}), text) for term in narrowing):
                return True
    return False


def _names(asked: AskedAttribute, text: str, share: float) -> bool:
    """Whether `text` names the thing: all of its names, else `share` of its words (at least
    one)."""
    if asked.names:
        held = list(_name_words(text))
        return all(_in_sequence(name, held) for name in asked.names)
    held = word_stems(text)
    return bool(asked.thing) and len(asked.thing & held) >= max(
        1, math.ceil(share * len(asked.thing))
    )


def _readings(chunk: RetrievedChunk) -> list[tuple[str, bool]]:
    """The sentences of `chunk`, each with whether it is a table row (a pipe table's, read
    with the table's first line, its header naming the columns; or a sheet's record)."""
    text, readings = chunk.text, []
    for offset, sentence in split_sentences(text):
        header = _table_header(text, text.rfind("\n", 0, offset) + 1)
        at = chunk.start + offset
        record = any(r["start"] <= at < r["end"] for r in chunk.records)
        readings.append((f"{header} {sentence}", True) if header else (sentence, record))
    return readings


def _table_header(text: str, row: int) -> str | None:
    """The first line of the pipe table the line at `row` is a later row of, if it is one."""
    first = row
    while first > 0 and text[first:].lstrip(" \t").startswith("|"):
        above = text.rfind("\n", 0, first - 1) + 1
        if not text[above:].lstrip(" \t").startswith("|"):
            break
        first = above
    if first == row or not text[row:].lstrip(" \t").startswith("|"):
        return None
    end = text.find("\n", first)
    return text[first : end if end >= 0 else len(text)]


def _name_words(name: str) -> tuple[str, ...]:
    """A name's word stems, without stopwords or the "s" of a possessive ("Penberthy's")."""
    return tuple(stem(w) for w in words(name) if len(w) > 1 and w not in STOPWORDS)


def _name_stems(name: str) -> frozenset[str]:
    return frozenset(_name_words(name))


def _in_sequence(name: tuple[str, ...], held: list[str]) -> bool:
    """Whether `held` has the words of `name` in a row ("Fennick Brook", not "Brook Street,
    Fennick Meadows")."""
    return any(tuple(held[n : n + len(name)]) == name for n in range(len(held) - len(name) + 1))
