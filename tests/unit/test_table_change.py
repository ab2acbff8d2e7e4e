"""A change from one year's column to the next's, row by row: which rose the most, which
stayed the same."""

import pytest

from bench.tables import MemoryTables
from rag.tables.answerer import TableQuestionAnswerer
from tests.unit.table_answer_checks import answer_saying


@pytest.fixture(scope="module")
def answerer() -> TableQuestionAnswerer:
    source = MemoryTables()
    source.add(
        "allotments",
        ["Plot type", "Size", "Waiting list 2024-25", "Annual rent 2025-26 (£)",
         "Annual rent 2026-27 (£)"],
        [["Full plot", "250 square metres", "12", "92", "96"],
         ["Half plot", "125 square metres", "30", "50", "52"],
         ["Accessible raised bed", "10 square metres", "3", "18", "18"]],
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
        # of the rents that rose: the raised bed's stayed the same
        ("Which plot's rent increased the least between 2025-26 and 2026-27?", "argmax",
         ["Half plot", "£2"], ["raised bed"]),
    ],
)  # fmt: skip
def test_a_change_between_two_years_columns(
    answerer: TableQuestionAnswerer, question: str, kind: str, stated: list[str],
    left_out: list[str],
) -> None:  # fmt: skip
    answer = answer_saying(answerer, question, stated, left_out)
    assert answer.reading.kind == kind


@pytest.mark.parametrize(
    "question",
    [
        # the table has 2024-25, but not of the rent: ranking the 2026-27 rent is no change
        "Which plot's annual rent rose the most from 2024-25 to 2026-27?",
        # the only pair of years is the rent's, which the question does not name
        "Which plot type's waiting list rose the most between 2025-26 and 2026-27?",
        # no reading says "not": it would list the rents that rose
        "Which rent did not rise between 2025-26 and 2026-27?",
    ],
)
def test_a_change_the_table_cannot_read_is_declined(
    answerer: TableQuestionAnswerer, question: str
) -> None:
    assert answerer.answer(question, "c") is None


@pytest.mark.parametrize(
    ("question", "stated", "left_out"),
    [
        ("Which plot's annual rent rose by more than £3 between 2025-26 and 2026-27?",
         ["Full plot"], ["Half plot", "raised bed"]),
        # "at least" bounds the change: no least change is asked for
        ("Which plot's annual rent rose by at least £2 between 2025-26 and 2026-27?",
         ["Full plot", "Half plot"], ["raised bed"]),
    ],
)  # fmt: skip
def test_a_bound_on_a_change_is_on_the_change(
    answerer: TableQuestionAnswerer, question: str, stated: list[str], left_out: list[str]
) -> None:
    answer = answerer.answer(question, "c")
    assert answer is not None and answer.reading.kind == "filter", question
    for text in stated:
        assert text in answer.text
    for text in left_out:
        assert text not in answer.text


def test_a_bound_on_a_fall_is_on_its_size() -> None:
    source = MemoryTables()
    source.add(
        "pitch_hire",
        ["Pitch", "Fee 2025-26 (£)", "Fee 2026-27 (£)"],
        [["North pitch", "60", "50"], ["South pitch", "60", "58"], ["East pitch", "40", "44"]],
    )
    answer = TableQuestionAnswerer(source).answer(
        "Which pitch's fee fell by more than £5 between 2025-26 and 2026-27?", "c"
    )
    assert answer is not None and "North pitch" in answer.text
    assert "South pitch" not in answer.text and "East pitch" not in answer.text


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


def test_how_much_more_over_several_rows_sums_no_difference() -> None:
    source = MemoryTables()
    source.add(
        "burial",
        ["Item", "Age", "Resident (£)", "Non-resident (£)"],
        [["Interment", "Adult", "690", "1380"],
         ["Exclusive right of burial", "Adult", "200", "400"],
         ["Interment", "Child", "0", "0"]],
    )  # fmt: skip
    question = "How much more does a non-resident pay than a resident for an adult?"
    answer = TableQuestionAnswerer(source).answer(question, "c")
    # at most the rows' fees, never "£890", the two rows' differences summed
    assert answer is None or (answer.reading.kind == "lookup" and "890" not in answer.text)


@pytest.fixture(scope="module")
def budget() -> TableQuestionAnswerer:
    source = MemoryTables()
    source.add(
        "budget",
        ["Department", "Expenditure 2025-26 (£)", "Income 2025-26 (£)", "Net cost 2025-26 (£)",
         "Expenditure 2026-27 (£)", "Income 2026-27 (£)", "Net cost 2026-27 (£)"],
        [["Parks & Open Spaces", "486750", "61200", "425550", "512300", "64800", "447500"],
         ["Waste & Street Cleansing", "398200", "92400", "305800", "446900", "121500", "325400"],
         ["Cemeteries", "94600", "71300", "23300", "97400", "74100", "23300"],
         ["Allotments", "18900", "9450", "9450", "19600", "10150", "9450"]],
    )  # fmt: skip
    return TableQuestionAnswerer(source)


@pytest.mark.parametrize(
    ("question", "kind", "stated", "left_out"),
    [
        # "goes up" names nothing of the table: the question is still its own
        ("Which department's expenditure goes up the most between 2025-26 and 2026-27?",
         "argmax", ["Waste & Street Cleansing", "expenditure 2025-26", "£48,700"], []),
        ("Which department's income is budgeted to rise the most from 2025-26 to 2026-27?",
         "argmax", ["Waste & Street Cleansing", "income 2025-26", "£29,100"], []),
        # "the same net cost in both" years, not only "stayed the same"
        ("Which departments have exactly the same net cost in both the 2025-26 and 2026-27 "
         "budgets?", "filter", ["net cost 2025-26", "Cemeteries", "Allotments"],
         ["Parks", "Waste"]),
        ("Do any departments have the same net cost in 2025-26 as in 2026-27? Which?", "filter",
         ["Cemeteries", "Allotments"], ["Parks", "Waste"]),
    ],
)  # fmt: skip
def test_the_measure_named_picks_the_pair_of_years_columns(
    budget: TableQuestionAnswerer, question: str, kind: str, stated: list[str],
    left_out: list[str],
) -> None:  # fmt: skip
    answer = answer_saying(budget, question, stated, left_out)
    assert answer.reading.kind == kind


def test_the_most_of_a_way_no_row_moved_names_no_row(answerer: TableQuestionAnswerer) -> None:
    # no rent fell: the raised bed's, which stayed the same, fell the most of none
    answer = answerer.answer("Which plot's annual rent fell the most from 2025-26 to 2026-27?", "c")
    assert answer is None, answer.text
