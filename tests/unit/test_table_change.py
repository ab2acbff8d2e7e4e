"""A change from one year's column to the next's, row by row: which rose the most, which
stayed the same."""

import pytest

from bench.tables import MemoryTables
from rag.tables.answerer import TableQuestionAnswerer


@pytest.fixture(scope="module")
def answerer() -> TableQuestionAnswerer:
    source = MemoryTables()
    source.add(
        "allotments",
        ["Plot type", "Size", "Annual rent 2025-26 (£)", "Annual rent 2026-27 (£)"],
        [["Full plot", "250 square metres", "92", "96"],
         ["Half plot", "125 square metres", "50", "52"],
         ["Accessible raised bed", "10 square metres", "18", "18"]],
    )  # fmt: skip
    source.add(
        "burial",
        ["Item", "Resident (£)", "Non-resident (£)"],
        [["Interment - adult", "690", "1380"], ["Interment - child under 18", "0", "0"]],
    )
    return TableQuestionAnswerer(source)


@pytest.mark.parametrize(
    ("question", "kind", "stated", "left_out"),
    [
        ("Which allotment rent stayed the same between 2025-26 and 2026-27?", "filter",
         ["where the change from annual rent 2025-26 to annual rent 2026-27 is 0", "raised bed"],
         ["Full plot", "Half plot"]),
        ("Which plot's annual rent rose the most from 2025-26 to 2026-27?", "argmax",
         ["Full plot has the highest change from annual rent 2025-26 to annual rent 2026-27: £4"],
         []),
        ("Which plot's rent increased the least between 2025-26 and 2026-27?", "argmax",
         ["Accessible raised bed", "£0"], []),
    ],
)  # fmt: skip
def test_a_change_between_two_years_columns(
    answerer: TableQuestionAnswerer, question: str, kind: str, stated: list[str],
    left_out: list[str],
) -> None:  # fmt: skip
    answer = answerer.answer(question, "c")
    assert answer is not None, question
    assert answer.reading.kind == kind
    for text in stated:
        assert text in answer.text
    for text in left_out:
        assert text not in answer.text


def test_a_change_needs_both_years_columns(answerer: TableQuestionAnswerer) -> None:
    assert answerer.answer("Which rent rose the most from 2026-27 to 2027-28?", "c") is None


@pytest.mark.parametrize(
    "question",
    [
        "How much more does a non-resident pay than a resident for an adult interment?",
        "How much less does a resident pay than a non-resident for an adult interment?",
    ],
)
def test_how_much_more_one_column_is_than_another_for_a_row(
    answerer: TableQuestionAnswerer, question: str
) -> None:
    answer = answerer.answer(question, "c")
    assert answer is not None and answer.reading.kind == "aggregate"
    assert answer.values == (690,)
    assert "£690" in answer.text and "1,380" not in answer.text
