"""Sentence, word and number parsing shared by every part of the answer stage.

One place for what a sentence, a content word and a number are, so that the context selection,
the verification, the extractive quote and the tool routes all read text the same way.
"""

import re
from decimal import Decimal

# A sentence ends at . ! or ? followed by whitespace, at a blank line, or at a line break before
# anything but a lowercase letter (lists, table rows, headings). A line break before a lowercase
# letter is a soft wrap, as in text extracted from PDFs; so is one before a capital that ends a
# long line of running text (see `_soft_wrap`).
_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\n\s*\n\s*|\n\s*")
# A wrapped line of prose: long, not a heading, list item or table row, ending inside a sentence.
# A table row read as records: "Day: Monday; Activity: ..." or "city: Ghent; address: ...".
_RECORD = re.compile(r"^[^:;]{1,40}: [^;]*;")
_WRAPPED_LINE = re.compile(r"^(?![ \t]*[#|>])[^\n]{50,}[a-z,]$")
_TRIM = " \t\r|#*->"
# A list item's start: a bullet, or a number ("1." / "2)") maybe after a bullet ("- 1. ...").
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+•]|\d{1,2}[.)])\s")
_NUMBERED = re.compile(r"[ \t]*(?:[-*+•][ \t]+)?\d{1,2}[.)]")
# A word: letters and digits, a number keeping its decimal and thousands separators ("1,290.50").
WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
STOPWORDS = frozenset(
    """a an and are as at be by for from has have in is it its of on or that the this to was
    were what which who whom whose with how when where why does do did can could should would
    will i you he she they we not no yes""".split()
)
# A number and the unit written after it: "10-year", "114 kg", "70%", "7,450 euros".
_QUANTITY = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)\s*-?\s*(%|[a-z]+)?", re.I)
UNITS = {
    unit: name
    for name, spellings in {
        "year": "year years yr yrs", "month": "month months", "week": "week weeks",
        "day": "day days", "hour": "hour hours h hrs", "minute": "minute minutes min mins",
        "second": "second seconds s", "percent": "% percent", "kwh": "kwh", "kw": "kw",
        "wh": "wh", "w": "w watt watts", "v": "v volt volts", "a": "a amp amps", "ah": "ah",
        "kg": "kg kilograms", "g": "g grams", "lb": "lb lbs pounds", "km": "km kilometres",
        "m": "m metres meters", "cm": "cm", "mm": "mm", "eur": "eur euro euros",
        "usd": "usd dollar dollars", "cycle": "cycle cycles",
    }.items()
    for unit in spellings.split()
}  # fmt: skip

# Letters after a number that make it a quantity, a time or an ordinal, not a name: "24h",
# "9am", "64gb", "1080p", "2nd".
_NOT_NAMES = frozenset(UNITS) | {"st", "nd", "rd", "th", "am", "pm", "kb", "mb", "gb", "tb", "mah",
                                 "k", "p"}  # fmt: skip

# Markup or template fragments: "</pre", "<script", "{{ user }}".
MARKUP = re.compile(r"</?[a-z][a-z0-9]*\b|\{\{|\}\}|\{%|<!--", re.I)
# A quantity is a whole digit run, with a unit written against it or none ("24h", "over-18s",
# "64gb", "10am"); never the tail or the head of a code ("E04", "K12", "KT1 2AB", "12A") nor
# an ordinal ("3rd").
_UNITS_AFTER = sorted((u for u in _NOT_NAMES - {"st", "nd", "rd", "th"} if u.isalpha()), key=len)
_UNIT_AFTER = "|".join([*reversed(_UNITS_AFTER), "x"])  # the longest first: "kwh" before "kw"
_NUMBER = re.compile(
    rf"(?<![A-Za-z\d])(?>\d+(?:[.,]\d+)*)(?:(?=(?:{_UNIT_AFTER})(?![A-Za-z]))|(?![A-Za-z]))",
    re.I,
)
_VERSION = re.compile(
    r"\b(?:version|release|firmware|v)\s*(\d+(?:\.\d+)+)\b|(?<![\w.])(\d+\.\d+\.\d+)\b", re.I
)
_YEAR = re.compile(r"(?<![\w.,])(?:1[89]|20)\d\d(?![\w.,])")
# A financial year: two years in a row, "2024-25", "2024/25", "2024–2025".
_FINANCIAL_YEAR = re.compile(
    r"(?<![\w.,])((?:1[89]|20)\d\d)\s*[-–/]\s*((?:1[89]|20)?\d\d)(?![\w.,])"
)
_CODE = re.compile(r"\b(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]+\b", re.I)
# One of a lettered series: "Option B", "Zone E", "Band D", "Option A (first hour free)";
# not "Can I" or "Does A person".
_LETTERED = re.compile(r"\b([A-Z][a-z]{2,}) (A(?! [a-z])|[B-HJ-Z])\b(?!['’\w])")
# A reference in capitals and figures joined by slashes or dashes: "KTC/26/04", "PI-26-09"
# (not a model code, "BW-K2", which `_CODE` reads as "k2").
_CODE_REFERENCE = re.compile(r"\b[A-Z]{2,}(?:[-/][A-Z\d]+)*?[-/]\d+(?:[-/][A-Z\d]+)*\b")
_QUANTITY_TOKEN = re.compile(r"\d+([a-z]+)")
_ONE_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")

