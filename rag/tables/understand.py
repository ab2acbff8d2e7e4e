"""A question → a query spec over one table, deterministically (the bundled 135M model cannot
write queries): what it asks (a lookup, a filter, a total, a count, an average, a minimum or
maximum and which row, a comparison, or one of these per group) and over which columns and
cells (rag/tables/matching.py).

A question that names no table, or asks nothing a table computes, reads as None: the document
answerers take it. A question asking by a column the table lacks ("which month", of a sheet by
quarter) is read by the column it has, with a note saying so.
"""

import re
from dataclasses import dataclass

from rag.answer.model_tools import wants_tool
from rag.answer.question import NEGATION
from rag.answer.text import STOPWORDS, digits_for_number_words, stem, words
from rag.tables.across import across_spec, in_later_year, year_pairs
from rag.tables.asked import (
    ASKING,
    WHICH,
    asks_for,
    asks_what_it_lacks,
    measure_words,
    named_as_table,
    names_rows,
    qualified,
    row_stems,
    which_column,
)
from rag.tables.change import (
    asks_change,
    bounds_change,
    change_spec,
    difference_spec,
    without_change,
)
from rag.tables.in_row import in_row_spec, without_comparison
from rag.tables.listing import listed
from rag.tables.matching import (
    CellMatch,
    Matcher,
    TableView,
    closest_rows,
    column_label,
    content_stems,
    is_money,
    speaks_of_money,
    table_title,
)
from rag.tables.scope import names_a_row_it_lacks, names_what_it_lacks, table_stems, whole_source
from rag.tables.spec import (
    MAX_LISTED,
    VALUE,
    ColumnLike,
    Condition,
    QuerySpec,
    is_date,
    is_numeric,
)
from rag.tables.unfinished import unfinished
from rag.tables.which_columns import but_for, which_columns

# "at most £50", "at least £3" are bounds, not superlatives
_MAX = re.compile(r"(?<!\bat )\b(highest|most|largest|biggest|maximum|max|greatest|top|peak|"
                  r"longest|latest|most expensive|dearest|busiest|best)\b", re.I)  # fmt: skip
_MIN = re.compile(r"(?<!\bat )\b(lowest|least|smallest|minimum|min|fewest|shortest|earliest|"
                  r"cheapest|least expensive|worst)\b", re.I)  # fmt: skip
_SUM = re.compile(r"\b(total|sum|altogether|combined|overall|in all|add up|adds up)\b", re.I)
_AVG = re.compile(r"\b(average|mean|typical)\b", re.I)
_COUNT = re.compile(r"\b(how many|(?<!phone )number of|count)\b", re.I)
_COMPARE = re.compile(r"\b(difference|compared?|versus|vs\.?|more than|less than|than)\b", re.I)
_GROUP = re.compile(r"\b(?:per|by|for each|for every|each|in each)\s+([a-z][\w-]*)", re.I)
_BOUND = re.compile(
    r"\b(more than|over|above|greater than|exceeding|at least|less than|under|below|fewer than|"
    r"at most|no more than)\s+[€$£]?\s*(\d[\d,]*(?:\.\d+)?)",
    re.I,
)
_BOUND_OP = {"more than": ">", "over": ">", "above": ">", "greater than": ">", "exceeding": ">",
             "at least": ">=", "less than": "<", "under": "<", "below": "<", "fewer than": "<",
             "at most": "<=", "no more than": "<="}  # fmt: skip
