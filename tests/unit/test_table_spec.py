"""The table query spec: JSON in, validated against the table, one parameterised SELECT out."""

import pytest

from bench.tables import ROW, MemoryTables
from rag.tables.spec import QuerySpec, SpecError
from rag.tables.validated import Validated

HEADER = ["Product", "Category", "Price (EUR)", "Stock"]
CELLS = [
    ["Alder lamp", "Lighting", "€120", "4"],
    ["Birch chair", "Furniture", "€85.50", "10"],
    ["Cedar lamp", "Lighting", "€60", "0"],
]


@pytest.fixture
def tables() -> MemoryTables:
    source = MemoryTables()
    source.add("products", HEADER, CELLS)
    return source


def _validated(tables: MemoryTables, data: dict) -> Validated:
    return Validated(QuerySpec.from_json(data), tables.views("c")[0].schema, ROW)


def _run(tables: MemoryTables, data: dict) -> list[tuple]:
    compiled = _validated(tables, data).compile()
    return tables.run(compiled, max_rows=100, timeout_s=1).rows


def test_unknown_keys_tables_columns_and_shapes_are_refused(tables: MemoryTables) -> None:
    for bad in (
        {"table": "products", "sql": "DROP TABLE products"},
        {"table": "products", "columns": "Product"},
        {"table": "products", "where": [{"column": "Stock", "op": ">", "value": True}]},
        {"table": "products", "limit": "1"},
        {"table": 3},
        "SELECT 1",
    ):
        with pytest.raises(SpecError):
            QuerySpec.from_json(bad)
    for bad in (
        {"table": "products", "columns": ["Colour"]},
        {"table": "products", "aggregate": "sum", "of": "Category"},  # text is not summed
        {"table": "products", "aggregate": "median", "of": "Stock"},
        {"table": "products", "where": [{"column": "Product", "op": ">", "value": "a"}]},
        {"table": "products", "where": [{"column": "Stock", "op": "LIKE", "value": 1}]},
        {"table": "products", "where": [{"column": "Stock", "op": "=", "value": "many"}]},
        {"table": "products", "group_by": "Category"},  # group_by needs an aggregate
        {"table": "products", "limit": 0},
    ):
        with pytest.raises(SpecError):
            _validated(tables, bad)
    with pytest.raises(SpecError, match="no column 'Colour'"):
        _validated(tables, {"table": "products", "columns": ["Colour"]})


def test_every_kind_compiles_to_one_select_that_the_engine_runs(tables: MemoryTables) -> None:
    total = _run(tables, {"table": "products", "aggregate": "sum", "of": "Price (EUR)"})
    assert total[0][0] == pytest.approx(265.5)
    assert total[0][1:] == (3, 1, 3)  # rows, first row, last row
    counted = _run(
        tables,
        {
            "table": "products",
            "aggregate": "count",
            "where": [{"column": "Category", "op": "=", "value": "lighting"}],
        },
    )
    assert counted[0][0] == 2
    best = _run(
        tables,
        {
            "table": "products",
            "columns": ["Product"],
            "of": "Stock",
            "order_by": "Stock",
            "descending": True,
            "limit": 1,
        },
    )
    assert best[0][1] == "Birch chair"
    grouped = _run(
        tables,
        {
            "table": "products",
            "aggregate": "avg",
            "of": "Stock",
            "group_by": "Category",
            "order_by": "value",
            "descending": True,
        },
    )
    assert [(g, v) for g, v, *_ in grouped] == [("Furniture", 10.0), ("Lighting", 2.0)]
    compared = _run(
        tables,
        {
            "table": "products",
            "aggregate": "sum",
            "of": "Price (EUR)",
            "compare": [
                {"column": "Product", "op": "=", "value": "Alder lamp"},
                {"column": "Product", "op": "=", "value": "Cedar lamp"},
            ],
        },
    )
    assert compared[0][:3] == (120.0, 60.0, 60.0)
    found = _run(
        tables,
        {
            "table": "products",
            "columns": ["Product"],
            "where": [
                {"column": "Product", "op": "contains", "value": "LAMP"},
                {"column": "Price (EUR)", "op": ">", "value": "€100"},
            ],
        },
    )
    assert [r[1] for r in found] == ["Alder lamp"]
    for data in (
        {"table": "products", "aggregate": "max", "of": "Stock"},
        {"table": "products", "columns": ["Product", "Stock"]},
    ):
        sql = _validated(tables, data).compile().sql
        assert sql.startswith("SELECT ") and ";" not in sql