_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES = {w: n for n, w in enumerate(_SMALL)} | {w: 20 + 10 * n for n, w in enumerate(_TENS)}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER_WORDS = re.compile(
    r"\b(?:(?:" + "|".join(_WORD_VALUES) + r"|hundred|thousand|million|and)[\s-]*)+\b", re.I
)


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; each sentence is `text[offset:offset + len(sentence)]`."""
    spans = []
    start = 0
    for boundary in [*_BOUNDARY.finditer(text), None]:
        if boundary is not None and (_soft_wrap(text, boundary) or _after_number(text, boundary)):
            continue
        end = boundary.start() if boundary else len(text)
        raw = text[start:end]
        stripped = raw.strip(_TRIM)
        if content_words(stripped):
            spans.append((start + raw.index(stripped), stripped))
        if boundary:
            start = boundary.end()
    return spans


def _after_number(text: str, boundary: re.Match[str]) -> bool:
    """The space after a numbered list item's number ("1. Complete the form"): no sentence
    ends there."""
    line = text[text.rfind("\n", 0, boundary.start()) + 1 : boundary.start()]
    return bool(_NUMBERED.fullmatch(line))


def _soft_wrap(text: str, boundary: re.Match[str]) -> bool:
    """A single line break inside a sentence: before a lowercase letter, or after a wrapped
    line of prose ("founded in 2014 in\nGhent"); never after a table row or a record."""
    if boundary.group().count("\n") != 1 or not boundary.group().startswith("\n"):
        return False
    line = text[text.rfind("\n", 0, boundary.start()) + 1 : boundary.start()]
    if _RECORD.search(line) or line.lstrip().startswith("|"):
        return False
    if _LIST_ITEM.match(text, boundary.end()):
        return False  # the next item of a list
    following = text[boundary.end() : boundary.end() + 1]
    if _LIST_ITEM.match(line):
        return following.islower()  # "Not in the blue bin:" after the last item starts anew
    return following.islower() or bool(_WRAPPED_LINE.match(line))


def sentences_of(text: str) -> list[str]:
    return [sentence for _, sentence in split_sentences(text)]


def words(text: str) -> list[str]:
    """Lowercase words and numbers, in order, stopwords included."""
    return [w.rstrip(".,") for w in WORD.findall(text.lower())]


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if w not in STOPWORDS)


def stem(word: str) -> str:
    """A crude stem that lets "sister" meet "sisters", "son" "sons" and "weighs" "weight"."""
    if word[0].isdigit():
        return word
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"  # "flies" meets "fly", "batteries" "battery"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:5]


def word_stems(text: str) -> frozenset[str]:
    """The stem of every word of `text`, stopwords included."""
    return frozenset(stem(w) for w in words(text))


def identifiers(text: str) -> frozenset[str]:
    """The versions, years, financial years, lettered names, model codes and references in
    `text`, lowercased: "4.0", "2024", "2024-25" (however written), "option b", "k3",
    "ktc/26/04". A quantity
    ("50 kg", "24h") or an ordinal ("2nd") names no thing."""
    versions = {v for pair in _VERSION.findall(text) for v in pair if v}
    codes = {
        code
        for code in (c.lower() for c in _CODE.findall(text))
        if not ((q := _QUANTITY_TOKEN.fullmatch(code)) and q.group(1) in _NOT_NAMES)
    }
    periods = {
        f"{first}-{second[-2:]}"
        for first, second in _FINANCIAL_YEAR.findall(text)
        if int(second[-2:]) == (int(first) + 1) % 100
    }
    lettered = {f"{word} {letter}".lower() for word, letter in _LETTERED.findall(text)}
    # a reference typed in lower case is read when slashes join it ("ktc/26/04"; "over-18" is no
    # reference)
    references = {r.lower() for r in _CODE_REFERENCE.findall(text)} | {
        r.lower() for r in _CODE_REFERENCE.findall(text.upper()) if "/" in r
    }
    return frozenset(versions | set(_YEAR.findall(text)) | periods | lettered | codes | references)


def units_of(text: str) -> dict[str, frozenset[str]]:
    """number → the units written after it ("" for none)."""
    found: dict[str, set[str]] = {}
    for number, unit in _QUANTITY.findall(text.lower()):
        found.setdefault(number, set()).add(UNITS.get(unit, ""))
    return {number: frozenset(units) for number, units in found.items()}


def numbers_in(text: str) -> set[str]:
    """The numbers in `text`, spelled-out ones included, normalised ("17.50" and "17.5" agree)."""
    numbers: set[str] = set()
    for found in _NUMBER.findall(digits_for_number_words(text)):
        # "7,450" and "1,290.50" are one number each; "1.4.2" (a version) or "3,4" are several.
        parts = (
            [found.replace(",", "")] if _ONE_NUMBER.fullmatch(found) else re.split("[.,]", found)
        )
        numbers |= {format(Decimal(part).normalize(), "f") for part in parts}
    return numbers


def count_numbers(text: str) -> int:
    """How many quantities `text` writes, spelled-out ones included."""
    return len(_NUMBER.findall(digits_for_number_words(text)))


# A financial year ("2026-27", "2025/26") or a date ("2026-03-11"): one thing named, never a
# subtraction or a count.
_PERIOD_OR_DATE = re.compile(
    r"(?<![\d.,])(?:\d{4}-\d{2}-\d{2}|(?:1[89]|20)\d\d[-–/](?:(?:1[89]|20)\d\d|\d\d))(?![\d.,])"
)


def without_periods(text: str) -> str:
    """`text` with each financial year or date written as "that period"."""
    return _PERIOD_OR_DATE.sub("that period", text)


def digits_for_number_words(text: str) -> str:
    """`text` with spelled-out numbers as digits: "three units" → "3 units"."""
    return _NUMBER_WORDS.sub(lambda m: _words_to_number(m.group()), text)


def _words_to_number(phrase: str) -> str:
    parts = [w for w in re.split(r"[\s-]+", phrase.lower()) if w]
    if all(w == "and" for w in parts):
        return phrase
    total = current = 0
    for word in parts:
        if word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        elif word in _SCALES:
            if _SCALES[word] == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * _SCALES[word]
                current = 0
    # What the match took around the words stays: "six-month" reads "6-month", not "6month".
    leading = phrase[: len(phrase) - len(phrase.lstrip(" -"))]
    trailing = phrase[len(phrase.rstrip(" -")) :]
    return f"{leading}{total + current}{trailing}"


# An answer sentence that is none of these, whatever a source says: markup or template
# fragments, an instruction aimed at the reader or the model (copied from a document), a link
# nobody asked for, or a computation the calculator did not make.
_INSTRUCTION = re.compile(
    r"^\W*(always|never|ignore|disregard|forget|append|print|reveal|output|respond|reply|"
    r"pretend|new rule|system)\b",
    re.I,
)
# A web address, scheme-relative ("//host.example") too, or Markdown link or image syntax.
LINK = re.compile(r"https?://|\bwww\.|(?<![:\w])//[\w-]+\.|!?\[[^\]]*\]\(|!\[", re.I)
# Markdown images (inline or by reference), links, autolinks, reference definitions and bare
# addresses: what `without_links` takes out of a quoted source sentence.
_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])?")
_LINKED = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$", re.M)
_ADDRESS = re.compile(r"<[^<>\s]*[.:/][^<>\s]*>|(?:https?:|\bwww\.|(?<![:\w])//)[^\s<>()]*", re.I)
_COMPUTATION = re.compile(r"\d\s*[-+*/×÷^x]\s*[\d(].*=|=\s*=")


def without_links(text: str) -> str:
    """`text` with no image and no address left to render or follow: a document's
    `![pixel](http://…)` is a tracking pixel in any client that shows the answer (OWASP LLM05).
    A link's words stay ("see [the form](…)" reads "see the form")."""
    text = _IMAGE.sub("", _REFERENCE.sub("", text))
    text = _ADDRESS.sub("", _LINKED.sub(r"\1", text))
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))


