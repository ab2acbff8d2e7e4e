"""Two columns of each row compared: awarded less than requested, everything requested."""

import pytest

from bench.tables import MemoryTables
from rag.tables.answerer import TableQuestionAnswerer
from tests.unit.table_answer_checks import answer_saying


@pytest.fixture(scope="module")
def answerer() -> TableQuestionAnswerer:
    source = MemoryTables()
    source.add(
        "community_grants",
        ["Group", "Project", "Amount requested", "Amount awarded"],
        [["Kestrelford Rivers Trust", "Bank restoration", "£5,000", "£4,500"],
         ["Hollins Green Cricket Club", "Coaching equipment", "£2,400", "£2,400"],
         ["Castle Ward Residents' Association", "Christmas lights", "£3,500", "£0"],
         ["Wexmoor Wheelers", "Adapted tricycles", "£4,200", "£4,200"]],
    )  # fmt: skip
    return TableQuestionAnswerer(source)


@pytest.mark.parametrize(
    ("question", "listed", "left_out"),
    [
        # the other column is the one of the same unit that "they asked for" says by a verb
        ("Which groups were awarded less than they asked for?",
         ["Rivers Trust", "Castle Ward"], ["Cricket Club", "Wheelers"]),
        # "not refused outright": the awarded amount is not nothing
        ("Which groups were awarded less than they asked for but not refused outright?",
         ["Rivers Trust"], ["Castle Ward", "Cricket Club", "Wheelers"]),
        # neither column named: as much reads the same either way ("asked for?" is no "what for")
        ("Which groups got everything they asked for?",
         ["Cricket Club", "Wheelers"], ["Rivers Trust", "Castle Ward"]),
        ("Which groups were awarded exactly what they requested?",
         ["Cricket Club", "Wheelers"], ["Rivers Trust", "Castle Ward"]),
        ("Which groups got all they applied for?",
         ["Cricket Club", "Wheelers"], ["Rivers Trust", "Castle Ward"]),
    ],
)  # fmt: skip
def test_two_columns_of_a_row_compared(
    answerer: TableQuestionAnswerer, question: str, listed: list[str], left_out: list[str]
) -> None:
    answer = answer_saying(answerer, question, listed, left_out)
    assert answer.reading.kind == "filter" and answer.reading.spec.minus is not None


@pytest.mark.parametrize(
    "question",
    [
        # neither column named, and less reads one way only: which is asked for is unknown
        "Which groups got less than they asked for?",
        # no reading says "not"
        "Which groups were not awarded less than they asked for?",
    ],
)
def test_a_comparison_of_columns_it_cannot_read_is_declined(
    answerer: TableQuestionAnswerer, question: str
) -> None:
    assert answerer.answer(question, "c") is None


def test_a_number_after_than_is_a_bound(answerer: TableQuestionAnswerer) -> None:
    answer = answerer.answer("Which groups were awarded more than 3000?", "c")
    assert answer is not None and answer.reading.spec.minus is None
    assert "Rivers Trust" in answer.text and "Cricket Club" not in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Which room has everything we need for a wedding?",
        "Which room has all we need for a party?",
    ],
)
def test_everything_needed_compares_no_columns(question: str) -> None:
    source = MemoryTables()
    source.add(
        "hall_rooms",
        ["Room", "Facilities", "Seated capacity", "Standing capacity"],
        [["Main Hall", "Stage, bar", "120", "200"], ["Committee Room", "Projector", "20", "20"],
         ["Kitchen", "Ovens", "0", "10"]],
    )  # fmt: skip
    # only a clause of what was asked for says the two columns are as much as each other
    answer = TableQuestionAnswerer(source).answer(question, "c")
    assert answer is None or answer.reading.spec.minus is None, answer.text
