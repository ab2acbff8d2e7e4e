"""Column types of a table read from text cells: numbers, money, percentages, dates, text.

A person writes "1,290", "€ 1.290,50", "12.5%", "(300)" or "2025-03-31" in a spreadsheet; the
engine needs BIGINT, DOUBLE or DATE to add them up. Inference reads every value of a column
(streamed, one cell at a time) and keeps the narrowest type all of them parse as, with the unit
that was written around the numbers ("EUR", "%") kept in the schema instead of in the values.
A column whose values disagree (two currencies, a word among numbers) stays VARCHAR, as written.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

BIGINT, DOUBLE, DATE, VARCHAR = "BIGINT", "DOUBLE", "DATE", "VARCHAR"

# Cells that mean "no value" in a column of numbers or dates.
NULL_TOKENS = frozenset({"", "-", "—", "–", "n/a", "na", "null", "none", "nan", "#n/a"})

CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW"}
CURRENCY_CODES = frozenset(
    {"EUR", "USD", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "CNY", "INR"}
)
_CODES = "|".join(sorted(CURRENCY_CODES))
_CURRENCY = re.compile(
    rf"^(?P<pre>[€$£¥₹₩]|(?:{_CODES})\b)?\s*(?P<num>.*?)\s*(?P<post>[€$£¥₹₩]|\b(?:{_CODES}))?$",
    re.IGNORECASE,
)
CURRENCY_WORDS = {"euro": "EUR", "dollar": "USD", "pound": "GBP"}
_CURRENCY_WORD = re.compile(r"\s*\b(euro|dollar|pound)s?$", re.IGNORECASE)
_SPACES = re.compile(r"(?<=\d)[\s\u00a0\u202f']+(?=\d{3}\b)")
_PLAIN = re.compile(r"^[+-]?\d+$")
_DOT_DECIMAL = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_COMMA_DECIMAL = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")
_INT64 = 2**63 - 1
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_HEADER_UNIT = re.compile(r"\((?P<unit>[^()]*)\)\s*$")


@dataclass(frozen=True)
class ColumnType:
    """What a column holds: its DuckDB type and the unit its numbers were written with."""

    sql: str  # BIGINT, DOUBLE, DATE or VARCHAR
    unit: str | None = None  # "EUR", "USD", "%"... for numbers
    decimal_comma: bool = False  # numbers were written "1.290,50"
    day_first: bool = True  # dates written d/m/Y rather than m/d/Y


@dataclass
class _Number:
    value: float | int
    unit: str | None
    comma: bool | None  # True: only a decimal comma reading fits; False: only a dot; None: both


@dataclass
class ColumnInference:
    """Feed a column's cells one at a time (`add`), then read its `result()`."""

    header: str = ""
    _numeric: bool = True
    _integral: bool = True
    _date: bool = True
    _units: set[str | None] = field(default_factory=set)
    _comma: set[bool] = field(default_factory=set)
    _slash_day_first: set[bool] = field(default_factory=set)
    _seen: int = 0

    def add(self, cell: str) -> None:
        value = cell.strip()
        if value.lower() in NULL_TOKENS:
            return
        self._seen += 1
        if self._numeric:
            number = parse_number(value)
            if number is None or _leading_zero(value):
                self._numeric = False
            else:
                self._units.add(number.unit)
                if number.comma is not None:
                    self._comma.add(number.comma)
                if not isinstance(number.value, int):
                    self._integral = False
        if self._date:
            slash = _SLASH_DATE.match(value)
            if slash:
                first, second = int(slash.group(1)), int(slash.group(2))
                if first > 12:
                    self._slash_day_first.add(True)
                elif second > 12:
                    self._slash_day_first.add(False)
            elif parse_date(value, True) is None:
                self._date = False

    @property
    def may_be_date(self) -> bool:
        return self._date

    @property
    def settled(self) -> bool:
        """No further value can change the result: the column is text."""
        return not (self._numeric or self._date)

    def result(self) -> ColumnType:
        if not self._seen:
            return ColumnType(VARCHAR)
        header_unit = unit_of_header(self.header)
        if self._numeric and len(self._comma) < 2:
            units = self._units - {None}
            if len(units) <= 1:
                unit = next(iter(units), None) or header_unit
                comma = self._comma == {True}
                # A comma-decimal column turns "1,5" into 1.5, so it is not integral.
                integral = self._integral and not comma
                return ColumnType(BIGINT if integral else DOUBLE, unit, decimal_comma=comma)
        if self._date and len(self._slash_day_first) < 2:
            return ColumnType(DATE, day_first=self._slash_day_first != {False})
        return ColumnType(VARCHAR)


