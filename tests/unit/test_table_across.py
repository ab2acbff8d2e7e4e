"""A change across two tables of the same rows, one a year ("Budget 2025-26", "Budget 2026-27"):
the later table's measure minus the earlier's, joined on the row label."""

import json
from pathlib import Path

import pytest

from bench.tables import MemoryTables
from rag.ingest.pages import PageWriter
from rag.tables.answerer import TableQuestionAnswerer
from rag.tables.spec import QuerySpec, SpecError
from rag.tables.store import TableStore
from rag.tables.validated import Validated
from rag.tools import ToolRegistry
from rag.tools.table_query import table_query_tool
from tests.unit.table_answer_checks import answer_saying

HEADER = ["Department", "Cost centre", "Expenditure (£)", "Income (£)", "Net cost (£)"]


@pytest.fixture(scope="module")
def source() -> MemoryTables:
    tables = MemoryTables()
    tables.add(
        "budget_2025-26",
        HEADER,
        [["Parks & Open Spaces", "PRK", "486750", "61200", "425550"],
         ["Waste & Street Cleansing", "WST", "398200", "92400", "305800"],
         ["Cemeteries", "CEM", "94600", "71300", "23300"],
         ["Allotments", "ALL", "18900", "9450", "9450"],
         ["Transfer to Capital Reserve", "CAP", "85000", "0", "85000"],
         ["TOTAL", "", "1083450", "234350", "849100"]],
    )  # fmt: skip
    tables.add(
        "budget_2026-27",
        HEADER,
        [["Parks & Open Spaces", "PRK", "512300", "64800", "447500"],
         ["Cemeteries", "CEM", "97400", "74100", "23300"],
         ["Waste & Street Cleansing", "WST", "446900", "121500", "325400"],
         ["Allotments", "ALL", "19600", "10150", "9450"],
         ["Transfer to Capital Reserve", "CAP", "70000", "0", "70000"],
         ["TOTAL", "", "1146200", "270550", "875650"]],
    )  # fmt: skip
    tables.add(  # another table of the same columns, but of no year
        "budget_forecast", HEADER, [["Parks & Open Spaces", "PRK", "520000", "65000", "455000"]]
    )
    return tables


@pytest.fixture(scope="module")
def answerer(source: MemoryTables) -> TableQuestionAnswerer:
    return TableQuestionAnswerer(source)


@pytest.mark.parametrize(
    ("question", "kind", "stated", "left_out"),
    [
        ("Which department's expenditure goes up the most between 2025-26 and 2026-27?",
         "argmax", ["Waste & Street Cleansing has the highest change in expenditure from "
                    "budget 2025 26 to budget 2026 27: £48,700 (£398,200 to £446,900)"], []),
        ("Which department's income is budgeted to rise the most from 2025-26 to 2026-27?",
         "argmax", ["Waste & Street Cleansing", "£29,100"], ["Parks"]),
        ("Which departments have exactly the same net cost in both the 2025-26 and 2026-27 "
         "budgets?", "filter",
         ["2 rows of budget 2026 27 where the change in net cost from budget 2025 26 to "
          "budget 2026 27 is 0", "Cemeteries, £23,300, £23,300", "Allotments, £9,450, £9,450"],
         ["Parks", "Waste", "TOTAL"]),
        ("Which department's expenditure fell between 2025-26 and 2026-27?", "filter",
         ["1 rows", "Transfer to Capital Reserve, £85,000, £70,000"], ["Parks", "TOTAL"]),
        ("Which department's net cost rose by more than £15,000 from 2025-26 to 2026-27?",
         "filter", ["Parks & Open Spaces", "Waste & Street Cleansing"], ["Cemeteries", "TOTAL"]),
    ],
)  # fmt: skip
def test_a_change_across_two_years_tables(
    source: MemoryTables, answerer: TableQuestionAnswerer, question: str, kind: str,
    stated: list[str], left_out: list[str],
) -> None:  # fmt: skip
    answer = answer_saying(answerer, question, stated, left_out)
    assert answer.reading.kind == kind
    assert answer.reading.joined is not None
    assert answer.reading.joined.schema.name == "budget_2025-26"
    assert answer.reading.spec.table == "budget_2026-27"
    # the rows cited are the later table's, each beside the earlier one's row of the same label
    assert len(answer.rows) == len(answer.joined_rows) > 0
    for later, earlier in zip(answer.rows, answer.joined_rows, strict=True):
        assert source.row("budget_2026-27", later)[1] == source.row("budget_2025-26", earlier)[1]


@pytest.mark.parametrize(
    "question",
    [
        # no table for 2024-25
        "Which department's expenditure rose the most between 2024-25 and 2026-27?",
        # no measure named
        "Which department rose the most between 2025-26 and 2026-27?",
        # no reading says "not"
        "Which department's income did not rise between 2025-26 and 2026-27?",
    ],
)
def test_a_change_no_pair_of_tables_reads_is_declined(
    answerer: TableQuestionAnswerer, question: str
) -> None:
    assert answerer.answer(question, "c") is None


