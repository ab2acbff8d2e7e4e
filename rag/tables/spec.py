"""A question over a table as data: the query spec, its JSON schema, its validation against the
table's schema, and its compilation to one parameterised SELECT.

Whoever writes a spec (the deterministic reader in rag/tables/understand.py, or a capable model
through the `table_query` tool under grammar-constrained JSON) writes no SQL: table and column
names must be the table's own, and become quoted identifiers of the engine's names; every value
is bound as a parameter. A spec reads rows (a lookup, a filter, the row with the largest value),
one aggregate of a column (sum, count, avg, min, max), that aggregate per group, or the
aggregate under two conditions and their difference (a comparison). The column computed over
may be one column minus another, row by row (`minus`: the change from one year's column to
the next's), and a condition on `value` in a query of rows is on that measure.
"""

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from rag.errors import InvalidInputError

AGGREGATES = ("sum", "count", "avg", "min", "max")
OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "contains")
# What a text column can be read as: "Mon-Fri 08:30-18:00" spans 9.5 hours.
DERIVED = ("hours_span",)
MAX_LIMIT = 1000
MAX_LISTED = 50  # rows a question asking which ones reads
VALUE = "value"  # the name of an aggregate's result, which group_by results may be ordered by
NUMERIC_TYPES = frozenset({"integer", "number", "bigint", "double", "decimal", "float", "real",
                           "hugeint", "smallint", "tinyint", "currency", "percent"})  # fmt: skip
DATE_TYPES = frozenset({"date", "timestamp"})
_TIME_RANGE = r"(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})"


class SpecError(InvalidInputError):
    """A query spec that names what the table does not have, or asks what SQL here may not."""


class ColumnLike(Protocol):
    name: str  # as the table's header writes it
    sql_name: str  # the engine's column name
    type: str


class TableLike(Protocol):
    name: str  # the registered table's name, which SQL names it by

    @property
    def columns(self) -> Sequence[ColumnLike]: ...


@dataclass(frozen=True)
class Condition:
    column: str
    op: str
    value: str | int | float

    def to_json(self) -> dict[str, Any]:
        return {"column": self.column, "op": self.op, "value": self.value}


@dataclass(frozen=True)
class QuerySpec:
    table: str
    columns: tuple[str, ...] = ()  # the cells to show of each row read
    aggregate: str | None = None
    of: str | None = None  # the aggregated (or ordered) column; None with count: rows
    derive: str | None = None  # read `of` as a DERIVED measure of its text
    minus: str | None = None  # a column subtracted from `of`, row by row
    where: tuple[Condition, ...] = ()
    group_by: str | None = None
    order_by: str | None = None  # a column, or VALUE (the aggregate) with group_by
    descending: bool = False
    limit: int | None = None
    compare: tuple[Condition, Condition] | None = None  # aggregate under each, and difference

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"table": self.table}
        for key in ("aggregate", "of", "derive", "minus", "group_by", "order_by", "limit"):
            if getattr(self, key) is not None:
                shown[key] = getattr(self, key)
        if self.columns:
            shown["columns"] = list(self.columns)
        if self.where:
            shown["where"] = [c.to_json() for c in self.where]
        if self.order_by is not None:
            shown["descending"] = self.descending
        if self.compare:
            shown["compare"] = [c.to_json() for c in self.compare]
        return shown

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "QuerySpec":
        """A spec from its JSON form; unknown keys or wrong shapes are a SpecError."""
        if not isinstance(data, Mapping):
            raise SpecError("a query spec is a JSON object")
        unknown = set(data) - set(SPEC_SCHEMA["properties"])
        if unknown:
            raise SpecError(f"unknown keys in the query spec: {sorted(unknown)}")
        if not isinstance(data.get("table"), str):
            raise SpecError('the query spec names its table: {"table": NAME, ...}')
        compare = data.get("compare")
        if compare is not None and (not isinstance(compare, list) or len(compare) != 2):
            raise SpecError("compare holds exactly two conditions")
        try:
            return cls(
                table=data["table"],
                columns=tuple(_strings(data.get("columns", []), "columns")),
                aggregate=_optional_str(data, "aggregate"),
                of=_optional_str(data, "of"),
                derive=_optional_str(data, "derive"),
                minus=_optional_str(data, "minus"),
                where=tuple(_condition(c) for c in _list(data.get("where", []), "where")),
                group_by=_optional_str(data, "group_by"),
                order_by=_optional_str(data, "order_by"),
                descending=bool(data.get("descending", False)),
                limit=_optional_int(data, "limit"),
                compare=(_condition(compare[0]), _condition(compare[1])) if compare else None,
            )
        except (TypeError, KeyError) as exc:
            raise SpecError(f"malformed query spec: {exc}") from None


