"""Rows not yet done: a question saying its rows are "still not fixed", "not sorted" or
"unresolved" reads a status column as none of its done values."""

import pytest

from bench.tables import MemoryTables
from rag.tables.answerer import TableQuestionAnswerer
from tests.unit.table_answer_checks import PLAYGROUND_INSPECTIONS, answer_saying


@pytest.fixture(scope="module")
def answerer() -> TableQuestionAnswerer:
    source = MemoryTables()
    source.add(*PLAYGROUND_INSPECTIONS)
    return TableQuestionAnswerer(source)


@pytest.mark.parametrize(
    ("question", "listed", "left_out"),
    [
        # the rows are named by their own cells (equipment), not only by their places
        ("Which high-risk playground problem is still not fixed?",
         ["PI-3", "Rope bridge", "where risk_rating is High and status is not Completed"],
         ["PI-1", "PI-4"]),
        ("Which play equipment rated high risk is still not sorted?", ["Rope bridge"],
         ["Climbing frame"]),
        ("Which playground equipment hasn't been repaired?", ["Rope bridge", "Cradle swings"],
         ["Climbing frame", "Basket swing"]),
        ("Which playground equipment is unresolved?", ["Rope bridge", "Cradle swings"],
         ["Climbing frame", "Basket swing"]),
    ],
)  # fmt: skip
def test_rows_not_done_are_those_of_no_done_status(
    answerer: TableQuestionAnswerer, question: str, listed: list[str], left_out: list[str]
) -> None:
    answer = answer_saying(answerer, question, listed, left_out)
    assert answer.reading.kind == "filter"


def test_rows_not_done_need_a_status_column() -> None:
    source = MemoryTables()
    source.add(
        "playground_equipment",
        ["equipment", "risk_rating"],
        [["Climbing frame", "High"], ["Rope bridge", "High"], ["Cradle swings", "Low"]],
    )
    # no column says what is done: listing every high risk would be wrong
    question = "Which high-risk playground equipment is still not fixed?"
    assert TableQuestionAnswerer(source).answer(question, "c") is None


def test_a_row_of_no_status_is_not_done() -> None:
    source = MemoryTables()
    source.add(
        "playground_inspections",
        ["park", "equipment", "risk", "status"],
        [["Millrace Park", "Rope bridge", "High", "Completed"],
         ["Millrace Park", "Swing", "High", "Open"],
         ["Osier Bank", "Slide", "High", ""],
         ["Osier Bank", "Roundabout", "Low", "Closed"]],
    )  # fmt: skip
    # a blank status says nothing was done: the slide is still to fix
    question = "Which high-risk playground problem is still not fixed?"
    answer_saying(TableQuestionAnswerer(source), question, ["Swing", "Slide"], ["Rope bridge"])