def test_tables_of_other_columns_are_no_pair() -> None:
    tables = MemoryTables()
    tables.add("budget_2025-26", ["Department", "Spend (£)"], [["Parks", "10"], ["Waste", "20"]])
    tables.add("budget_2026-27", ["Department", "Expenditure (£)"], [["Parks", "12"]])
    question = "Which department's expenditure rose the most between 2025-26 and 2026-27?"
    assert TableQuestionAnswerer(tables).answer(question, "c") is None


def test_a_join_is_validated_and_compiled_with_quoted_names(source: MemoryTables) -> None:
    views = {v.schema.name: v.schema for v in source.views("c")}
    later, earlier = views["budget_2026-27"], views["budget_2025-26"]
    spec = QuerySpec("budget_2026-27", columns=("Department",), of="Income (£)",
                     minus="Income (£)", join="budget_2025-26", on="Department")  # fmt: skip
    assert QuerySpec.from_json(spec.to_json()) == spec
    compiled = Validated(spec, later, "__row", earlier).compile()
    assert 'FROM "budget_2025-26" QUALIFY' in compiled.sql and ") AS j ON " in compiled.sql
    assert compiled.params == []
    with pytest.raises(SpecError):  # the joined table must be given, and be the one named
        Validated(spec, later, "__row").compile()
    with pytest.raises(SpecError):
        Validated(spec, later, "__row", views["budget_forecast"])
    with pytest.raises(SpecError):  # on a text column only
        Validated(QuerySpec(**{**spec.__dict__, "on": "Income (£)"}), later, "__row", earlier)
    with pytest.raises(SpecError):  # rows only
        Validated(QuerySpec("budget_2026-27", aggregate="sum", of="Income (£)",
                            minus="Income (£)", join="budget_2025-26", on="Department"),
                  later, "__row", earlier)  # fmt: skip


def test_a_join_runs_in_the_store_through_the_tool(tmp_path: Path) -> None:
    store = TableStore(tmp_path / "tables.duckdb")
    try:
        for year, rows in (("2025-26", [["Parks", "10"], ["Waste", "20"]]),
                           ("2026-27", [["Waste", "26"], ["Parks", "11"]])):  # fmt: skip
            writer = PageWriter()
            writer.table(["Department", "Net cost"], rows)
            store.replace_source("c", f"/d/budget_{year}.csv", year, "h", [writer.page()])
        tool = table_query_tool(store, "c")
        assert tool is not None
        arguments = {"table": "budget_2026_27", "columns": ["Department"], "of": "Net cost",
                     "minus": "Net cost", "join": "budget_2025_26", "on": "Department",
                     "order_by": "Net cost", "descending": True, "limit": 1}  # fmt: skip
        shown = json.loads(
            ToolRegistry([]).with_functions(tool).call("table_query", arguments).result
        )
        assert shown["rows"][0][1:4] == ["Waste", 6, 20]
    finally:
        store.close()


@pytest.mark.parametrize(
    "question",
    [
        # every department's income rose but the transfer's, which stayed the same
        "Which department's income went down the most between 2025-26 and 2026-27?",
        "Which department's income fell the least between 2025-26 and 2026-27?",
    ],
)
def test_the_most_of_a_way_no_row_moved_names_no_row(
    answerer: TableQuestionAnswerer, question: str
) -> None:
    answer = answerer.answer(question, "c")
    assert answer is None, answer.text


def _repeating() -> MemoryTables:
    tables = MemoryTables()  # "Parks" and "parks " are one label to the join
    tables.add("costs_2025-26", ["Department", "Cost"],
               [["Parks", "10"], ["Waste", "5"], ["Roads", "7"]])  # fmt: skip
    tables.add("costs_2026-27", ["Department", "Cost"],
               [["Parks", "12"], ["parks ", "30"], ["Waste", "6"], ["Roads", "9"]])  # fmt: skip
    return tables


def test_a_label_repeated_as_the_join_reads_it_joins_no_rows() -> None:
    tables = _repeating()
    views = {v.schema.name: v.schema for v in tables.views("c")}
    spec = QuerySpec("costs_2026-27", columns=("Department",), of="Cost", minus="Cost",
                     join="costs_2025-26", on="Department")  # fmt: skip
    compiled = Validated(spec, views["costs_2026-27"], "_row", views["costs_2025-26"]).compile()
    rows = tables.run(compiled, max_rows=50, timeout_s=2).rows
    assert sorted(r[1] for r in rows) == ["Roads", "Waste"], rows


def test_tables_whose_label_repeats_as_the_join_reads_it_are_no_pair() -> None:
    question = "Which department's cost rose the most between 2025-26 and 2026-27?"
    assert TableQuestionAnswerer(_repeating()).answer(question, "c") is None
