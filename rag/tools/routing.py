"""Deterministic routing: questions a tool answers outright never reach the model.

A 135M model picks the right tool but garbles its arguments, so arithmetic ("What is 40366 /
439?", "twelve times seven", "12% of 2450"), unit conversions ("convert 5 km to miles") and date
questions ("what is today's date?", "how many days until 2027-01-01?") are recognised here and
the tool is called with exact arguments. Anything with other words in it needs the documents and
is left to retrieval.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from rag.tools import ToolCall
from rag.tools.calculator import evaluate, format_number

_NUMBER = r"\(*\s*-?\d[\d,]*(?:\.\d+)?\s*%?\s*\)*"
_OPERATOR = r"(?:\*\*|//|[-+*/×÷^%]|% of)"
_FUNCTION = r"(?:sqrt|abs|log|round)\(\s*-?\d[\d,]*(?:\.\d+)?\s*\)"
_TERM = rf"(?:{_FUNCTION}|{_NUMBER})"
_EXPRESSION = re.compile(
    rf"{_TERM}(?:\s*{_OPERATOR}\s*{_TERM})+|\d[\d,.]*\s*% of\s*{_NUMBER}|{_FUNCTION}"
)
_FILLER = re.compile(
    r"\b(what's|whats|what|is|are|the|of|result|value|calculate|compute|how|much|please|"
    r"equals?|tell|me|can|you|do|does|make|sum|product|total|give|work|out|get|if|i)\b"
    r"|[?=!.,:\s]",
    re.I,
)

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
# Phrases → symbols, applied in order; verb forms put their operands in the right order.
_PHRASES: list[tuple[str, str]] = [
    (r"\b(?:the\s+)?square root of\s+(-?[\d.,]+)", r"sqrt(\1)"),
    (r"\badd\s+(-?[\d.,]+)\s+(?:and|to)\s+(-?[\d.,]+)", r"\1 + \2"),
    (r"\bsubtract\s+(-?[\d.,]+)\s+from\s+(-?[\d.,]+)", r"\2 - \1"),
    (r"\bmultiply\s+(-?[\d.,]+)\s+(?:by|and)\s+(-?[\d.,]+)", r"\1 * \2"),
    (r"\bdivide\s+(-?[\d.,]+)\s+by\s+(-?[\d.,]+)", r"\1 / \2"),
    (r"(-?[\d.,]+)\s+squared\b", r"\1 ** 2"),
    (r"(-?[\d.,]+)\s+cubed\b", r"\1 ** 3"),
    (r"\bhalf of\s+(-?[\d.,]+)", r"\1 / 2"),
    (r"\bplus\b", "+"),
    (r"\bminus\b", "-"),
    (r"\b(?:times|multiplied by)\b", "*"),
    (r"\b(?:divided by|over)\b", "/"),
    (r"\bto the power of\b", "**"),
    (r"\s*(?:percent|per cent)\s+of\b", "% of"),
]

_UNIT_NAMES = {
    "millimetres": "mm", "millimeters": "mm", "mm": "mm",
    "centimetres": "cm", "centimeters": "cm", "cm": "cm",
    "metres": "m", "meters": "m", "metre": "m", "meter": "m", "m": "m",
    "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km", "km": "km",
    "inches": "in", "inch": "in", "feet": "ft", "foot": "ft", "ft": "ft",
    "miles": "mi", "mile": "mi", "mi": "mi",
    "grams": "g", "gram": "g", "g": "g", "kilograms": "kg", "kilogram": "kg", "kg": "kg",
    "pounds": "lb", "pound": "lb", "lbs": "lb", "lb": "lb", "tonnes": "t", "tonne": "t",
    "wh": "Wh", "kwh": "kWh", "mwh": "MWh", "joules": "J", "j": "J",
    "watts": "W", "watt": "W", "w": "W", "kilowatts": "kW", "kilowatt": "kW", "kw": "kW",
    "horsepower": "hp", "hp": "hp",
    "celsius": "C", "°c": "C", "fahrenheit": "F", "°f": "F", "kelvin": "K",
}  # fmt: skip
_UNIT = "|".join(sorted(map(re.escape, _UNIT_NAMES), key=len, reverse=True))
_CONVERSION = re.compile(
    rf"^(?:convert\s+|what(?:'s| is| are)\s+|how many\s+(?P<target1>{_UNIT})\s+(?:is|are|in)\s+)?"
    rf"(?P<value>-?\d[\d,]*(?:\.\d+)?)\s*(?:degrees\s+)?(?P<source>{_UNIT})"
    rf"(?:\s+(?:to|in|into)\s+(?:degrees\s+)?(?P<target2>{_UNIT}))?\s*[?.!]?$",
    re.I,
)
_TODAY = re.compile(
    r"^(?:what(?:'s| is)\s+)?(?:today's date|the date today|the current date)"
    r"|^what (?:day|date|year) is (?:it )?today|^what day is it|^what year is it",
    re.I,
)
_DATE = r"\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2},? \d{4}"
_DAYS_UNTIL = re.compile(
    rf"how many days (?:are )?(?:left )?(?:until|till|to|before) ({_DATE})", re.I
)
_DAYS_BETWEEN = re.compile(
    rf"how many days (?:are )?(?:between|from) ({_DATE}) (?:and|to|until) ({_DATE})", re.I
)
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d %Y", "%B %d, %Y", "%d %b %Y", "%b %d %Y")


@dataclass(frozen=True)
class RoutedCall:
    tool: str
    arguments: dict[str, Any]


def route(question: str) -> RoutedCall | None:
    """The tool call that answers `question` on its own, or None when it needs the documents."""
    text = " ".join(question.split())
    if _TODAY.search(text):
        return RoutedCall("current_date", {})
    days = _days_call(text)
    if days is not None:
        return days
    conversion = _CONVERSION.match(text)
    if conversion and (conversion["target1"] or conversion["target2"]):
        target = conversion["target1"] or conversion["target2"]
        return RoutedCall(
            "unit_convert",
            {
                "value": float(conversion["value"].replace(",", "")),
                "from_unit": _UNIT_NAMES[conversion["source"].lower()],
                "to_unit": _UNIT_NAMES[target.lower()],
            },
        )
    expression = arithmetic_only(_symbols(text))
    return RoutedCall("calculator", {"expression": expression}) if expression else None


def tool_answer(call: ToolCall) -> str:
    """The result in a sentence that says which tool computed it."""
    args = call.arguments
    if call.name == "calculator":
        exact = Fraction(call.result) == evaluate(args["expression"])
        relation = "=" if exact else "≈"
        return f"{args['expression']} {relation} {call.result} (computed by the calculator)."
    if call.name == "unit_convert":
        value = format_number(Fraction(repr(args["value"])))
        return f"{value} {args['from_unit']} = {call.result} (converted by unit_convert)."
    if call.name == "days_between":
        return (
            f"{call.result} days from {args['start']} to {args['end']} (computed by days_between)."
        )
    if call.name == "current_date":
        return f"Today is {call.result} (from current_date)."
    return f"{call.name} returned {call.result}."


def arithmetic_only(question: str) -> str | None:
    """The expression when the question is nothing but arithmetic, else None."""
    match = _EXPRESSION.search(question)
    if match is None:
        return None
    rest = question[: match.start()] + question[match.end() :]
    if _FILLER.sub("", rest):
        return None  # other words: the question needs the documents too
    return match.group().strip()


def digits_for_number_words(text: str) -> str:
    """`text` with spelled-out numbers as digits: "three units" → "3 units"."""
    return _NUMBER_WORDS.sub(lambda m: _words_to_number(m.group()), text)


def _symbols(text: str) -> str:
    text = digits_for_number_words(text)
    for pattern, replacement in _PHRASES:
        text = re.sub(pattern, replacement, text, flags=re.I)
    return text


def _words_to_number(words: str) -> str:
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w]
    if all(w == "and" for w in parts):
        return words
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
    trailing = " " if words.endswith(" ") else ""
    leading = " " if words.startswith(" ") else ""
    return f"{leading}{total + current}{trailing}"


def _days_call(text: str) -> RoutedCall | None:
    between = _DAYS_BETWEEN.search(text)
    if between:
        start, end = _iso(between[1]), _iso(between[2])
    else:
        until = _DAYS_UNTIL.search(text)
        if not until:
            return None
        start, end = date.today().isoformat(), _iso(until[1])
    return RoutedCall("days_between", {"start": start, "end": end}) if start and end else None


def _iso(text: str) -> str | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None
