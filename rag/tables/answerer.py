"""Questions over tables answered by the engine: a total, a count, the row with the largest
value, a comparison, a lookup, each computed by one validated SELECT (rag/tables/validated.py) over
the table the question names (rag/tables/understand.py), answered in a sentence with the value
and its unit, the rows used cited, and the query in the tool trace as a `table_query` call.

A question naming no table is declined (None), so the document answerers behind it see it as
before.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from rag.tables.matching import Matcher, TableView, column_label, column_unit, table_title
from rag.tables.spec import VALUE, SpecError, TableLike
from rag.tables.types import CURRENCY_SYMBOLS
from rag.tables.understand import QuestionReader, Reading
from rag.tables.validated import JOINED, JOINED_ROW, CompiledQuery, Validated
from rag.tools import ToolCall, ToolError
from rag.tools.calculator import calculator

# A currency code read from a symbol is written back with it: "£121,500", not "121,500 GBP".
_CURRENCY_SIGNS = {code: sign for sign, code in CURRENCY_SYMBOLS.items()}
MAX_ROWS = 1000
TIMEOUT_S = 2.0
SHOWN_ROWS = 10  # rows named in an answer sentence and cited one by one
TRACE_ROWS = 20  # result rows shown in the tool trace


class QueryResultLike(Protocol):
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


class TableSource(Protocol):
    """What the answerer needs of the table store (rag/tables/store.py)."""

    def views(self, collection: str) -> list[TableView]: ...

    def run(self, compiled: CompiledQuery, *, max_rows: int, timeout_s: float) -> QueryResultLike:
        """The result of one validated SELECT."""
        ...

    def row_column(self) -> str:
        """The hidden row-number column every registered table has."""
        ...


@dataclass(frozen=True)
class TableAnswer:
    text: str
    reading: Reading
    # the table_query call (the spec as arguments, the SQL and rows as result), then any
    # calculator call over its values
    calls: tuple[ToolCall, ...]
    rows: tuple[int, ...]  # the hidden row numbers of the rows the answer rests on
    span: tuple[int, int, int] | None  # an aggregate's (rows, first row, last row)
    values: tuple[Any, ...]  # the answer's values, for checking it (bench/tables.py)
    joined_rows: tuple[int, ...] = ()  # with a join, the rows of the joined table beside them


class TableQuestionAnswerer:
    def __init__(self, tables: TableSource, matcher: Matcher | None = None) -> None:
        self._tables = tables
        self._reader = QuestionReader(matcher)

    def answer(self, question: str, collection: str) -> TableAnswer | None:
        views = self._tables.views(collection)
        if not views:
            return None
        reading = self._reader.read(question, views)
        if reading is None:
            return None
        return self.run(reading)

    def run(self, reading: Reading) -> TableAnswer | None:
        try:
            joined = reading.joined.schema if reading.joined is not None else None
            row = self._tables.row_column()
            validated = Validated(reading.spec, reading.view.schema, row, joined)
        except SpecError:
            return None
        compiled = validated.compile()
        result = self._tables.run(compiled, max_rows=MAX_ROWS, timeout_s=TIMEOUT_S)
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        composed = _compose(reading, rows, self._tables.row_column())
        if composed is None:
            return None
        text, cited, span, values = composed
        calls = [_table_call(reading, compiled, result)]
        if reading.kind == "priced":
            priced = _priced(reading, values)
            if priced is None:
                return None
            text, values, computed = priced
            calls.append(computed)
        beside = tuple(r[JOINED_ROW] for r in rows[: len(cited)]) if reading.joined else ()
        return TableAnswer(text, reading, tuple(calls), tuple(cited), span, tuple(values), beside)


def _table_call(reading: Reading, compiled: CompiledQuery, result: QueryResultLike) -> ToolCall:
    trace = {
        "sql": compiled.sql,
        "params": [_jsonable(p) for p in compiled.params],
        "columns": list(result.columns),
        "rows": [[_jsonable(v) for v in row] for row in result.rows[:TRACE_ROWS]],
    }
    return ToolCall("table_query", reading.spec.to_json(), json.dumps(trace))


def _priced(reading: Reading, values: list[Any]) -> tuple[str, list[Any], ToolCall] | None:
    """The calculator over the looked-up prices: N × price, or first + (N - 1) × additional."""
    count = reading.quantity or 1
    if reading.spec.compare is not None:
        first, extra = (Fraction(str(v)) for v in values[:2])
        expression = f"{first} + ({count} - 1) * {extra}"
        how = (
            f"{_amount(values[0], reading)} for the first ({reading.spec.compare[0].value}) plus "
            f"{_amount(values[1], reading)} for each of the other {count - 1} "
            f"({reading.spec.compare[1].value})"
        )
    else:
        price = Fraction(str(values[-1]))
        expression = f"{count} * {price}"
        how = f"{count} × {_amount(values[-1], reading)} ({reading.spec.where[0].value})"
    try:
        call = ToolCall("calculator", {"expression": expression}, calculator(expression))
    except ToolError:
        return None
    total = Fraction(call.result)
    shown = int(total) if total.denominator == 1 else float(total)
    text = f"{_amount(shown, reading)} for {count}: {how}, computed by the calculator."
    return text, [shown], call


def _compose(
    reading: Reading, rows: list[dict[str, Any]], row_column: str
) -> tuple[str, list[int], tuple[int, int, int] | None, list[Any]] | None:
    """The answer sentence, the rows it cites, an aggregate's span of rows, its values."""
    spec = reading.spec
    table = table_title(reading.view.schema)
    lead = f"{reading.note}. " if reading.note else ""
    if spec.compare is not None:
        row = rows[0] if rows else None
        if row is None or row["first"] is None or row["second"] is None:
            return None
        a, b = spec.compare
        what = _measure_name(reading)
        text = (
            f"{lead}The {what} of {a.value} is {_amount(row['first'], reading)} and of "
            f"{b.value} {_amount(row['second'], reading)}: a difference of "
            f"{_amount(row['difference'], reading)}."
        )
        return text, [], _span(row), [row["first"], row["second"], row["difference"]]
    if spec.aggregate is not None and spec.group_by is not None:
        if not rows:
            return None
        if spec.limit == 1:  # the group with the largest (smallest) value
            best = rows[0]
            if spec.of is None:
                most = "most" if spec.descending else "fewest"
                text = f"{lead}{best['grp']} has the {most} rows in {table}: {best['value']:,}."
            else:
                extreme = "highest" if spec.descending else "lowest"
                text = (
                    f"{lead}{best['grp']} has the {extreme} {_measure_name(reading)} in {table}: "
                    f"{_amount(best['value'], reading)}."
                )
            return text, [], _span(best), [best["grp"], best["value"]]
        listed = "; ".join(f"{r['grp']}: {_amount(r['value'], reading)}" for r in rows)
        name = "rows" if spec.of is None else _measure_name(reading)
        text = f"{lead}The {_verb(spec.aggregate)} {name} per {_group_name(reading)}: {listed}."
        span = (sum(r["rows"] for r in rows), min(r["first_row"] for r in rows),
                max(r["last_row"] for r in rows))  # fmt: skip
        return text, [], span, [v for r in rows for v in (r["grp"], r["value"])]
    if spec.aggregate is not None:
        row = rows[0]
        if row["rows"] == 0 or (row["value"] is None and spec.aggregate != "count"):
            return None
        if spec.aggregate == "count":
            text = f"{lead}{table} has {row['value']:,} rows{_where_text(reading)}."
        else:
            where = _where_text(reading) or f" in {table}"
            text = (
                f"{lead}The {_verb(spec.aggregate)} {_measure_name(reading)}{where}"
                f" is {_amount(row['value'], reading)}."
            )
        return text, [], _span(row), [row["value"]]
    if not rows:
        return None
    label = reading.label.name if reading.label is not None else None
    cited = [r[row_column] for r in rows[:SHOWN_ROWS]]
    if reading.kind == "argmax":
        best = rows[0]
        extreme = _extreme(spec.descending, spec.derive)
        value = best["measure"]
        name = best.get(label, "") if label else ""
        said = f" ({best[spec.of]})" if spec.derive is not None and spec.of in best else ""
        if spec.join is not None and spec.of in best:  # "(£398,200 to £446,900)"
            *_, earlier, later = _listed(best, reading)
            said = f" ({earlier} to {later})"
        text = (
            f"{lead}{name} has the {extreme} {_measure_name(reading)}: "
            f"{_amount(value, reading)}{said}."
        )
        return text, cited, None, [name, value]
    shown = [c for c in spec.columns if c != label]
    if reading.kind == "columns":
        row = rows[0]
        held = [c for c in shown if str(row[c]).strip().lower() == reading.cell.lower()]
        if not held:
            return None
        days = f"{', '.join(held[:-1])} and {held[-1]}" if len(held) > 1 else held[0]
        text = f"{row[label]} is {reading.cell.lower()} on {days}."
        return text, cited, None, held
    if reading.kind in ("lookup", "priced") and len(rows) == 1 and shown:
        row = rows[0]
        if all(row[c] is None for c in shown):
            return None  # the cells asked for are empty: the table does not say
        said = " and ".join(
            f"the {column_label(_column(reading, c))} is {_cell(row[c], reading, c)}" for c in shown
        )
        name = row.get(label) if label else None
        text = f"For {name}, {said}." if name else f"{said[0].upper()}{said[1:]}."
        return text, cited, None, [row[c] for c in shown]
    listed = "; ".join(", ".join(_listed(r, reading)) for r in rows[:SHOWN_ROWS])
    more = f" (and {len(rows) - SHOWN_ROWS} more)" if len(rows) > SHOWN_ROWS else ""
    text = f"{lead}{len(rows)} rows of {table}{_where_text(reading)}: {listed}{more}."
    return text, cited, None, [r[c] for r in rows for c in spec.columns]


