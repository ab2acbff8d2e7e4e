"""Rows a question asks for by the categories it names: "which equipment was rated high risk",
"which application did the town council object to but the district approve". Every cell it
names stands in several rows (a category, not one row's name); the rows are listed by the
columns the question asks of them, else, when it asks for the table's rows ("which
application"), by the text columns that name them, those of the most distinct values first."""

from collections.abc import Sequence

from rag.answer.text import words
from rag.tables.asked import WHICH, names_rows
from rag.tables.matching import CellMatch, TableView
from rag.tables.spec import MAX_LISTED, ColumnLike, Condition, QuerySpec, is_date, is_numeric

SHOWN_COLUMNS = 2  # besides the label


def listed(
    text: str,
    view: TableView,
    filters: Sequence[Condition],
    cells: Sequence[CellMatch],
    label: ColumnLike | None,
    asked: Sequence[tuple[float, ColumnLike]],
) -> QuerySpec | None:
    """The rows of the named categories, listed by the columns `asked` (scored, best first);
    None when a cell names a row of its own, or the question asks for neither a column by its
    whole name nor the table's rows ("what is the cafe at Millrace Park called")."""
    which = WHICH.search(text)
    if which is None or not cells or not all(m.exact and view.repeats(m.column) for m in cells):
        return None
    if all(score < 1.0 for score, _ in asked) and not names_rows(
        tuple(words(which.group(1))), view
    ):
        return None
    filtered = {c.column for c in filters}
    texts = [
        c
        for c in view.columns
        if c != label and c.name not in filtered and not is_numeric(c) and not is_date(c)
    ]
    # a row's own name ("Rope bridge") has more distinct values than its place ("Millrace Park")
    naming = sorted(texts, key=lambda c: -len(view.values.get(c.name, ())))
    shown = list(dict.fromkeys([*(c for _, c in asked), *naming]))[:SHOWN_COLUMNS]
    columns = tuple(c.name for c in [label, *shown] if c is not None)
    return QuerySpec(view.schema.name, columns=columns, where=tuple(filters), limit=MAX_LISTED)
