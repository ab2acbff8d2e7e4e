"""The table_query tool a configured model may call: a JSON spec in, one validated SELECT run
by the real table store, bound to the request's collection; anything else is a ToolError."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.ingest.pages import PageWriter
from rag.tables.store import TableStore
from rag.tools import ToolError, ToolRegistry
from rag.tools.table_query import table_query_tool


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TableStore]:
    tables = TableStore(tmp_path / "tables.duckdb")
    writer = PageWriter()
    writer.table(["Product", "Price"], [["K2", "7,450"], ["G3", "1,290"], ["Bracket", "180"]])
    tables.replace_source("c", "/d/prices.csv", "doc1", "h1", [writer.page()])
    yield tables
    tables.close()


def test_a_spec_runs_as_one_select_of_the_requests_collection(store: TableStore) -> None:
    tool = table_query_tool(store, "c")
    assert tool is not None and "prices(Product, Price)" in tool.description
    registry = ToolRegistry([]).with_functions(tool)
    call = registry.call(
        "table_query",
        {"table": "prices", "aggregate": "sum", "of": "Price",
         "where": [{"column": "Product", "op": "!=", "value": "Bracket"}]},
    )  # fmt: skip
    shown = json.loads(call.result)
    assert shown["sql"].startswith("SELECT sum(") and shown["rows"][0][0] == 8740
    assert table_query_tool(store, "other") is None  # another collection's tables are not its


@pytest.mark.parametrize(
    "arguments",
    [
        {"table": "prices", "columns": ["Cost"]},  # no such column
        {"table": "secrets", "columns": ["Product"]},  # no such table here
        {"table": "prices", "of": "Price", "aggregate": "sum", "sql": "DROP TABLE prices"},
        {"table": "prices", "columns": "Product; DROP TABLE prices"},  # not a list
        {"table": "prices", "where": [{"column": "Price", "op": "; DROP", "value": 1}]},
    ],
)
def test_anything_but_a_valid_spec_is_refused(store: TableStore, arguments: dict) -> None:
    registry = ToolRegistry([]).with_functions(table_query_tool(store, "c"))
    with pytest.raises(ToolError):
        registry.call("table_query", arguments)
    assert store.select("c", "SELECT count(*) FROM prices").rows == [(3,)]
