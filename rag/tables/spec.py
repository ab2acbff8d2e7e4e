"""A question over a table as data: the query spec and its JSON schema (rag/tables/validated.py
checks it against the table's schema and compiles it to one parameterised SELECT).

Whoever writes a spec (the deterministic reader in rag/tables/understand.py, or a capable model
through the `table_query` tool under grammar-constrained JSON) writes no SQL: table and column
names must be the table's own, and become quoted identifiers of the engine's names; every value
is bound as a parameter. A spec reads rows (a lookup, a filter, the row with the largest value),
one aggregate of a column (sum, count, avg, min, max), that aggregate per group, or the
aggregate under two conditions and their difference (a comparison). The column computed over
may be one column minus another, row by row (`minus`: the change from one year's column to
the next's), or minus a column of another table of the same rows (`join`, joined `on` the text
column both name their rows by: one year's sheet and the next's), and a condition on `value` in
a query of rows is on that measure.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
    join: str | None = None  # a table of the same rows, whose column `minus` is subtracted
    on: str | None = None  # with join: the text column naming the rows of both tables

    def to_json(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"table": self.table}
        keys = ("aggregate", "of", "derive", "minus", "join", "on", "group_by", "order_by")
        for key in (*keys, "limit"):
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
                join=_optional_str(data, "join"),
                on=_optional_str(data, "on"),
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
        "join": {"type": "string", "description": "a table of the same rows (another year's), "
                 "whose column `minus` is subtracted from `of`, for rows only"},
        "on": {"type": "string", "description": "with join: the column naming both's rows"},
    },
    "required": ["table"],
    "additionalProperties": False,
}  # fmt: skip


def is_numeric(column: ColumnLike) -> bool:
    return column.type.lower().split("(")[0] in NUMERIC_TYPES


def is_date(column: ColumnLike) -> bool:
    return column.type.lower() in DATE_TYPES
