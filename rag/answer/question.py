"""What a question asks for: its focus terms, the phrases that tie them, and the answer's type.

"How much does the Aurora K2 weigh?" asks for a quantity about "aurora", "k2" and "weigh"; a
sentence that answers it states a number next to those words. Context selection ranks source
sentences by these cues, verification checks an answer against them, and abstention measures
how much of them the best sentence covers.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rag.answer.asks import asked_kind, states_kind
from rag.answer.naming import FAMILY_WORDS, POSSESSIVE, WEEKDAYS, AskedNames, asked_names
from rag.answer.text import (
    LINK,
    STOPWORDS,
    digits_for_number_words,
    identifiers,
    numbers_in,
    stem,
    word_stems,
    words,
)

AnswerType = Literal[
    "quantity", "date", "person", "link", "definition", "reason", "procedure", "list", "any"
]
LISTING = frozenset({"list", "procedure"})  # answer types answered by a list's items

_QUANTITY_ASK = re.compile(
    r"\bhow (many|much|long|far|heavy|big|large|high|tall|wide|deep|old|fast|quickly|often"
    r"|efficient)\b"
    r"|\b(price|cost|costs|fee|weigh|weighs|weight|percentage|share|rate|number of|amount)\b"
    r"|\b(rent|salary|wages?|deposit|earn|earns|(?:be|get|gets|is|are) paid)\b"
    r"|(?<!in )\bcharges?\b"
    r"|\b(boiling|melting|freezing) point\b|\b(minimum|maximum) age\b|\bage limit\b|\bold enough\b"
    r"|\bwhat (age|temperature|time|size|capacity|budget|discount|reduction|rebate)\b"
    r"|\b(what|which) hours?\b",
    re.I,
)
# "When" asks for a date as the question word, not as a condition ("... when I lift it?").
_DATE_ASK = re.compile(
    r"^\W*(?:since |until |till |by |from )?when\b|\band when\b"
    r"|\b(what|which) (date|year|day|month)\b",
    re.I,
)
_LINK_ASK = re.compile(r"\b(url|link|website|web ?site|web address|web page|homepage)s?\b", re.I)
_PERSON_ASK = re.compile(r"^\s*(who|whom)\b|\bwhich person\b|\bwhat is the name of\b", re.I)
# Words that only ask: they say nothing of what the answer is about.
_ASKING = STOPWORDS | frozenset(
    """much many long often quickly there any some get gets got need needs must should may
    tell know find give say said about into after before over under per each every one during
    person people thing things my me our ours us your yours mine ve ll re t s d m
    actually specifically exactly really just also please""".split()
)
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b(1[89]|20)\d{2}\b|\b(" + "|".join(_MONTHS) + r")\b"
    r"|\b(" + "|".join(WEEKDAYS.split()) + r")s?\b",  # "on Thursdays" too
    re.I,
)
_UNIT_TAIL = r"(?![a-z])"
_HOW_MANY = re.compile(r"\bhow many\s+([a-z]+)", re.I)
_PERIOD = r"(second|minute|hour|day|week|month|quarter|year)s?\b"
_MONEY = r"[€$£]|\b(euros?|dollars?|eur|usd|prices?|costs?)\b"
_TIME = r"\b\d{1,2}(:\d{2}|\s*[ap]\.?m\b\.?)"  # "09:00", "9 am", "9 a.m."
# "How much is the installation?" asks a price when nothing else says what is measured.
_PRICE_BY_DEFAULT = re.compile(r"\bhow much (is|are|does|do|will)\b", re.I)
# A person's age limit is asked in years, whatever else the question names: the minimum age to
# rent a plot is no rent.
_AGE_ASK = re.compile(
    r"\b(?:minimum|maximum|lower|upper) age\b|\bage (?:limit|restriction)s?\b|\bwhat age\b"
    r"|\bold enough\b|\bhow old (?:do|must|should|does|will|would|can) (?:i|you|we|one|they"
    r"|someone|a|an|the|my|our|people|children|kids|applicants?|volunteers?)\b",
    re.I,
)
# Units that make "over 20" or "at least 14" no age: "at least 14 days", "over 20 people".
_NOT_YEARS = (
    r"(?!\s*(?:%|per ?cent|days?|weeks?|months?|hours?|minutes?|mins?|people|persons|members"
    r"|guests|visitors|metres?|meters?|m\b|km|miles?|kg|tonnes?|litres?|gb|mb|spaces|places"
    r"|items|times|to\s+\d))"
)
_AGE = re.compile(
    r"\bage[ds]?\s+(?:limit\s+)?(?:is\s+|of\s+)?(?:(?:under|over|between|at least)\s+)?\d"
    r"|\b\d{1,2}\s*(?:years?|yrs?)(?:\s+old|\s+of age|\s+or (?:over|older|above))\b"
    r"|\b\d{1,2}-year-olds?\b|\b(?:over|under)[- ]\d{1,2}s\b"
    r"|\b(?:over|under|at least|above|below|must be)\s+(?:the age of\s+)?\d{1,2}\b"
    + _NOT_YEARS
    + r"|\b\d{1,2}\s*(?:\+|or (?:over|older|above|under|younger)|and (?:over|above|under))",
    re.I,
)
# What a quantity is measured in, by the words that ask for it: "how much energy" wants kWh,
# "how heavy" kg. A question naming one of these wants a number written with such a unit.
MEASURES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(asked, re.I), re.compile(stated, re.I))
    for asked, stated in [
        (r"\b(energy|capacity|hold|store|stores)\b", r"\d\s*[kmg]?wh" + _UNIT_TAIL),
        (r"\b(weigh\w*|weight|heav\w*|mass)\b",
         r"\d\s*(kg|g|lbs?|kilograms?|grams?|pounds?|tonnes?)" + _UNIT_TAIL),
        (r"\btemperature\b|\b(boiling|melting|freezing) point\b", r"°|\d\s*degrees"),
        (r"\b(price|cost|costs|pay|paid|spend|fee|budget|money|expensive|rent|salary|wages?"
         r"|deposit|earns?|charges?)\b", _MONEY),
        (r"\b(percent\w*|share|efficien\w*|discount|rebate|reduction|tax|vat)\b",
         r"\d\s*%|\bpercent"),
        (r"\brates?\b", r"\d\s*%|\bpercent|" + _MONEY),  # a rate of interest, or an hourly one
        (r"\b(clearance|distance|far|high|height|wide|width|tall|deep|depth|long|length)\b",
         r"\d\s*(mm|cm|m|km|metres?|meters?|inch(es)?|feet|ft)" + _UNIT_TAIL),
        (r"\bhow (long|quickly|fast|soon)\b|\b(duration|deadline|period)\b",
         r"\d[\d.,]*[\s-]*(?:(?:working|clear|calendar|business|full|consecutive|school)\s+)?"
         r"(ms|milliseconds?|seconds?|minutes?|hours?|days?|weeks?|months?|years?)" + _UNIT_TAIL),
        (r"\bhow often\b|\bfrequen",
         r"\bevery\s+(\d+\s+|other\s+)?" + _PERIOD + r"|\b(per|a|each|times an?)\s+" + _PERIOD
         + r"|\b(daily|weekly|monthly|yearly|annually)\b"),
        (r"\bwhat time\b|\b(what|which) hour\b|\bat what hour\b", _TIME),
        (r"\b(what|which) hours\b", rf"{_TIME}\s*(-|–|—|to|until|till|and)\s*{_TIME}"),
        (r"\b(power|output|watts?)\b", r"\d\s*[km]?w" + _UNIT_TAIL + r"|\bwatts?\b"),
    ]
]  # fmt: skip
# A number with what follows it when that is a unit: "13.5 kWh", "1,290 euros", "70%", "240".
_QUANTITY_SPAN = re.compile(
    r"(?<![\w.,])([-+]?\d+(?:[.,]\d+)*)(?:\s*(?:%|°\s?C|[a-zA-Z]+))?", re.UNICODE
)
_DATE_SPAN = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2} (?:" + "|".join(m.title() for m in _MONTHS) + r") \d{4}\b"
    r"|\b(?:" + "|".join(m.title() for m in _MONTHS) + r") \d{1,2},? \d{4}\b|\b(1[89]|20)\d{2}\b"
)
# A capitalised article or preposition starts a phrase, not a name ("The Aurora").
_NAME_START = (
    r"\b(?!(?:The|A|An|This|That|These|Those|Our|Your|Its|Their|Each|Every|All|No|In|On|At|For)\b)"
)
# Two or more capitalised words in a row: "Kevin Boutte", "Marta Lindqvist"; a hyphenated word
# is one word of it ("Fenwick-Hale", "Sub-Committee").
_FULL_NAME = re.compile(
    _NAME_START + r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)*(?: [A-Z][a-z]+(?:-[A-Za-z][a-z]+)*)+\b"
)
# A clause's own number ("7A.3 The Chair …") and a reference to another ("standing order 8.4")
# count nothing.
_CLAUSE_NUMBERS = re.compile(
    r"^\s*\d{1,2}[A-Z]?(?:\.\d{1,2})+\.?\s|\b(?:(?:standing )?orders?|sections?|paragraphs?"
    r"|clauses?|rules?|parts?|regulations?|schedules?|articles?)\s+\d{1,2}[A-Z]?(?:\.\d{1,2})*\b",
    re.I,
)
# "Which company insures the council?" asks for a name: a capitalised word past a sentence's
# start ("Civic Mutual", "Old Road Cemetery") or a code ("KES-02"). (The asked noun with a word
# the question does not say, "the green bin" for "Which bin ...?", was tried too: "scaffolding
# company" then answered "Which company insures the council?", -1 on the town tuning sets.)
_WHICH_ASK = re.compile(r"^\W*which\b", re.I)
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
# A line's label names what it tells of: "Backup only: keeps the battery full ...".
_LABEL = re.compile(r"^\W*([A-Z][\w'-]*(?:\s+[\w'-]+){0,3})\W*:\s")  # "**Backup only**:" too
_NAME_WORDS = re.compile(_NAME_START + r"[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*\b")
_COLUMN = re.compile(r"(\w+): ")  # a column's last word, as a table row reads
# What says that something is not so, not allowed or left out.
NEGATION = re.compile(
    r"\b(?:not|no|never|none|nor|cannot|without)\b|n't\b|\b(?:prohibit|forbid"
    r"|off[- ]limits)|\bexcept(?:ed|ing)?\b|\bban(?:s|ned|ning)?\b"
    r"|\bexclu(?:de|des|ded|ding|sions?)\b"
    r"|\b(?:keep|leave)(?: \w+){0,3} out\b",
    re.I,
)
# The last word of a name of a place, a body or a post, which no person's name ends in.
_NO_PERSON_HEADS = frozenset(
    """committee council park lane street road hall centre center cemetery meadows green field
    exchange square library office house college school church station path avenue close row
    court yard way drive gardens garden farm trust club society association group team
    department service services scheme policy plan bylaw report ltd limited partnership bank
    board authority agency fund programme manager officer clerk chair assistant apprentice
    market bridge river brook wood woods hill lake pavilion depot site sites zone ward""".split()
)
# What a question is about, where English puts it: "... of zorblium?" at its end, or
# "zorblium's ..." (a capitalised name may run over several words: "Hope Croom's").
_OF = re.compile(r"\bof\b", re.I)
_SUBJECT_TAIL = re.compile(
    r"^\s*(?:(?:the|a|an|my|your|our|its|their|his|her|this|that)\s+)?([^?!.,;:]+?)\W*$", re.I
)
_SUBJECT_POSSESSIVE = re.compile(r"((?:\b[A-Z][\w-]*\s+)*\b[\w-]+)'s\b")
_NOT_A_SUBJECT = frozenset(
    "what who whom where when which how why it that there here he she".split()
)
_ACRONYM = re.compile(r"[A-Z]{2,4}s?")  # "CEO", "HR": the sources may spell them out
MAX_SUBJECT_WORDS = 3  # a longer tail is a clause ("of a returned battery gets recycled")


@dataclass(frozen=True)
class QuestionFocus:
    text: str
    terms: frozenset[str]  # stems of the words that say what the answer is about
    bigrams: frozenset[tuple[str, str]]  # neighbouring words, to tell "father of X" from "X's"
    answer_type: AnswerType
    measures: tuple[re.Pattern[str], ...]  # units the asked quantity is written in, if known
    identifiers: frozenset[str]  # the years, versions and model codes it asks about
    subject: tuple[str, ...]  # the names it is about: ("zorblium",) for "... of zorblium?"
    names: AskedNames  # the codes, years and capitalised names it asks about, among siblings
    # term → stems of its synonyms ("guara" → {"warra", ...}): a sentence saying "warranty"
    # holds the "guarantee" of a question, at BRIDGED_SHARE of its weight (rag/answer/context.py)
    bridges: dict[str, frozenset[str]]
    negated: bool = False  # it asks what is not so: "What shouldn't go in the food caddy?"

    def says_any(self, terms: frozenset[str], text: str) -> bool:
        """Whether `text` says one of `terms` (focus stems), by a synonym or by a word sharing
        its first four letters (the question's "mean" is a column's "Meaning"), or beginning
        with a three-letter one."""
        said = stems(text)
        prefixes = {t[:4] for t in terms}
        # a word of three letters may be short for a longer one ("rep", "representative")
        short = {t for t in prefixes if len(t) == 3}
        return bool(
            prefixes & {s[:4] for s in said}
            or any(s.startswith(t) for t in short for s in said)
            or self.bridged(self.terms - terms, said)
        )

    def bridged(self, held: frozenset[str], sentence_stems: frozenset[str]) -> set[str]:
        """The focus terms `sentence_stems` holds only by a synonym."""
        return {t for t in self.terms - held if self.bridges.get(t, frozenset()) & sentence_stems}

    @property
    def asks_for_link(self) -> bool:
        return self.answer_type == "link"

    def phrase_overlap(self, sentence: str) -> float:
        if not self.bigrams:
            return 0.0
        return len(self.bigrams & bigrams(sentence)) / len(self.bigrams)

    @property
    def counts(self) -> bool:
        """Whether it asks how many of something."""
        return bool(_HOW_MANY.search(self.text))

    def has_answer_type(self, sentence: str) -> bool:
        """Whether `sentence` states the kind of thing asked, in the asked unit when the
        question names one ("114 kg" for "how heavy", "240 employees" for "how many
        employees")."""
        if not has_type(sentence, self.answer_type, self.text):
            return False
        digits = digits_for_number_words(sentence)  # "five hours" is a duration too
        return not self.measures or any(unit.search(digits) for unit in self.measures)

    def answer_span(self, sentence: str) -> tuple[int, int] | None:
        """Where in `sentence` the asked fact stands: the first quantity (with its unit word)
        the question does not state, the first date, or the first name it does not name."""
        if self.answer_type == "quantity":
            stated = numbers_in(self.text)
            quantities = [
                m for m in _QUANTITY_SPAN.finditer(sentence) if not numbers_in(m.group(1)) <= stated
            ]
            # The quantity in the asked unit first: "240 employees", not "2014" before it.
            measured = [
                m
                for m in quantities
                if any(unit.search(digits_for_number_words(m.group())) for unit in self.measures)
            ]
            if measured or quantities:
                return (measured or quantities)[0].span()
        elif self.answer_type == "date" and (date := _DATE_SPAN.search(sentence)):
            return date.span()
        elif self.answer_type == "person" and (name := next(_new_names(sentence, self.text), None)):
            return name.span()
        return None


def analyse(
    question: str,
    known_word: Callable[[str], bool] = lambda word: True,
    synonyms: Callable[[str], frozenset[str]] = lambda word: frozenset(),
) -> QuestionFocus:
    """What `question` asks for. `known_word` says whether a lowercase word is an ordinary
    word of the language (so "zorblium" reads as a name and "guarantee" does not);
    `synonyms` gives words meaning the same (rag/answer/synonyms.py)."""
    kind = answer_type(question)
    measures = tuple(
        stated for asked, stated in MEASURES if kind == "quantity" and asked.search(question)
    )
    if not measures and _PRICE_BY_DEFAULT.search(question):
        measures = (re.compile(_MONEY, re.I),)
    if kind == "quantity" and _AGE_ASK.search(question):
        measures = (_AGE,)
    if counted := _HOW_MANY.search(question):
        # "how many employees" wants a number counting employees: "240 employees".
        noun = re.escape(stem(counted.group(1).lower()))
        measures = (re.compile(rf"(?<![\w.,])\d[\d,.]*\s+(\w+\s+)?{noun}", re.I),)
    return QuestionFocus(
        question,
        stems(question),
        bigrams(question),
        kind,
        measures,
        identifiers(question),
        asked_subject(question, known_word),
        asked_names(question, known_word),
        _bridges(question, synonyms),
        bool(NEGATION.search(question)),
    )


def _bridges(question: str, synonyms: Callable[[str], frozenset[str]]) -> dict[str, frozenset[str]]:
    bridges = {}
    for word in words(question):
        if word in _ASKING or not word.isalpha() or len(word) < 3:
            continue
        related = frozenset(stem(s) for s in synonyms(word)) - {stem(word)}
        if related:
            bridges[stem(word)] = related
    return bridges


def asked_subject(question: str, known_word: Callable[[str], bool]) -> tuple[str, ...]:
    """The names in what `question` says it is about (the words after its last "of", the words
    before "'s", when short): its capitalised words and the words `known_word` does not know
    ("zorblium"; "Hope", "Croom"; "Brussels" of "the Brussels service centre"). Not common
    words or acronyms, which the sources may word differently ("guarantee" for their
    "warranty", "chief executive" for "CEO")."""
    phrases = [m.group(1) for m in _SUBJECT_POSSESSIVE.finditer(question)]
    if (parts := _OF.split(question))[1:] and (tail := _SUBJECT_TAIL.match(parts[-1])):
        phrases.append(tail.group(1))
    return tuple(
        word
        for phrase in phrases
        if len(phrase.split()) <= MAX_SUBJECT_WORDS
        and phrase.split()[0].lower() not in _NOT_A_SUBJECT
        for word in phrase.split()
        if stems(word)
        and not _ACRONYM.fullmatch(word)
        and (word[:1].isupper() or word.isalpha() and not known_word(word))
        and POSSESSIVE.sub("", word.lower()) not in FAMILY_WORDS
    )


def answer_type(question: str) -> AnswerType:
    if _LINK_ASK.search(question):
        return "link"
    if _PERSON_ASK.search(question):
        return "person"
    kind = asked_kind(question)
    if _DATE_ASK.search(question) and kind not in ("definition", "procedure"):
        return "date"  # not "when does a plot count as cultivated?" nor "how and when ...?"
    if kind != "reason" and _QUANTITY_ASK.search(question):
        return "quantity"  # "why does it cost 85?" asks for a reason, not a price
    return kind or "any"


def has_type(sentence: str, kind: AnswerType, question: str = "") -> bool:
    """Whether `sentence` states something of the kind asked for, beyond what the question says."""
    if kind == "quantity":
        return bool(numbers_in(_CLAUSE_NUMBERS.sub(" ", sentence)) - numbers_in(question))
    if kind == "date":
        return bool(DATE.search(sentence))
    if kind == "person":
        return next(_new_names(sentence, question), None) is not None
    if kind == "link":
        return bool(LINK.search(sentence))
    if kind == "any":
        return not _WHICH_ASK.search(question) or _names_another(sentence, question)
    return states_kind(kind, sentence, question)


def _names_another(sentence: str, question: str) -> bool:
    """Whether `sentence` names something `question` does not: "The cemetery chapel is a
    listed building." names no cemetery for "Which cemetery has a listed chapel?"."""
    asked = _said_in(question)
    if (label := _LABEL.match(sentence)) and not stems(label.group(1)) <= asked:
        return True
    if any(
        not stems(name.group()) <= asked
        for name in _NAME_WORDS.finditer(sentence)
        if name.start() > 0 or " " in name.group()
    ):
        return True
    # a code, not a year: "since 1994" names no cemetery
    return any(not _YEAR_LIKE.match(code) for code in identifiers(sentence) - identifiers(question))


@lru_cache(maxsize=256)  # read once per question, asked again for every ranked sentence
def _said_in(question: str) -> frozenset[str]:
    """The question's stems, of both readings (`stems` and `word_stems`)."""
    return stems(question) | word_stems(question)


def _new_names(sentence: str, question: str) -> Iterator[re.Match[str]]:
    """The full names in `sentence` that `question` does not name, a place's or a body's
    ("Corn Exchange", "Resources Committee") aside."""
    asked = _said_in(question)
    # A table row's thing ends in the kind its column names: "Grant: Small Grant".
    kinds = _NO_PERSON_HEADS | {c.lower() for c in _COLUMN.findall(sentence)}
    # A name of words the question says is no new name: "Brightwater Labs Founder" for "Who
    # founded Brightwater Labs?".
    return (
        name
        for name in _FULL_NAME.finditer(sentence)
        if not stems(name.group()) <= asked
        and re.split(r"[ -]", name.group())[-1].lower() not in kinds
    )


# A word a question uses for a kind of relation, and the narrower words sources write for it:
# "the sibling of X" is answered by "the sisters of X are ...".
_NARROWER = {
    "sibling": "brother sister", "child": "son daughter", "children": "son daughter",
    "parent": "father mother", "spouse": "husband wife", "partner": "husband wife",
    "grandchild": "grandson granddaughter", "grandparent": "grandfather grandmother",
}  # fmt: skip
_BROADER = {stem(n): stem(broad) for broad, narrow in _NARROWER.items() for n in narrow.split()}


def stems(text: str) -> frozenset[str]:
    """Stems of the words that say what `text` is about, with the broader word for a narrower
    one ("sister" also counts as "sibling")."""
    found = {stem(w) for w in words(text) if w not in _ASKING}
    return frozenset(found | {_BROADER[s] for s in found if s in _BROADER})


def bigrams(text: str) -> frozenset[tuple[str, str]]:
    """Neighbouring word pairs, "of" and "in" kept (they tie a relation to its person), other
    stopwords dropped."""
    kept = [stem(w) for w in words(text) if w in ("of", "in") or w not in _ASKING]
    pairs = zip(kept, kept[1:], strict=False)
    return frozenset(pair for pair in pairs if not all(w in ("of", "in") for w in pair))