_YEAR = re.compile(r"\b(?:in|during|for)\s+((?:19|20)\d\d)\b", re.I)
_CHARGE = re.compile(r"\b(charge|charged|cost|costs|pay|price|quote|bill)\b", re.I)
_QUANTITY = re.compile(
    r"\b(\d{1,4})\s+(?:[a-z][\w-]*\s+){0,3}?(?:units?|pieces?|items?|[a-z]+s)\b", re.I
)
_ADDITIONAL = re.compile(r"\b(additional|extra|each further|subsequent)\b", re.I)
MIN_COVERAGE = 0.5
LOOKUP_COVERAGE = 0.8
WHOLE_COVERAGE = 0.6  # of a question computing over every row, by names alone
_NOT_A_FIGURE = re.compile(
    r"^\W*why\b|\bfor\W*$|\bhow (do|can|should|would) (i|we|you)\b|\bhow to\b"
    r"|\bmeans?\W*$|\bmeant?\s+by\b|\bmeaning\b|\bdefin",
    re.I,
)
_TOTAL_LABELS = frozenset({"total", "totals", "grand total", "subtotal", "sum", "all"})
# A row under a sheet's total saying how the total is met ("Funded by: precept"), or another
# total ("Total expenditure"): no row of its own to count, sum or rank.
_SUMMARY_LABEL = re.compile(r"^\W*(?:(?:grand |sub-?)?totals?\b|funded by\b|financed by\b)", re.I)
PERIODS = ("day", "week", "month", "quarter", "year")


def asks_computation(question: str) -> bool:
    """Whether a question asks what a table computes: a total, a count, an average, an
    extreme, a comparison or a value per group."""
    text = digits_for_number_words(question)
    patterns = (_MAX, _MIN, _SUM, _AVG, _COUNT, _COMPARE, _GROUP)
    return any(p.search(text) for p in patterns)


@dataclass(frozen=True)
class Reading:
    """How a question reads as a query over one table."""

    kind: str  # lookup, filter, aggregate, argmax, compare, group, priced, columns
    view: TableView
    spec: QuerySpec
    label: ColumnLike | None  # the column naming each row read
    measure: ColumnLike | None  # the column computed over, if any
    note: str = ""  # what the table lacks of what was asked
    quantity: int | None = None  # how many units a "priced" reading is for
    cell: str = ""  # the value a "columns" reading looks for in the row's columns
    joined: TableView | None = None  # the earlier year's table a change across two is from