def _listed(row: dict[str, Any], reading: Reading) -> list[str]:
    """A row's cells as listed; with a join, the joined table's value before the measure's."""
    spec = reading.spec
    cells = []
    for c in spec.columns:
        if spec.join is not None and c == spec.of:
            cells.append(str(_cell(row[JOINED], reading, c)))
        cells.append(str(_cell(row[c], reading, c)))
    return cells


def _extreme(descending: bool, derive: str | None) -> str:
    if derive == "hours_span":
        return "longest" if descending else "shortest"
    return "highest" if descending else "lowest"


def _span(row: dict[str, Any]) -> tuple[int, int, int] | None:
    if not row.get("rows"):
        return None
    return int(row["rows"]), int(row["first_row"]), int(row["last_row"])


def _column(reading: Reading, name: str) -> Any:
    return next(c for c in reading.view.columns if c.name == name)


def _measure_name(reading: Reading) -> str:
    if reading.measure is None:
        return "value"
    if reading.joined is not None:
        earlier, later = (table_title(v.schema) for v in (reading.joined, reading.view))
        return f"change in {column_label(reading.measure)} from {earlier} to {later}"
    if reading.spec.minus is not None:
        earlier = column_label(_column(reading, reading.spec.minus))
        return f"change from {earlier} to {column_label(reading.measure)}"
    return column_label(reading.measure)


