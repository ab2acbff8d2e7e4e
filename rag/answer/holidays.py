"""Days a question names by their holiday name, given their date as the documents write it.

A timetable lists "Thursday 24 December", not "Christmas Eve": asked for the Guildhall's hours on
Christmas Eve, the question is read as asking about 24 December, so retrieval, the ranker and a
table's columns see the date, and a name no passage writes does not make the answer abstain.
Only days with a fixed date are read (not Easter or a bank holiday's Monday).
"""

import re

_FIXED_DATES = {
    "new year's day": "1 January",
    "valentine's day": "14 February",
    "st patrick's day": "17 March",
    "halloween": "31 October",
    "bonfire night": "5 November",
    "guy fawkes night": "5 November",
    "christmas eve": "24 December",
    "christmas day": "25 December",
    "boxing day": "26 December",
    "new year's eve": "31 December",
}
_HOLIDAY = re.compile(
    r"\b(" + "|".join(n.replace("'", "['’]?") for n in _FIXED_DATES) + r")(?!\w)", re.I
)
_APOSTROPHE = re.compile(r"['’]")
_DATES = {_APOSTROPHE.sub("", name): date for name, date in _FIXED_DATES.items()}


def with_holiday_dates(question: str) -> str:
    """`question` with each fixed-date holiday it names as its date, the name after it in
    lower case, a word to match rather than a name the passages must hold: "on Christmas Eve
    2026" → "on 24 December (christmas eve) 2026"."""

    def dated(found: re.Match[str]) -> str:
        name = found.group(1).lower()
        return f"{_DATES[_APOSTROPHE.sub('', name)]} ({name})"

    return _HOLIDAY.sub(dated, question)