class QuestionReader:
    def __init__(self, matcher: Matcher | None = None) -> None:
        self._matcher = matcher or Matcher()

    def read(self, question: str, views: list[TableView]) -> Reading | None:
        if _NOT_A_FIGURE.search(without_comparison(question)):  # "asked for?"
            return None  # why, what for, how to, what it means: the documents say
        text = digits_for_number_words(question)
        ranked = sorted(
            ((self._table_score(v, text), n, v) for n, v in enumerate(views)), key=lambda t: -t[0]
        )
        for score, _, view in ranked:
            if score <= 0:
                break
            reading = self._read_table(text, view)
            if reading is not None:
                return reading
        if asks_change(text):  # each year a table of its own: neither has both years
            for earlier, later in year_pairs(text, views):
                if self._table_score(later, in_later_year(text)) <= 0:
                    continue
                reading = self._read_table(text, later, joined=earlier)
                if reading is not None:
                    return reading
        return None

    def _table_score(self, view: TableView, text: str) -> float:
        """How much a question says of a table: its name, its columns, its cells. A table a
        document holds is named after the document ("employee handbook" for its travel
        allowances), so its name alone never makes a question its own; a CSV's or a sheet's
        name does ("sales 2025")."""
        named = table_stems(view)
        own, _ = self._matcher.question_stems(text)
        by_name = len((named & own) - {"table", "sheet", "list"})
        columns = sum(
            s * (2.0 if is_numeric(c) else 1.0) for s, c in self._matcher.named_columns(view, text)
        )
        cells = sum(2.0 if m.exact else 1.0 for m in self._matcher.cells(view, text))
        overlaps = (len(content_stems(v) & own) for vs in view.values.values() for v in vs)
        cells += 1.0 if max(overlaps, default=0) >= 2 else 0.0
        if not (columns or cells or (by_name and whole_source(view))):
            return 0.0
        if names_what_it_lacks(text, view) or names_a_row_it_lacks(text, view):
            return 0.0  # "K2 units sold in 2024" of the sheet for 2025
        if self._coverage(without_change(without_comparison(text)), view, named) < MIN_COVERAGE:
            return 0.0  # "how many days of annual leave": most of it is about something else
        score = (1.5 if whole_source(view) else 0.5) * by_name + columns + cells
        # "Which products...": the rows asked for are this table's, by its name or label column
        which = WHICH.search(text)
        label = view.label_column()
        if which and label is not None:
            asked = content_stems(which.group(1))
            if asked & row_stems(view):
                score += 2.0
        if speaks_of_money(text) and any(is_money(c) for c in view.columns):
            score += 0.5
        return score

    def _coverage(
        self, text: str, view: TableView, named: frozenset[str], cells: bool = True
    ) -> float:
        """The share of the question's own words (not its asking or computing words, not its
        numbers) that the table says: in its name, its column names or (`cells`) its cells."""
        own = {
            stem(w)
            for w in words(text)
            if len(w) > 1 and w not in STOPWORDS and stem(w) not in ASKING and not w[0].isdigit()
        }
        if not own:
            return 1.0
        known = set(named)
        for column in view.columns:
            known |= content_stems(column.name)
            for value in view.values.get(column.name, ()) if cells else ():
                known |= content_stems(value)
        said = {s for s in own if s in known}
        for word in words(text):
            if stem(word) in own - said and {stem(w) for w in self._matcher.synonyms(word)} & known:
                said.add(stem(word))
        if speaks_of_money(text) and any(is_money(c) for c in view.columns):
            said |= {s for s in own if speaks_of_money(s)}
        return len(said) / len(own)

    def _read_table(
        self, text: str, view: TableView, joined: TableView | None = None
    ) -> Reading | None:
        text, undone = unfinished(text, view)
        cells = [m for m in self._matcher.cells(view, text) if not _generic_cell(view, m.value)]
        rest = text
        for match in sorted(cells, key=lambda m: -m.start):
            rest = rest[: match.start] + rest[match.end :]
        if wants_tool(rest):
            return None  # "I buy 3 boxes at 17.50 each": the question states what to compute
        filters = [_equals(m) for m in cells] + undone
        filters += _bounds(text, view, self._matcher)
        filters += _years(text, view)
        label = view.label_column()
        totals = _total_rows(view, label)
        used = {c.column for c in filters}
        measure = self._measure(text, view, used)
        group = self._group(text, view, cells)
        note = ""
        if group is not None and isinstance(group, str):
            note, group = _missing_period(view, group)
        table = view.schema.name
        aggregate = _aggregate(text)
        superlative = "max" if _MAX.search(text) else "min" if _MIN.search(text) else None
        # No reading says "not": "which equipment is not high risk" would list the High rows,
        # "which day is the library not closed" its closed days. A cell's own words ("Not
        # available", "Osier Bank") negate nothing.
        days = which_columns(text, view, self._matcher)
        if days is not None:
            said = self._coverage(but_for(text), view, table_stems(view)) >= LOOKUP_COVERAGE
            if NEGATION.search(but_for(rest)) or not said:
                return None  # "which day is the library car park closed": no row of it
            return Reading("columns", view, days.spec, days.label, None, cell=days.cell)
        named = which_column(text, view, self._matcher) or label
        if joined is not None:
            across = across_spec(text, view, joined, self._matcher, named, filters + totals,
                                 superlative)  # fmt: skip
            if across is None or NEGATION.search(rest):
                return None
            kind = "argmax" if across.order_by else "filter"
            return Reading(kind, view, across, named, view_column(view, across.of or ""),
                           joined=joined)  # fmt: skip
        in_row = in_row_spec(text, view, self._matcher, named, filters + totals)
        if NEGATION.search(without_comparison(rest) if in_row else rest):
            return None
        change = (
            in_row
            or change_spec(text, view, self._matcher, named, filters + totals, superlative)
            or difference_spec(text, view, self._matcher, filters)
        )
        if change is not None:
            kind = "aggregate" if change.aggregate else "argmax" if change.order_by else "filter"
            return Reading(kind, view, change, named, view_column(view, change.of or ""))
        if asks_change(text) or any(c.column == VALUE for c in filters):
            return None  # "which waiting list rose the most": no pair of its years to subtract
        compared = sorted(cells, key=lambda m: m.start)
        if (
            _COMPARE.search(text)
            and len(compared) == 2
            and compared[0].column == compared[1].column
            and measure is not None
            and superlative is None
        ):
            a, b = (_equals(m) for m in compared)
            rest = tuple(c for c in filters if c not in (a, b))
            spec = QuerySpec(table, aggregate=aggregate or "sum", of=measure.name, where=rest,
                             compare=(a, b))  # fmt: skip
            return Reading("compare", view, spec, label, measure)
        named_rows = any(c.op in ("=", "contains") for c in filters)
        # Over all rows, the words must be the table's or its columns'; words only its cells
        # hold name a row it does not have ("the Fennick Brook bank restoration").
        if (
            (superlative or group or aggregate)
            and not named_rows
            and self._coverage(text, view, table_stems(view), cells=False) < WHOLE_COVERAGE
        ):
            return None
        if superlative is not None or group is not None or aggregate not in (None, "count"):
            measure = self._guessed(text, view, measure)
        asked = qualified(text, (_MAX, _MIN, _AVG, _SUM))
        computed = superlative or aggregate in ("sum", "avg")
        if computed and measure is not None and not asks_for(asked, measure, self._matcher):
            if not (superlative and group is not None and names_rows(asked, view)):
                return None  # "the minimum age to rent": no rent
            measure = None  # "the ward with the most planning applications": a count of rows
        if superlative is not None:
            return self._extreme(text, view, filters + totals, measure, group, superlative, note)
        if group is not None and (aggregate or measure is not None):
            counted = aggregate == "count" and (measure is None or not _names(text, measure))
            chosen = "count" if counted else "sum" if aggregate in (None, "count") else aggregate
            spec = QuerySpec(table, aggregate=chosen, of=None if counted else _name(measure),
                             where=tuple(filters + totals), group_by=group.name)  # fmt: skip
            if spec.aggregate != "count" and measure is None:
                return None
            return Reading("group", view, spec, group, measure, note)
        if aggregate is not None:
            counted_words = _counted(text)
            counted = aggregate == "count" and (
                measure is None or not _names(counted_words or text, measure)
            )
            if counted and not _counts_rows(text, view):
                return None  # "how many members", "how many days of leave": not its rows
            if counted:
                spec = QuerySpec(table, aggregate="count", where=tuple(filters + totals))
                return Reading("aggregate", view, spec, label, None)
            if measure is None:
                return None
            chosen = "sum" if aggregate == "count" else aggregate
            spec = QuerySpec(table, aggregate=chosen, of=measure.name,
                             where=tuple(filters + totals))  # fmt: skip
            return Reading("aggregate", view, spec, label, measure)
        priced = self._priced(text, view, label)
        return priced or self._rows(text, rest, view, filters, cells, label)

    def _priced(self, text: str, view: TableView, label: ColumnLike | None) -> Reading | None:
        """ "What would we charge to install 3 K2 units?": the price rows the question's words
        name, for the calculator to multiply; a first unit and "each additional" unit priced
        apart make first + (N - 1) × additional."""
        asked = _CHARGE.search(text)
        quantity = _QUANTITY.search(text)
        money = [c for c in view.columns if is_money(c)]
        if not (asked and quantity and label is not None and len(money) == 1):
            return None
        count = int(quantity.group(1))
        rows = closest_rows(text, view, label)
        first = [v for v in rows if not _ADDITIONAL.search(v)]
        extra = [v for v in rows if _ADDITIONAL.search(v)]
        table = view.schema.name
        if len(first) == 1 and len(extra) == 1 and count >= 2:
            a, b = Condition(label.name, "=", first[0]), Condition(label.name, "=", extra[0])
            spec = QuerySpec(table, aggregate="sum", of=money[0].name, compare=(a, b))
            return Reading("priced", view, spec, label, money[0], quantity=count)
        if len(rows) == 1 and not re.search(rf"(?<!\d){count}(?!\d)", rows[0]):
            spec = QuerySpec(table, columns=(label.name, money[0].name),
                             where=(Condition(label.name, "=", rows[0]),), limit=1)  # fmt: skip
            return Reading("priced", view, spec, label, money[0], quantity=count)
        return None

    def _extreme(
        self,
        text: str,
        view: TableView,
        filters: list[Condition],
        measure: ColumnLike | None,
        group: ColumnLike | None,
        superlative: str,
        note: str,
    ) -> Reading | None:
        """The row (or group) with the largest or smallest value."""
        table = view.schema.name
        descending = superlative == "max"
        derive = None
        if measure is None:
            measure, derive = _time_span_column(text, view)
        if group is not None and view.repeats(group):
            counts = measure is None
            if counts and not names_rows(qualified(text, (_MAX, _MIN)), view):
                return None  # "the most people" of a table of rooms: no count of its rows
            spec = QuerySpec(table, aggregate="count" if counts else "sum",
                             of=None if counts else measure.name, where=tuple(filters),
                             group_by=group.name, order_by=VALUE, descending=descending,
                             limit=1)  # fmt: skip
            return Reading("argmax", view, spec, group, measure, note)
        if measure is None:
            return None
        label = group or which_column(text, view, self._matcher) or view.label_column()
        shown = tuple(c.name for c in (label, measure) if c is not None)
        spec = QuerySpec(table, columns=shown, of=measure.name, derive=derive,
                         where=tuple(filters), order_by=measure.name, descending=descending,
                         limit=1)  # fmt: skip
        return Reading("argmax", view, spec, label, measure, note)

    def _rows(
        self,
        text: str,
        rest: str,
        view: TableView,
        filters: list[Condition],
        cells: list[CellMatch],
        label: ColumnLike | None,
    ) -> Reading | None:
        """A lookup (a cell names the row, a column what is asked of it) or a filter (rows
        within a bound). The column asked is named by words outside the cells naming the row
        ("the Rose Garden in Millrace Park" asks nothing of the column "Park keeper")."""
        table = view.schema.name
        filtered = {c.column for c in filters}
        scored = [
            (s, c)
            for s, c in self._matcher.named_columns(view, rest)
            if c.name not in filtered and c != label
        ]
        asked = [c for _, c in scored]
        coverage = self._coverage(text, view, table_stems(view))
        if asks_what_it_lacks(text, view):
            return None  # "which day is the library closed": the answer is no cell
        categories = listed(text, view, filters, cells, label, scored)
        if categories is not None and coverage >= WHOLE_COVERAGE:
            return Reading("filter", view, categories, label, None)
        if (
            coverage >= LOOKUP_COVERAGE
            and cells
            and asked
            and all(m.exact or _unique(view, m) for m in cells)
        ):
            spec = QuerySpec(table, columns=tuple(_names_of([label, *asked[:2]])),
                             where=tuple(filters), limit=20)  # fmt: skip
            return Reading("lookup", view, spec, label, asked[0])
        bounded = [c for c in filters if c.op != "=" and c.op != "contains"]
        if bounded and WHICH.search(text):
            named = which_column(text, view, self._matcher) or label  # "which rooms"
            shown = _names_of([named, *(view_column(view, c.column) for c in bounded)])
            spec = QuerySpec(table, columns=tuple(dict.fromkeys(shown)), where=tuple(filters),
                             limit=MAX_LISTED)  # fmt: skip
            return Reading("filter", view, spec, named, None)
        return None

    def _measure(self, text: str, view: TableView, used: set[str]) -> ColumnLike | None:
        """The numeric column the question computes over: the one it names, else the only
        one, else the money column when it speaks of money or of the table ("sales")."""
        numeric = [c for c in view.columns if is_numeric(c) or is_date(c)]
        free = [c for c in numeric if c.name not in used and is_numeric(c)]
        named = [
            c
            for _, c in self._matcher.named_columns(view, measure_words(text), numeric)
            if c.name not in used and not (len(free) > 1 and named_as_table(text, view, c))
        ]
        if named:
            return named[0]
        if len(free) == 1:
            return free[0]
        money = [c for c in free if is_money(c)]
        return money[0] if len(money) == 1 else None

    def _guessed(self, text: str, view: TableView, measure: ColumnLike | None) -> ColumnLike | None:
        """The measure, or where no name says it, the numeric column the embedder finds
        closest to a question that asks to compute (never for a plain lookup)."""
        if measure is not None:
            return measure
        return self._matcher.closest_column(text, [c for c in view.columns if is_numeric(c)])

    def _group(self, text: str, view: TableView, cells: list[CellMatch]) -> ColumnLike | str | None:
        """The column asked per ("per quarter", "which ward", "by region"), or the period word
        asked when no column has that name ("month")."""
        texts = [c for c in view.columns if not is_numeric(c)]
        period = None
        for pattern in (_GROUP, WHICH):
            for found in pattern.finditer(text):
                phrase = found.group(1)
                named = self._matcher.named_columns(view, phrase, texts)
                # "which products..." asks for rows; "which ward..." for a group of them
                if named and (pattern is _GROUP or view.repeats(named[0][1])):
                    return named[0][1]
                word = phrase.split()[0].lower().rstrip("s")
                if word in PERIODS and not _in_column_name(view, found.group(0)):
                    period = period or word
        return period