def _group_name(reading: Reading) -> str:
    group = reading.spec.group_by or ""
    return column_label(_column(reading, group)) if group else ""


def _verb(aggregate: str | None) -> str:
    return {"sum": "total", "avg": "average", "min": "lowest", "max": "highest",
            "count": "number of"}.get(aggregate or "", "")  # fmt: skip


def _where_text(reading: Reading) -> str:
    """The conditions as said; those leaving out a sheet's total rows go unsaid."""
    label = reading.view.label_column()
    said = {"=": "is", "!=": "is not"}
    shown = [
        f"{_condition_name(c.column, reading)} {said.get(c.op, c.op)} {c.value}"
        for c in reading.spec.where
        if c.op != "!=" or (label is not None and c.column != label.name)
    ]
    return f" where {' and '.join(shown)}" if shown else ""


def _condition_name(column: str, reading: Reading) -> str:
    """A condition's column as said: a condition on the measure says what it is."""
    return f"the {_measure_name(reading)}" if column == VALUE and reading.spec.of else column


def _amount(value: Any, reading: Reading) -> str:
    """A computed value with the measure's unit: "19,360 thousand euros", "12.5%"."""
    unit = column_unit(reading.measure) if reading.measure is not None else ""
    if reading.spec.derive == "hours_span":
        unit = "hours a day"
    if reading.spec.aggregate == "count" and reading.spec.of is None:
        unit = ""
    return _with_unit(format_value(value), unit)


def _cell(value: Any, reading: Reading, column: str) -> str:
    unit = column_unit(_column(reading, column))
    return _with_unit(format_value(value), unit) if isinstance(value, int | float) else str(value)


def _with_unit(number: str, unit: str) -> str:
    if not unit:
        return number
    if unit in ("%", "percent"):
        return f"{number}%"
    if symbol := _CURRENCY_SIGNS.get(unit):
        return f"-{symbol}{number[1:]}" if number.startswith("-") else f"{symbol}{number}"
    return f"{number} {unit}"


def format_value(value: Any) -> str:
    """Numbers with thousands separators, at most two decimals; dates as ISO; the rest as is."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return format_value(value)


def table_views(schemas: Sequence[TableLike], values_of: Any) -> list[TableView]:
    """Views of registered tables: `values_of(schema)` gives the text columns' values."""
    return [TableView(s, values_of(s), getattr(s, "source", "")) for s in schemas]


class StoreTables:
    """The table store (rag/tables/store.py) seen from one collection, as the answerer needs
    it: views with the text columns' sampled values, and validated SELECTs."""

    def __init__(self, store: Any, collection: str) -> None:
        self.store = store
        self.collection = collection

    def views(self, collection: str) -> list[TableView]:
        return [
            TableView(s, {c.name: c.samples for c in s.columns if c.samples}, s.source)
            for s in self.store.schemas(self.collection)
        ]

    def run(self, compiled: CompiledQuery, *, max_rows: int, timeout_s: float) -> QueryResultLike:
        return self.store.select(
            self.collection, compiled.sql, compiled.params, max_rows=max_rows, timeout_s=timeout_s
        )

    def row_column(self) -> str:
        from rag.tables.schema import ROW_COLUMN

        return ROW_COLUMN
