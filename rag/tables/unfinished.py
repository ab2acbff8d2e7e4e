"""Rows not yet done: "which high-risk problem is still not fixed", "which repairs are not
sorted", "which actions are unresolved" read as a status column holding none of its done values
("Completed", "Closed"), a blank one too. The table must have one such column, whose other
values ("Open") say what is still to do; a question of rows not done over any other table
reads as before."""

import re

from rag.tables.matching import TableView
from rag.tables.spec import Condition, is_date, is_numeric

_UNDONE = re.compile(
    r"(?:\b(?:still|yet)\s+)?(?:\bnot|n't|\bnever)\s+(?:yet\s+)?(?:been\s+)?"
    r"(?:fixed|sorted(?: out)?|done|resolved|repaired|completed?|finished|dealt with|closed"
    r"|put right)\b"
    r"|\b(?:still\s+)?(?:unresolved|unfinished|outstanding|incomplete|unrepaired)\b",
    re.I,
)
_DONE = frozenset("complete completed done fixed resolved closed finished repaired".split())


def unfinished(text: str, view: TableView) -> tuple[str, list[Condition]]:
    """The question without the words saying its rows are not done, and the conditions
    leaving out the done rows; the question as it is, and none, when it says no such thing
    or the table has no status column to read it by."""
    found = _UNDONE.search(text)
    if found is None:
        return text, []
    statuses = []
    for column in view.columns:
        values = view.values.get(column.name, ())
        done = [v for v in values if v.strip().lower() in _DONE]
        if done and len(done) < len(values) and not (is_numeric(column) or is_date(column)):
            statuses.append([Condition(column.name, "!=", v) for v in done])
    if len(statuses) != 1:
        return text, []
    return text[: found.start()] + text[found.end() :], statuses[0]