def _generic_cell(view: TableView, value: str) -> bool:
    """A cell that names no row: a total row's label, or a value standing in several columns
    ("Closed" in every day's column)."""
    if _is_summary(value):
        return True
    return sum(value in values for values in view.values.values()) > 1


def _total_rows(view: TableView, label: ColumnLike | None) -> list[Condition]:
    """Conditions leaving out a sheet's own total rows ("TOTAL", "Funded by: precept"), which
    would count twice."""
    if label is None:
        return []
    return [
        Condition(label.name, "!=", v) for v in view.values.get(label.name, ()) if _is_summary(v)
    ]


def _is_summary(label: str) -> bool:
    return label.strip().lower() in _TOTAL_LABELS or bool(_SUMMARY_LABEL.match(label))


_OF_THE = r"(?:of\s+(?:the|these|those)\s+)?"  # "how many of the applications"


def _counted(text: str) -> str:
    """The words a count asks for: "K2 units were sold" of "How many K2 units were sold"."""
    found = re.search(rf"\b(?:how many|number of)\s+{_OF_THE}((?:[\w-]+\s*){{1,3}})", text, re.I)
    return found.group(1) if found else ""


def _counts_rows(text: str, view: TableView) -> bool:
    """ "How many orders...", "count the products": the counted word names the table's rows."""
    found = re.search(
        rf"\b(?:how many|number of|count(?: the)?)\s+{_OF_THE}([a-z][\w-]*)", text, re.I
    )
    return found is not None and names_rows((found.group(1),), view)


