"""A query spec (rag/tables/spec.py) checked against its table's schema, every name the
table's own and every value of its column's type, and compiled to one parameterised SELECT: the
names become quoted identifiers of the engine's names, the values bound parameters. A spec with
a `join` reads the rows of its table each beside the joined table's row named alike (one year's
sheet and the next's); a row whose label another row of its table shares is joined to none.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rag.tables.spec import (
    AGGREGATES,
    DERIVED,
    MAX_LIMIT,
    OPERATORS,
    VALUE,
    ColumnLike,
    Condition,
    QuerySpec,
    SpecError,
    TableLike,
    is_date,
    is_numeric,
)

# A join's rows hold the joined table's `minus` value and row number under these names.
JOINED, JOINED_ROW = "__joined", "__joined_row"
_TIME_RANGE = r"(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})"


@dataclass(frozen=True)
class CompiledQuery:
    """One SELECT and its parameters. Result columns: for rows, ROW then the shown columns (and
    the ordered one); for aggregates, `value` (per group after the group's cell), `rows`,
    `first_row`, `last_row` (the hidden row numbers the aggregate ran over); for a comparison,
    `first`, `second`, `difference`, then `rows`, `first_row`, `last_row`."""

    sql: str
    params: list[Any] = field(default_factory=list)


def quoted(identifier: str) -> str:
    """An identifier as SQL reads it whatever it holds: `a"b` → `"a""b"`."""
    if "\x00" in identifier:
        raise SpecError("a name holds a NUL character")
    return '"' + identifier.replace('"', '""') + '"'


class Validated:
    """A spec checked against its table: every name the table's own, every value of its
    column's type. `compile()` gives the one SELECT."""

    def __init__(
        self, spec: QuerySpec, table: TableLike, row_column: str, joined: TableLike | None = None
    ) -> None:
        self.spec = spec
        self.table = table
        self.joined = joined  # the table `join` names
        self._row = quoted(row_column)
        self._columns = {c.name: c for c in table.columns}
        self._check()

    def column(self, name: str | None) -> ColumnLike:
        if name is None or name not in self._columns:
            known = ", ".join(self._columns)
            raise SpecError(f"table {self.table.name!r} has no column {name!r}; it has {known}")
        return self._columns[name]

    def _check(self) -> None:
        s = self.spec
        for name in s.columns:
            self.column(name)
        if s.aggregate is not None and s.aggregate not in AGGREGATES:
            raise SpecError(f"aggregate is one of {', '.join(AGGREGATES)}")
        if s.derive is not None and s.derive not in DERIVED:
            raise SpecError(f"derive is one of {', '.join(DERIVED)}")
        if s.of is not None:
            of = self.column(s.of)
            if s.derive is None and s.aggregate in ("sum", "avg") and not is_numeric(of):
                raise SpecError(f"{s.aggregate} needs a numeric column; {s.of!r} is {of.type}")
        elif s.aggregate not in (None, "count") or s.derive is not None or s.minus is not None:
            raise SpecError(f"{s.aggregate or s.derive or 'minus'} needs a column: set 'of'")
        if s.join is not None or s.on is not None or self.joined is not None:
            self._check_join()
        minus = self._joined_column if s.join else self.column
        if s.minus is not None and not (
            s.derive is None and is_numeric(self.column(s.of)) and is_numeric(minus(s.minus))
        ):
            raise SpecError("minus subtracts a numeric column from a numeric 'of'")
        if s.aggregate is None and (s.group_by or s.compare):
            raise SpecError("group_by and compare need an aggregate")
        if s.group_by is not None:
            self.column(s.group_by)
        if s.order_by is not None and not (s.order_by == VALUE and s.group_by):
            self.column(s.order_by)
        if s.limit is not None and not 1 <= s.limit <= MAX_LIMIT:
            raise SpecError(f"limit is between 1 and {MAX_LIMIT}")
        for condition in [*s.where, *(s.compare or ())]:
            self._condition_sql(condition, [])

    def _check_join(self) -> None:
        """A join reads rows (no aggregate), each beside the joined table's row its text
        column `on` names alike, and subtracts that row's `minus`."""
        s, joined = self.spec, self.joined
        if joined is None or s.join != joined.name or s.on is None or s.minus is None:
            raise SpecError("a join names its table (join), the text column both name their "
                            "rows by (on) and its column subtracted (minus)")  # fmt: skip
        if s.aggregate is not None or s.derive is not None:
            raise SpecError("a join reads rows: no aggregate or derive")
        if is_numeric(self.column(s.on)) or is_numeric(self._joined_column(s.on)):
            raise SpecError(f"a join is on a text column; {s.on!r} holds numbers")
        if {JOINED, JOINED_ROW} & {c.sql_name for c in self.table.columns}:
            raise SpecError(f"table {self.table.name!r} has a column named as a join's own")

    def _joined_column(self, name: str | None) -> ColumnLike:
        column = next((c for c in getattr(self.joined, "columns", ()) if c.name == name), None)
        if column is None:
            raise SpecError(f"the joined table {self.spec.join!r} has no column {name!r}")
        return column

    def _from(self) -> str:
        """The table, or with a join its rows each beside the joined row named alike: only the
        rows whose label no other row of their table shares (as the join reads labels), so
        that no row is read twice."""
        if self.joined is None:
            return quoted(self.table.name)
        on = [self.column(self.spec.on), self._joined_column(self.spec.on)]
        mine, theirs = _named_once(self.table.name, on[0]), _named_once(self.joined.name, on[1])
        minus = quoted(self._joined_column(self.spec.minus).sql_name)
        beside = f"j.{minus} AS {quoted(JOINED)}, j.{self._row} AS {quoted(JOINED_ROW)}"
        # quoted identifiers of the tables' own only, as in compile() (S608)
        keys = _label(f"t.{quoted(on[0].sql_name)}"), _label(f"j.{quoted(on[1].sql_name)}")
        return (
            f"(SELECT t.*, {beside} FROM {mine} AS t JOIN {theirs} AS j "  # noqa: S608
            f"ON {keys[0]} = {keys[1]}) AS t"
        )

    def _condition_sql(self, condition: Condition, params: list[Any]) -> str:
        s = self.spec
        on_measure = condition.column == VALUE and VALUE not in self._columns  # its own first
        if on_measure and s.of is not None and s.aggregate is None:
            if condition.op not in OPERATORS or condition.op == "contains":
                raise SpecError("the measure is compared with a number")
            params.append(_number(condition.value, VALUE))
            return f"{self._measure()} {condition.op} ?"
        column = self.column(condition.column)
        name = quoted(column.sql_name)
        if condition.op not in OPERATORS:
            raise SpecError(f"op is one of {', '.join(OPERATORS)}")
        if condition.op == "contains":
            params.append(str(condition.value).lower())
            return f"strpos(lower(CAST({name} AS VARCHAR)), ?) > 0"
        if is_numeric(column):
            params.append(_number(condition.value, column.name))
            return f"{name} {condition.op} ?"
        if is_date(column):
            params.append(_date(condition.value, column.name))
            return f"{name} {condition.op} ?"
        if condition.op not in ("=", "!="):
            raise SpecError(f"{condition.op} compares numbers or dates; {column.name!r} is text")
        params.append(str(condition.value).strip().lower())
        # a blank cell is no value: "status != 'completed'" holds for it
        op = "IS DISTINCT FROM" if condition.op == "!=" else condition.op
        return f"lower(trim(CAST({name} AS VARCHAR))) {op} ?"

    def _measure(self) -> str:
        """The SQL of the aggregated or ordered column (its derived measure if asked)."""
        name = quoted(self.column(self.spec.of).sql_name)
        if self.spec.derive == "hours_span":
            parts = [f"CAST(regexp_extract({name}, '{_TIME_RANGE}', {n}) AS INTEGER)"
                     for n in range(1, 5)]  # fmt: skip
            return f"(({parts[2]} * 60 + {parts[3]}) - ({parts[0]} * 60 + {parts[1]})) / 60.0"
        if self.spec.minus is not None:
            minus = JOINED if self.spec.join else self.column(self.spec.minus).sql_name
            return f"({name} - {quoted(minus)})"
        return name

    def compile(self) -> CompiledQuery:
        # Every name below is a quoted identifier of the table's own and every value a bound
        # parameter (`params`), so the f-strings build no SQL from anyone's text (S608).
        s = self.spec
        params: list[Any] = []
        table = self._from()
        where = [self._condition_sql(c, params) for c in s.where]
        if s.of is not None and s.derive is not None:
            where.append(f"regexp_matches({quoted(self.column(s.of).sql_name)}, '{_TIME_RANGE}')")
        span = f"count(*) AS rows, min({self._row}) AS first_row, max({self._row}) AS last_row"
        if s.compare is not None:
            filters = [self._condition_sql(c, params) for c in s.compare]
            first, second = (f"{self._aggregate()} FILTER (WHERE {f})" for f in filters)
            where.append("(" + " OR ".join(filters) + ")")
            select = f"{first} AS first, {second} AS second, ({first}) - ({second}) AS difference"
            params = _compare_params(params, len(s.where))
            sql = f"SELECT {select}, {span} FROM {table}{_where(where)}"  # noqa: S608
        elif s.aggregate is not None and s.group_by is not None:
            group = quoted(self.column(s.group_by).sql_name)
            order = self._order(default=group)
            sql = (
                f"SELECT {group} AS grp, {self._aggregate()} AS value, {span} FROM {table}"  # noqa: S608
                f"{_where(where)} GROUP BY {group} ORDER BY {order}{_limit(s.limit)}"
            )
        elif s.aggregate is not None:
            sql = f"SELECT {self._aggregate()} AS value, {span} FROM {table}{_where(where)}"  # noqa: S608
        else:
            shown = [f"{quoted(self.column(c).sql_name)} AS {quoted(c)}" for c in s.columns]
            if s.of is not None:
                shown.append(f"{self._measure()} AS measure")
            if self.joined is not None:
                shown += [quoted(JOINED), quoted(JOINED_ROW)]
            columns = ", ".join([self._row, *shown])
            order = self._order(default=self._row)
            sql = (
                f"SELECT {columns} FROM {table}{_where(where)} ORDER BY {order}"  # noqa: S608
                f"{_limit(s.limit or MAX_LIMIT)}"
            )
        return CompiledQuery(sql, params)

    def _aggregate(self) -> str:
        s = self.spec
        if s.aggregate == "count" and s.of is None:
            return "count(*)"
        return f"{s.aggregate}({self._measure()})"

    def _order(self, default: str) -> str:
        s = self.spec
        if s.order_by is None:
            return default
        if s.order_by == VALUE and s.group_by:
            key = "value"
        elif s.order_by == s.of:
            key = self._measure()
        else:
            key = quoted(self.column(s.order_by).sql_name)
        direction = "DESC" if s.descending else "ASC"
        return f"{key} {direction} NULLS LAST, {default}"


def _label(column: str) -> str:
    """The SQL of a row's label as a join reads it: its text, trimmed, in lower case."""
    return f"lower(trim(CAST({column} AS VARCHAR)))"


def _named_once(table: str, key: ColumnLike) -> str:
    """The rows of `table` whose label (`key`, as a join reads it) no other row shares."""
    label = _label(quoted(key.sql_name))
    rows = f"SELECT * FROM {quoted(table)} QUALIFY count(*) OVER (PARTITION BY {label}) = 1"  # noqa: S608
    return f"({rows})"


def _compare_params(params: list[Any], n_where: int) -> list[Any]:
    """The parameters in SQL order for a comparison: WHERE's own, then the two filters for
    `first`, `second`, the difference's two and WHERE's OR."""
    own, (a, b) = params[:n_where], params[n_where:]
    return [a, b, a, b, *own, a, b]


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def _limit(limit: int | None) -> str:
    return f" LIMIT {int(limit)}" if limit is not None else ""


def _number(value: str | int | float, column: str) -> float | int:
    if isinstance(value, int | float):
        return value
    text = re.sub(r"[\s,€$£%]", "", value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise SpecError(f"{column!r} holds numbers; {value!r} is not one") from None
    return int(number) if number == number.to_integral_value() else float(number)


def _date(value: str | int | float, column: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise SpecError(f"{column!r} holds dates; {value!r} is not YYYY-MM-DD") from None
