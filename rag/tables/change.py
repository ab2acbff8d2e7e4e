"""A change from one column to another of each row: "which rent stayed the same between
2025-26 and 2026-27", "which plot's rent rose the most from 2025-26 to 2026-27", "which
departments have the same net cost in 2025-26 as in 2026-27" (two numeric columns named alike
but for the two years the question names, of the measure it names where the table holds several
a year: the later one minus the earlier), and "how much more does a non-resident pay than a
resident for an adult interment" (the column said before "than" minus the one said after it, for
the rows the question names). The spec subtracts row by row (its `minus`)."""

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.answer.text import identifiers
from rag.tables.matching import Matcher, TableView, column_label, content_stems
from rag.tables.spec import MAX_LISTED, VALUE, ColumnLike, Condition, QuerySpec, is_numeric

_CHANGE = re.compile(
    r"\b(?:(?P<up>ris(?:e|es|en|ing)|rose|increas\w*|grow\w*|grew|go(?:es)? up|went up)"
    r"|(?P<down>fall\w*|fell|drop\w*|decreas\w*|go(?:es)? down|went down)"
    r"|(?P<same>(?:stay\w*|remain\w*|kept|keeps?) (?:the same|unchanged|flat)|unchanged"
    r"|the same))\b",
    re.I,
)
_MORE_THAN = re.compile(
    r"\bhow much (?P<way>more|less)\b(?P<before>.*?)\bthan\b(?P<after>.*)", re.I
)
_BY = re.compile(rf"(?:{_CHANGE.pattern})\s+(?:by\s+)?$", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d\b")
# A bound on a fall is on its size: "fell by more than £5" is a change below -5.
_FALL = {">": "<", ">=": "<=", "<": ">", "<=": ">="}


def years_named(text: str) -> list[str]:
    """The years the question names, earliest first: "2025-26", not also its "2025"."""
    named = {i for i in identifiers(text) if _YEAR.match(i)}
    return sorted(i for i in named if not any(i != j and i in j for j in named))


def asks_change(text: str) -> bool:
    """Whether the question asks how a value moved from a year ("which rent rose the most from
    2025-26 to 2026-27"): no other reading answers that."""
    return bool(_CHANGE.search(text)) and bool(years_named(text))


def without_change(text: str) -> str:
    """The question without its words of change ("goes up"), which name nothing of a table."""
    return _CHANGE.sub(" ", text)


def bounds_change(before: str) -> bool:
    """Whether a bound said after `before` is on the change ("rose by more than £3")."""
    return bool(_BY.search(before))


def changed_columns(
    text: str, view: TableView, matcher: Matcher
) -> tuple[ColumnLike, ColumnLike] | None:
    """The earlier and the later column of the two years the question names: numeric, named
    alike but for the year, of the one measure the question names ("rent" of "Annual rent
    2025-26 (£)")."""
    years = years_named(text)
    if len(years) != 2:
        return None
    numeric = [c for c in view.columns if is_numeric(c)]
    pairs = [
        (a, b)
        for a in numeric
        for b in numeric
        if years[0] in a.name.lower() and a.name.lower().replace(*years) == b.name.lower()
    ]
    asked = [(a, b) for a, b in pairs if names_measure(text, a, matcher, years[0])]
    return asked[0] if len(asked) == 1 else None


def names_measure(text: str, column: ColumnLike, matcher: Matcher, year: str = "") -> bool:
    """Whether the question says half the words of a (year's) column but the year, at least."""
    label = column_label(column).lower()
    measure = content_stems(label.replace(year, " ") if year else label)
    own, bridged = matcher.question_stems(text)
    return bool(measure) and 2 * len(measure & (own | bridged)) >= len(measure)


def change_spec(
    text: str,
    view: TableView,
    matcher: Matcher,
    label: ColumnLike | None,
    where: Sequence[Condition],
    superlative: str | None,
) -> QuerySpec | None:
    """The rows that stayed the same, rose or fell, or the one that rose (fell) the most."""
    said = _CHANGE.search(text)
    columns = changed_columns(text, view, matcher) if said else None
    if said is None or columns is None:
        return None
    earlier, later = columns
    shown = tuple(c.name for c in (label, earlier, later) if c is not None)
    change = QuerySpec(view.schema.name, columns=shown, of=later.name, minus=earlier.name)
    return moved(text, change, where, superlative)


def moved(
    text: str, change: QuerySpec, where: Sequence[Condition], superlative: str | None
) -> QuerySpec | None:
    """`change` (a spec of rows whose measure is a change: `of` minus `minus`) read as the
    question asks: the rows that stayed the same, rose or fell, or the one of them that rose
    (fell) the most, within the question's bounds on the change."""
    said = _CHANGE.search(text)
    if said is None:
        return None
    bounds = [c for c in where if c.column == VALUE]
    if said.group("same"):
        if bounds:
            return None
        return replace(change, where=(*where, Condition(VALUE, "=", 0)), limit=MAX_LISTED)
    rising = bool(said.group("up"))
    if not rising:
        kept = [c for c in where if c not in bounds]
        where = [*kept, *(Condition(VALUE, _FALL[c.op], -c.value) for c in bounds)]
    # only the rows that moved the way asked: none fell, none "fell the most"
    way = Condition(VALUE, ">" if rising else "<", 0)
    if superlative is None:
        return replace(change, where=(*where, way), limit=MAX_LISTED)
    # "rose the most" and "fell the least" rank the change from the top
    descending = rising == (superlative == "max")
    return replace(change, where=(*where, way), order_by=change.of, descending=descending, limit=1)


def difference_spec(
    text: str, view: TableView, matcher: Matcher, where: Sequence[Condition]
) -> QuerySpec | None:
    """How much more (less) one column is than another, over the rows the question names."""
    found = _MORE_THAN.search(text)
    if found is None or not any(_one_row(view, c) for c in where):
        return None  # over several rows the difference would be summed: "£890" of two fees
    after = _named(found.group("after"), view, matcher, ())
    before = _named(found.group("before"), view, matcher, (after,))
    if after is None or before is None:
        return None
    first, second = (before, after) if found.group("way").lower() == "more" else (after, before)
    return QuerySpec(
        view.schema.name, aggregate="sum", of=first.name, minus=second.name, where=tuple(where)
    )


def _named(
    text: str, view: TableView, matcher: Matcher, other: Sequence[ColumnLike | None]
) -> ColumnLike | None:
    """The numeric column `text` names by its whole name, the longest where several are
    ("non-resident" rather than "resident")."""
    numeric = [c for c in view.columns if is_numeric(c) and c not in other]
    named = [c for s, c in matcher.named_columns(view, text, numeric) if s >= 1.0]
    return max(named, key=lambda c: len(content_stems(column_label(c))), default=None)


def _one_row(view: TableView, condition: Condition) -> bool:
    """Whether the condition picks one row: a value of a column whose every row has its own
    value, said whole or by words no other value of the column holds."""
    values = view.values.get(condition.column, ())
    if len(values) != getattr(view.schema, "row_count", None):
        return False
    if condition.op == "=":
        return condition.value in values
    said = str(condition.value).lower()
    return condition.op == "contains" and sum(said in v.lower() for v in values) == 1