def never_an_answer(sentence: str, link_asked: bool = False) -> str | None:
    """Why `sentence` may not be an answer sentence, or None. A link is one only when the
    question asks for one (`link_asked`): documents plant links for the model to repeat."""
    if MARKUP.search(sentence):
        return "markup"
    if _INSTRUCTION.search(sentence):
        return "an instruction"
    if LINK.search(sentence) and not link_asked:
        return "a link the question did not ask for"
    if _COMPUTATION.search(sentence):
        return "a computation the calculator did not make"
    return None


# Where a record's next "column: value" pair starts: a value may hold "; " itself
# ("Close rope bridge; replace ropes"), a column name is short and has no colon.
_PAIR_START = re.compile(r"(?:^|; )(?=[^:;]{1,40}: )")


def record_cells(text: str) -> list[tuple[str, str]] | None:
    """("column", "value") pairs of a row read as a record, or None for other text."""
    text = text.strip()
    starts = [m.end() for m in _PAIR_START.finditer(text)]
    if len(starts) < 2 or starts[0] != 0:
        return None
    ends = [s - 2 for s in starts[1:]] + [len(text)]
    pairs = [text[a:b].split(": ", 1) for a, b in zip(starts, ends, strict=True)]
    return [(column.strip(), value.strip()) for column, value in pairs]
