"""Two columns of each row compared: "which groups were awarded less than they asked for" (the
column said before "than", Amount awarded, against the one the words after it name, else the
other column of its unit, Amount requested, which "they asked for" says by a verb), "which got
everything they asked for" (as much, of a clause saying what was asked, requested or applied
for: with neither column named, only that reads the same either way). "But not refused
outright" leaves out the rows whose first column is nothing. The spec subtracts row by row
(`minus`) and bounds the difference (`value`), as a change between years does."""

import re
from collections.abc import Sequence

from rag.tables.matching import Matcher, TableView, column_unit
from rag.tables.spec import MAX_LISTED, VALUE, ColumnLike, Condition, QuerySpec, is_numeric

# What the other column is said by: a clause of its own ("than they asked for"), never a number
# ("more than 500", a bound) or a row ("more than the Main Hall", a comparison of rows).
_CLAUSE = r"(?P<after>(?:they|it|he|she|we|you|i)\b[^?.;,]*)"
_THAN = re.compile(
    rf"\b(?P<way>less|fewer|lower|smaller|more|higher|greater|larger|bigger)\s+than\s+{_CLAUSE}",
    re.I,
)
# As much as the other column only of what was asked for ("everything they requested"), not of
# any want ("everything we need for a wedding").
_ASKED = r"(?=[^?.;,]*\b(?:ask(?:ed)?|request(?:ed)?|appl(?:y|ied))\b)"
_ALL = re.compile(
    rf"\b(?:(?:exactly|just|precisely)\s+what|everything|all|as much as"
    rf"|the (?:full|whole) amount)\s+(?:that\s+)?{_ASKED}{_CLAUSE}",
    re.I,
)
_NOT_NOTHING = re.compile(
    r"\b(?:but|and)\s+(?:(?:was|were|is|are)\s+)?not\s+(?:refused|rejected|turned down|declined"
    r"|given nothing|nothing)(?:\s+outright)?\b",
    re.I,
)
_LESS = frozenset({"less", "fewer", "lower", "smaller"})


def without_comparison(text: str) -> str:
    """The question without the words comparing two columns of a row, which name neither a
    table nor a row ("less than they asked for", "but not refused outright")."""
    for pattern in (_THAN, _ALL, _NOT_NOTHING):
        text = pattern.sub(" ", text)
    return text


def in_row_spec(
    text: str,
    view: TableView,
    matcher: Matcher,
    label: ColumnLike | None,
    where: Sequence[Condition],
) -> QuerySpec | None:
    """The rows whose first column is less than, more than or as much as the other."""
    found = _THAN.search(text) or _ALL.search(text)
    if found is None:
        return None
    way = found.groupdict().get("way")
    op = "=" if way is None else "<" if way.lower() in _LESS else ">"
    pair = _pair(text[: found.start()], found.group("after"), view, matcher, op == "=")
    if pair is None:
        return None
    first, second = pair
    compared = [Condition(VALUE, op, 0)]
    if _NOT_NOTHING.search(text):
        compared.append(Condition(first.name, ">", 0))
    shown = tuple(c.name for c in (label, second, first) if c is not None)
    return QuerySpec(view.schema.name, columns=shown, of=first.name, minus=second.name,
                     where=(*where, *compared), limit=MAX_LISTED)  # fmt: skip


def _pair(
    before: str, after: str, view: TableView, matcher: Matcher, either_way: bool
) -> tuple[ColumnLike, ColumnLike] | None:
    """The column compared (named before) and the one compared with (named after, else the
    other numeric column of its unit); where neither is named and the comparison reads the
    same either way, the only two numeric columns of one unit."""
    numeric = [c for c in view.columns if is_numeric(c)]
    first = _named(before, view, matcher, numeric)
    if first is None:
        units = {column_unit(c) for c in numeric}
        if not either_way or len(numeric) != 2 or len(units) != 1:
            return None
        return numeric[1], numeric[0]  # the earlier column, as in a change, is the base
    others = [c for c in numeric if c != first]
    second = _named(after, view, matcher, others)
    if second is None:
        alike = [c for c in others if column_unit(c) == column_unit(first)]
        second = alike[0] if len(alike) == 1 else None
    return (first, second) if second is not None else None


def _named(
    text: str, view: TableView, matcher: Matcher, columns: Sequence[ColumnLike]
) -> ColumnLike | None:
    named = matcher.named_columns(view, text, columns)
    return named[0][1] if named else None
