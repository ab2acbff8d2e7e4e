"""Which of a row's columns hold what the question names: "which day is the Town Library
closed?" of a sheet with a column per weekday reads the library's row (the one whose name
shares most words with the question) and answers with the days whose cell is "Closed";
"apart from Sunday" leaves Sunday out."""

import re
from dataclasses import dataclass

from rag.tables.asked import WHICH
from rag.tables.matching import Matcher, TableView, closest_rows, content_stems
from rag.tables.spec import ColumnLike, Condition, QuerySpec

_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_ASKED = frozenset({"day", "days", "weekday", "weekdays"})
_APART = re.compile(r"\b(?:apart from|besides|other than|except(?: for)?)\s+(\w+)", re.I)


@dataclass(frozen=True)
class ColumnsAsked:
    spec: QuerySpec  # the row, with the columns that may hold the value
    label: ColumnLike
    cell: str  # the value asked for


def which_columns(text: str, view: TableView, matcher: Matcher) -> ColumnsAsked | None:
    """The row and the weekday columns a "which day" question asks of, and the value."""
    found = WHICH.search(text)
    asked = [w for w in found.group(1).lower().split() if w != "other"] if found else []
    label = view.label_column()
    days = [c for c in view.columns if c.name.strip().lower() in _WEEKDAYS]
    if not asked or asked[0] not in _ASKED or label is None or len(days) < 2:
        return None
    rows = closest_rows(text, view, label)
    cell = _cell(text, view, days, matcher)
    if len(rows) != 1 or cell is None:
        return None
    (row,) = rows
    apart = {m.group(1).lower() for m in _APART.finditer(text)}
    shown = (label.name, *(c.name for c in days if c.name.strip().lower() not in apart))
    where = (Condition(label.name, "=", row),)
    return ColumnsAsked(
        QuerySpec(view.schema.name, columns=shown, where=where, limit=1), label, cell
    )


def but_for(text: str) -> str:
    """The question without the days it leaves out ("apart from Sunday")."""
    return _APART.sub(" ", text)


def _cell(text: str, view: TableView, days: list[ColumnLike], matcher: Matcher) -> str | None:
    """The one value of those columns the question says, or says a synonym of ("shut" of
    "Closed")."""
    own, bridged = matcher.question_stems(text)
    values = {v for c in days for v in view.values.get(c.name, ())}
    said = [v for v in values if content_stems(v) and content_stems(v) <= own | bridged]
    return said[0] if len(said) == 1 else None
