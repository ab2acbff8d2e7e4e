"""Which of a row's columns hold what the question names: "which day is the library closed"
of a sheet with a column per weekday."""

import pytest

from bench.tables import MemoryTables
from rag.tables.answerer import TableQuestionAnswerer
from tests.unit.table_answer_checks import answer_saying

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@pytest.fixture(scope="module")
def answerer() -> TableQuestionAnswerer:
    source = MemoryTables()
    open_ = "09:00-17:00"
    source.add(
        "opening_hours",
        ["Facility", "Location", *DAYS],
        [["Kestrelford Town Library", "3 Church Lane",
          open_, open_, "Closed", open_, open_, "09:30-13:00", "Closed"],
         ["Quarry Lane Recycling Centre (summer)", "Quarry Lane",
          open_, open_, "Closed", open_, open_, open_, open_],
         ["Quarry Lane Recycling Centre (winter)", "Quarry Lane",
          open_, open_, "Closed", "Closed", open_, open_, open_]],
    )  # fmt: skip
    return TableQuestionAnswerer(source)


@pytest.mark.parametrize(
    ("question", "stated", "left_out"),
    [
        ("Apart from Sunday, which day is the Town Library closed?", ["Wednesday"],
         ["Sunday", "Monday"]),
        ("Which days is the Quarry Lane recycling centre closed during the winter?",
         ["Wednesday and Thursday"], ["Monday"]),
        ("Besides Wednesday, what other weekday is the Quarry Lane centre closed in winter?",
         ["Thursday"], ["Wednesday"]),
        # "except" leaves a day out, not the row's closing
        ("Except for Sunday, which day is the Town Library closed?", ["Wednesday"],
         ["Sunday", "Monday"]),
    ],
)  # fmt: skip
def test_the_columns_holding_the_value_are_named(
    answerer: TableQuestionAnswerer, question: str, stated: list[str], left_out: list[str]
) -> None:
    answer_saying(answerer, question, stated, left_out)


@pytest.mark.parametrize(
    "question",
    [
        "Which day is the Quarry Lane recycling centre closed?",  # summer or winter: no one row
        "Which day is the Town Library busiest?",  # no value of its days
    ],
)
def test_no_one_row_or_value_is_declined(answerer: TableQuestionAnswerer, question: str) -> None:
    assert answerer.answer(question, "c") is None


@pytest.mark.parametrize(
    "question",
    [
        "Which day is the Town Library not closed?",  # the days it is open
        "Which day is the Town Library car park closed for resurfacing?",  # no row of car parks
    ],
)
def test_what_the_row_does_not_say_is_declined(
    answerer: TableQuestionAnswerer, question: str
) -> None:
    assert answerer.answer(question, "c") is None