def _list(value: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise SpecError(f"{key} is a list")
    return value


def _strings(value: Any, key: str) -> list[str]:
    items = _list(value, key)
    if not all(isinstance(v, str) for v in items):
        raise SpecError(f"{key} holds column names (strings)")
    return items


def _optional_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise SpecError(f"{key} is a string")
    return value


def _optional_int(data: Mapping[str, Any], key: str) -> int | None:
    value = data.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise SpecError(f"{key} is an integer")
    return value


def _condition(data: Any) -> Condition:
    if not isinstance(data, Mapping) or set(data) != {"column", "op", "value"}:
        raise SpecError('a condition is {"column": NAME, "op": OP, "value": VALUE}')
    value = data["value"]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SpecError("a condition's value is a string or a number")
    if not isinstance(data["column"], str) or not isinstance(data["op"], str):
        raise SpecError("a condition's column and op are strings")
    return Condition(data["column"], data["op"], value)


_CONDITION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "column": {"type": "string"},
        "op": {"type": "string", "enum": list(OPERATORS)},
        "value": {"type": ["string", "number"]},
    },
    "required": ["column", "op", "value"],
    "additionalProperties": False,
}
# The spec's JSON schema, for grammar-constrained decoding of the `table_query` tool's arguments.
SPEC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "table": {"type": "string", "description": "the table's name, as `rag tables list`"},
        "columns": {"type": "array", "items": {"type": "string"},
                    "description": "columns to show of each row read"},
        "aggregate": {"type": "string", "enum": list(AGGREGATES)},
        "of": {"type": "string", "description": "the column aggregated or ordered by"},
        "derive": {"type": "string", "enum": list(DERIVED)},
        "minus": {"type": "string", "description": "a column subtracted from `of`, row by row"},
        "where": {"type": "array", "items": _CONDITION_SCHEMA},
        "group_by": {"type": "string"},
        "order_by": {"type": "string", "description": f"a column, or {VALUE!r} per group"},
        "descending": {"type": "boolean"},
        "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        "compare": {"type": "array", "items": _CONDITION_SCHEMA, "minItems": 2, "maxItems": 2},
    },
    "required": ["table"],
    "additionalProperties": False,
}  # fmt: skip


def is_numeric(column: ColumnLike) -> bool:
    return column.type.lower().split("(")[0] in NUMERIC_TYPES


def is_date(column: ColumnLike) -> bool:
    return column.type.lower() in DATE_TYPES


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

    def __init__(self, spec: QuerySpec, table: TableLike, row_column: str) -> None:
        self.spec = spec
        self.table = table
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
        if s.minus is not None and not (
            s.derive is None and is_numeric(self.column(s.of)) and is_numeric(self.column(s.minus))
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
        return f"lower(trim(CAST({name} AS VARCHAR))) {condition.op} ?"

    def _measure(self) -> str:
        """The SQL of the aggregated or ordered column (its derived measure if asked)."""
        name = quoted(self.column(self.spec.of).sql_name)
        if self.spec.derive == "hours_span":
            parts = [f"CAST(regexp_extract({name}, '{_TIME_RANGE}', {n}) AS INTEGER)"
                     for n in range(1, 5)]  # fmt: skip
            return f"(({parts[2]} * 60 + {parts[3]}) - ({parts[0]} * 60 + {parts[1]})) / 60.0"
        if self.spec.minus is not None:
            return f"({name} - {quoted(self.column(self.spec.minus).sql_name)})"
        return name

    def compile(self) -> CompiledQuery:
        # Every name below is a quoted identifier of the table's own and every value a bound
        # parameter (`params`), so the f-strings build no SQL from anyone's text (S608).
        s = self.spec
        params: list[Any] = []
        table = quoted(self.table.name)
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