def _in_column_name(view: TableView, phrase: str) -> bool:
    """ "per week" of a column "Hours per week" groups nothing."""
    return any(phrase.lower() in c.name.lower() for c in view.columns)


def view_column(view: TableView, name: str) -> ColumnLike | None:
    return next((c for c in view.columns if c.name == name), None)


def _name(column: ColumnLike | None) -> str | None:
    return column.name if column is not None else None


def _names_of(columns: list[ColumnLike | None]) -> list[str]:
    return [c.name for c in columns if c is not None]


def _names(text: str, column: ColumnLike) -> bool:
    """Whether the question says the column's name (not only its kind of value)."""
    return bool(content_stems(column_label(column)) & content_stems(text))


def _aggregate(text: str) -> str | None:
    if _AVG.search(text):
        return "avg"
    if _SUM.search(text):
        return "sum"
    if _COUNT.search(text):
        return "count"
    return None


def _equals(match: CellMatch) -> Condition:
    if match.exact:
        return Condition(match.column.name, "=", match.value)
    return Condition(match.column.name, "contains", match.value[:0] or _said(match))


def _said(match: CellMatch) -> str:
    """The words of a partly named cell that the question says ("wall bracket")."""
    words = match.value.lower().split()
    for size in range(len(words) - 1, 1, -1):
        for piece in (words[:size], words[-size:]):
            if len(" ".join(piece)) == match.end - match.start:
                return " ".join(piece)
    return match.value