def infer_type(values: list[str], header: str = "") -> ColumnType:
    inference = ColumnInference(header)
    for value in values:
        inference.add(value)
    return inference.result()


def parse_cell(cell: str, kind: ColumnType) -> object:
    """A cell as the value its column's type stores (None for an empty or unreadable cell)."""
    if kind.sql == VARCHAR:
        return cell if cell != "" else None
    value = cell.strip()
    if value.lower() in NULL_TOKENS:
        return None
    if kind.sql == DATE:
        return parse_date(value, kind.day_first)
    number = parse_number(value, kind.decimal_comma)
    if number is None:
        return None
    if kind.sql == BIGINT:
        return int(number.value)
    return float(number.value)


def parse_number(text: str, decimal_comma: bool | None = None) -> _Number | None:
    """ "1,290", "€1.290,50", "12.5 %", "(300)", "-4 500 USD" → the number and its unit."""
    value, sign = text.strip(), 1
    if value.startswith("(") and value.endswith(")"):
        value, sign = value[1:-1].strip(), -1
    if value[:1] in ("-", "+"):
        sign, value = (-sign if value[0] == "-" else sign), value[1:].strip()
    unit = None
    word = _CURRENCY_WORD.search(value)
    if value.endswith("%"):
        value, unit = value[:-1].strip(), "%"
    elif word:
        value, unit = value[: word.start()].strip(), CURRENCY_WORDS[word.group(1).lower()]
    else:
        match = _CURRENCY.match(value)
        if match and (match.group("pre") or match.group("post")):
            if match.group("pre") and match.group("post"):
                return None
            symbol = match.group("pre") or match.group("post")
            unit = CURRENCY_SYMBOLS.get(symbol, symbol.upper())
            value = match.group("num")
    value = _SPACES.sub("", value)
    parsed = _plain_number(value, decimal_comma)
    if parsed is None:
        return None
    number, comma = parsed
    return _Number(sign * number, unit, comma)


def _plain_number(value: str, decimal_comma: bool | None) -> tuple[float | int, bool | None] | None:
    if _PLAIN.match(value):
        number = int(value)
        return (number if abs(number) <= _INT64 else float(number)), None
    dot = bool(_DOT_DECIMAL.match(value))
    comma = bool(_COMMA_DECIMAL.match(value))
    if decimal_comma is not None:
        dot, comma = (dot and not decimal_comma), (comma and decimal_comma)
    if dot and comma:  # "1,290" or "1.290": thousands either way, or a decimal the other way
        return _number_of(value.replace(",", "")), None
    if dot:
        return _number_of(value.replace(",", "")), False
    if comma:
        return _number_of(value.replace(".", "").replace(",", ".")), True
    return None


def _number_of(text: str) -> float | int:
    return float(text) if "." in text else int(text)


def _leading_zero(value: str) -> bool:
    """ "007" or "0123" are codes, not numbers: their zeros would be lost."""
    digits = value.lstrip("+-")
    return len(digits) > 1 and digits[0] == "0" and digits[1].isdigit()


def parse_date(text: str, day_first: bool) -> date | None:
    slash = _SLASH_DATE.match(text)
    if slash:
        first, second, year = (int(group) for group in slash.groups())
        day, month = (first, second) if day_first else (second, first)
        try:
            return date(year, month, day)
        except ValueError:
            return None
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def unit_of_header(header: str) -> str | None:
    """ "Price (EUR)", "Sales (k€)" or "Share (%)" name the unit their numbers are in."""
    match = _HEADER_UNIT.search(header)
    if not match:
        return None
    unit = match.group("unit").strip()
    if unit in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[unit]
    return unit.upper() if unit.upper() in CURRENCY_CODES else unit or None
