"""Deterministic routing: questions a tool answers outright never reach the model.

A 135M model picks the right tool but garbles its arguments, so arithmetic ("What is 40366 /
439?", "twelve times seven", "12% of 2450"), unit conversions ("convert 5 km to miles") and date
questions ("what is today's date?", "how many days until 2027-01-01?") are recognised here and
the tool is called with exact arguments. Anything with other words in it needs the documents and
is left to retrieval.

A computed answer is trusted more than a generated one, so an expression answers only when it
accounts for the whole question: every number in it and every operator word ("plus", "percent
of", "product", ...) must be inside the expression, with nothing but lead-in words ("what is the
value of") before it and a "=" or "?" after it. "17 plus 12 percent of 2450" is 17 + 294; a
parse that kept "17 + 2450" and dropped the rest would be a confident wrong answer.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from rag.answer.text import digits_for_number_words, numbers_in
from rag.tools import ToolCall
from rag.tools.calculator import evaluate, format_number

_DIGITS = r"-?\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?"
# A percentage ends a number unless "of" or a number follows: "X% of Y" is an operator over Y,
# "7 % 3" a remainder (the calculator reads them the same way).
_PERCENT = r"%(?!\s*(?:of\b|[\d(.]))"
_NUMBER = rf"\(*\s*{_DIGITS}\s*(?:{_PERCENT})?\s*\)*"
_OPERATOR = r"(?:\*\*|//|[-+*/×÷^%]|% of)"
_FUNCTION = rf"(?:sqrt|abs|log|round)\(\s*{_DIGITS}\s*\)"
_TERM = rf"(?:{_FUNCTION}|{_NUMBER})"
_EXPRESSION = re.compile(rf"{_TERM}(?:\s*{_OPERATOR}\s*{_TERM})+|{_FUNCTION}")
# "17 + 12%" is 17.12 to the calculator but 19.04 to most people: too ambiguous to answer.
_ADDED_PERCENT = re.compile(rf"[-+]\s*\(*\s*\d[\d,.]*\s*{_PERCENT}")
# Words that may stand around an expression. No operator word ("of", "sum", "product",
# "total", "equals") is here: one left outside the expression means the parse missed it.
_LEAD_IN = re.compile(r"\b(?:the\s+)?(?:value|result|answer)\s+of\b", re.I)
_FILLER = re.compile(
    r"\b(what's|whats|what|is|are|the|result|value|calculate|compute|how|much|please|tell|me|"
    r"can|you|do|does|make|give|work|out|get|if|i)\b|[?!.,:\s]",
    re.I,
)
_EQUALS = re.compile(r"^\s*(?:=|equals?\b)", re.I)

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
    if expression is None or not numbers_in(text) <= numbers_in(expression):
        return None  # a number of the question is not in the expression
    return RoutedCall("calculator", {"expression": expression})


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
    if call.plugin is not None:
        return f"{call.result} (from {call.name}, a tool of the plugin {call.plugin})."
    return f"{call.name} returned {call.result}."


def arithmetic_only(question: str) -> str | None:
    """The expression when the question is nothing but arithmetic, else None: the words before
    it only a lead-in, after it at most "=" or "equals", and no number or operator outside it."""
    match = _EXPRESSION.search(question)
    if match is None:
        return None
    before = _LEAD_IN.sub("", question[: match.start()])
    after = _EQUALS.sub("", question[match.end() :])
    if _FILLER.sub("", before + " " + after):
        return None  # other words, numbers or operators: the question needs more than this
    expression = match.group().strip()
    if _ADDED_PERCENT.search(expression):
        return None
    return expression


def _symbols(text: str) -> str:
    text = digits_for_number_words(text)
    for pattern, replacement in _PHRASES:
        text = re.sub(pattern, replacement, text, flags=re.I)
    return text


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
