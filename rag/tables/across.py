"""A change across two tables of the same rows, one a year: sheets "Budget 2025-26" and "Budget
2026-27", each of Department, Expenditure, Income, Net cost. "Which department's expenditure goes
up the most between 2025-26 and 2026-27?", "which departments have exactly the same net cost in
both the 2025-26 and 2026-27 budgets?": the two tables have the same columns and titles alike but
for the two years the question names; each row of the later one is joined to the earlier one's
row of the same label (a text column naming each row once in both), and the measure the question
names is the later value minus the earlier, read as a change within one table is
(rag/tables/change.py: rose, fell, stayed the same, the most, bounds)."""

import re
from collections.abc import Sequence

from rag.tables.change import moved, names_measure, years_named
from rag.tables.matching import Matcher, TableView, table_title
from rag.tables.spec import ColumnLike, Condition, QuerySpec, is_numeric

MIN_SHARED = 0.5  # of the later table's row labels that the earlier one holds too


def year_pairs(text: str, views: Sequence[TableView]) -> list[tuple[TableView, TableView]]:
    """The (earlier, later) tables of the two years the question names: the same columns (names
    and types), titled alike but for the year."""
    years = years_named(text)
    if len(years) != 2:
        return []
    early, late = (_plain(y) for y in years)
    titled = {id(v): f" {_plain(table_title(v.schema))} " for v in views}
    return [
        (a, b)
        for a in views
        for b in views
        if f" {early} " in titled[id(a)]
        and titled[id(a)].replace(f" {early} ", f" {late} ") == titled[id(b)]
        and _shape(a) == _shape(b)
    ]


def in_later_year(text: str) -> str:
    """The question as said of the later table alone: its earlier year said as the later one
    (so that the later table lacks no year it names)."""
    years = years_named(text)
    return text.replace(years[0], years[1]) if len(years) == 2 else text


def across_spec(
    text: str,
    later: TableView,
    earlier: TableView,
    matcher: Matcher,
    label: ColumnLike | None,
    where: Sequence[Condition],
    superlative: str | None,
) -> QuerySpec | None:
    """The change of the one measure the question names from the earlier table to the later,
    row by row, joined on the row label."""
    key = later.label_column()
    if key is None or not _names_rows_alike(later, earlier, key):
        return None
    numeric = [c for c in later.columns if is_numeric(c)]
    asked = [c for c in numeric if names_measure(text, c, matcher)]
    if len(asked) != 1:
        return None
    measure = asked[0].name
    shown = tuple(dict.fromkeys(c.name for c in (label or key, asked[0])))
    change = QuerySpec(later.schema.name, columns=shown, of=measure, minus=measure,
                       join=earlier.schema.name, on=key.name)  # fmt: skip
    return moved(text, change, where, superlative)


def _names_rows_alike(later: TableView, earlier: TableView, key: ColumnLike) -> bool:
    """Whether the key names each row once in both tables, as the join reads it (trimmed, in
    lower case: "Parks" and "parks " are one), and mostly the same rows."""
    mine, theirs = _labels(later, key), _labels(earlier, key)
    return bool(mine and theirs) and len(mine & theirs) >= MIN_SHARED * len(mine)


def _labels(view: TableView, key: ColumnLike) -> set[str]:
    """The key's labels as the join reads them, none where two rows share one."""
    labels = {v.strip().lower() for v in view.values.get(key.name, ())}
    return labels if len(labels) == getattr(view.schema, "row_count", None) else set()


def _shape(view: TableView) -> list[tuple[str, str]]:
    return [(c.name, c.type.lower()) for c in view.columns]


def _plain(text: str) -> str:
    """Words and numbers only: "Budget 2025-26" and "budget_2025_26" alike."""
    return re.sub(r"[\W_]+", " ", text.lower()).strip()