def _unique(view: TableView, match: CellMatch) -> bool:
    """A partly named cell that no other cell of its column also contains."""
    said = _said(match)
    return sum(said in v.lower() for v in view.values.get(match.column.name, ())) == 1


def _bounds(text: str, view: TableView, matcher: Matcher) -> list[Condition]:
    """ "over 500 kg" → the numeric column it bounds: the one named or unit-matched before the
    bound, else the only numeric column; "rose by more than £3" → the change (VALUE)."""
    numeric = [c for c in view.columns if is_numeric(c)]
    found = []
    for bound in _BOUND.finditer(text):
        before = text[: bound.start()] + text[bound.end() : bound.end() + 20]
        named = matcher.named_columns(view, before, numeric)
        column = named[0][1] if named else (numeric[0] if len(numeric) == 1 else None)
        if column is None:
            money = [c for c in numeric if is_money(c)]
            column = money[0] if len(money) == 1 else None
        bounded = VALUE if bounds_change(text[: bound.start()]) else _name(column)
        if bounded:
            value = float(bound.group(2).replace(",", ""))
            number = int(value) if value.is_integer() else value
            found.append(Condition(bounded, _BOUND_OP[bound.group(1).lower()], number))
    return found


def _years(text: str, view: TableView) -> list[Condition]:
    """ "in 2025" → that year of the table's only date column."""
    dates = [c for c in view.columns if is_date(c)]
    found = _YEAR.search(text)
    if found is None or len(dates) != 1:
        return []
    year = int(found.group(1))
    column = dates[0].name
    return [Condition(column, ">=", f"{year}-01-01"), Condition(column, "<", f"{year + 1}-01-01")]


def _missing_period(view: TableView, period: str) -> tuple[str, ColumnLike | None]:
    """The note and the column standing in for a period the table has no column for."""
    for column in view.columns:
        have = column.name.lower().rstrip("s")
        if have in PERIODS and have != period:
            kind = "sheet" if getattr(view.schema, "sheet", None) else "table"
            note = f"The {table_title(view.schema)} {kind} has {have}s, not {period}s"
            return note, column
    return "", None


def _time_span_column(text: str, view: TableView) -> tuple[ColumnLike | None, str | None]:
    """A text column of time ranges ("08:30-18:00") when the question asks how long: "longest
    opening hours" reads the span of the hours."""
    if not re.search(r"\b(longest|shortest|hours|open)\b", text, re.I):
        return None, None
    for column in view.columns:
        values = view.values.get(column.name, ())
        if values and all(re.search(r"\d{1,2}[:.]\d{2}\s*[-–]\s*\d{1,2}[:.]\d{2}", v)
                          for v in values):  # fmt: skip
            return column, "hours_span"
    return None, None