def test_crafted_names_and_values_stay_data() -> None:
    crafted = 'x"; DROP TABLE t; --'
    source = MemoryTables()
    source.add("t", ["Name", crafted], [["a'; DROP TABLE t; --", "1"], ["b", "2"]])
    value = "a'; DROP TABLE t; --"
    data = {
        "table": "t",
        "aggregate": "sum",
        "of": crafted,
        "where": [{"column": "Name", "op": "=", "value": value}],
    }
    compiled = Validated(QuerySpec.from_json(data), source.views("c")[0].schema, ROW).compile()
    assert value not in compiled.sql and value.lower() in compiled.params
    assert source.run(compiled, max_rows=10, timeout_s=1).rows[0][0] == 1
    assert source.run(compiled, max_rows=10, timeout_s=1).rows[0][0] == 1  # t still there
    nul = {
        "table": "t",
        "columns": ["Name"],
        "where": [{"column": "Name", "op": "=", "value": "a\x00b"}],
    }
    compiled = Validated(QuerySpec.from_json(nul), source.views("c")[0].schema, ROW).compile()
    assert source.run(compiled, max_rows=10, timeout_s=1).rows == []


def test_spec_round_trips_through_json() -> None:
    data = {
        "table": "products",
        "aggregate": "sum",
        "of": "Stock",
        "group_by": "Category",
        "order_by": "value",
        "descending": True,
        "limit": 1,
        "where": [{"column": "Stock", "op": ">=", "value": 1}],
    }
    assert QuerySpec.from_json(data).to_json() == data


def test_a_measure_is_one_column_minus_another_row_by_row() -> None:
    source = MemoryTables()
    source.add(
        "rents",
        ["Plot", "Rent 2025-26", "Rent 2026-27"],
        [["Full plot", "92", "96"], ["Half plot", "50", "52"], ["Raised bed", "18", "18"]],
    )
    schema = source.views("c")[0].schema

    def run(data: dict) -> list[tuple]:
        compiled = Validated(QuerySpec.from_json(data), schema, ROW).compile()
        return source.run(compiled, max_rows=100, timeout_s=1).rows

    change = {"table": "rents", "columns": ["Plot"], "of": "Rent 2026-27", "minus": "Rent 2025-26"}
    risen = run({**change, "order_by": "Rent 2026-27", "descending": True, "limit": 1})
    assert risen[0][1:] == ("Full plot", 4)
    # a condition on "value" is on the measure
    same = run({**change, "where": [{"column": "value", "op": "=", "value": 0}]})
    assert [r[1] for r in same] == ["Raised bed"]
    assert run({**change, "aggregate": "sum"})[0][0] == 6
    assert QuerySpec.from_json(change).to_json() == change
    with pytest.raises(SpecError):
        run({**change, "minus": "Plot"})  # text is not subtracted


def test_a_condition_on_a_column_named_value_is_on_that_column() -> None:
    source = MemoryTables()
    source.add("items", ["Item", "value", "Cost"], [["A", "1", "5"], ["B", "2", "7"]])
    schema = source.views("c")[0].schema
    data = {"table": "items", "columns": ["Item"], "of": "Cost", "minus": "value",
            "where": [{"column": "value", "op": "=", "value": 2}]}  # fmt: skip
    compiled = Validated(QuerySpec.from_json(data), schema, ROW).compile()
    assert [r[1] for r in source.run(compiled, max_rows=10, timeout_s=1).rows] == ["B"]
