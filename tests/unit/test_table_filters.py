"""Which rows a question asks for by the categories it names ("rated high risk", "the town
council objected but the district approved"), listed by what it asks of them."""

import pytest

from bench.tables import MemoryTables
from rag.tables.answerer import TableQuestionAnswerer
from rag.tables.matching import Matcher
from tests.unit.table_answer_checks import PLAYGROUND_INSPECTIONS, answer_saying


@pytest.fixture(scope="module")
def answerer() -> TableQuestionAnswerer:
    source = MemoryTables()
    source.add(*PLAYGROUND_INSPECTIONS)
    source.add(
        "planning_applications",
        ["town_ref", "district_ref", "site_address", "town_council_view", "district_decision"],
        [["P-1", "WX-1", "12 Tanner's Row", "Support", "Approved"],
         ["P-2", "WX-2", "Land at 40 Brook Street", "Object", "Refused"],
         ["P-3", "WX-3", "The Wheatsheaf, 2 Market Row", "Object", "Approved"],
         ["P-4", "WX-4", "3 Cutler's Close", "Support", "Pending"]],
    )  # fmt: skip
    return TableQuestionAnswerer(source)


@pytest.mark.parametrize(
    ("question", "listed", "left_out"),
    [
        ("Which pieces of play equipment were rated high risk in the inspections?",
         ["Climbing frame", "Rope bridge"], ["Basket swing", "Cradle swings"]),
        # two categories, one said by its verb ("object to", "approve")
        ("Which planning application did the town council object to but the district council "
         "approve anyway?", ["Wheatsheaf"], ["Tanner's Row", "Brook Street"]),
        # the question names columns too (district, town council): still rows, not a lookup
        ("Which planning application in the register did the district approve even though the "
         "town council objected?", ["Wheatsheaf"], ["Tanner's Row", "Brook Street"]),
    ],
)  # fmt: skip
def test_rows_of_the_named_categories_are_listed(
    answerer: TableQuestionAnswerer, question: str, listed: list[str], left_out: list[str]
) -> None:
    answer = answer_saying(answerer, question, listed, left_out)
    assert answer.reading.kind == "filter"


@pytest.mark.parametrize(
    "question",
    [
        # asks for something of the park's play area, neither a column nor the table's rows
        "What is the name of the cafe in the Junior Play Area at Millrace Park?",
    ],
)
def test_a_question_saying_more_than_the_table_is_declined(
    answerer: TableQuestionAnswerer, question: str
) -> None:
    assert answerer.answer(question, "c") is None


def test_a_one_word_cell_is_named_by_its_verb() -> None:
    source = MemoryTables()
    source.add("decisions", ["ref", "decision"], [["A", "Approved"], ["B", "Refused"]])
    (view,) = source.views("c")
    cells = Matcher().cells(view, "which did the district approve?")
    assert [(m.value, m.exact) for m in cells] == [("Approved", True)]


@pytest.mark.parametrize(
    "question",
    [
        "Which equipment is not high risk?",
        "Which pieces of play equipment were not rated high risk?",
        "How many playground inspections rated equipment as not high risk?",
    ],
)
def test_a_negated_question_is_declined(answerer: TableQuestionAnswerer, question: str) -> None:
    # no reading says "not": each would answer with the High rows
    assert answerer.answer(question, "c") is None


def test_a_negation_in_a_cell_is_the_cells_own() -> None:
    source = MemoryTables()
    source.add(
        "bin_rounds",
        ["street", "ward", "garden_waste_round"],
        [["Mill Lane", "Riverside", "Not available"], ["Brook Street", "Riverside", "Round B"],
         ["Ferry Road", "Castle", "Not available"], ["Osier Bank", "Castle", "Round B"]],
    )  # fmt: skip
    answerer = TableQuestionAnswerer(source)
    listed = answerer.answer("Which streets have garden waste not available?", "c")
    assert listed is not None and "Mill Lane" in listed.text and "Ferry Road" in listed.text
    assert "Brook Street" not in listed.text
    looked_up = answerer.answer("What is the garden waste round on Osier Bank?", "c")
    assert looked_up is not None and "Round B" in looked_up.text


@pytest.mark.parametrize(
    ("cell", "question"),
    [
        ("Noted", "which application is not approved?"),  # a stem of three letters
        ("Used", "tell us which pitch"),
        ("News", "what is new at the library?"),
        ("Fees", "who was fed?"),  # both words inflected: "fe" is no word
        ("Rates", "which equipment was rated high risk?"),
        ("Listed", "list the buildings"),  # an asking word
    ],
)
def test_another_form_of_a_cell_must_be_its_word(cell: str, question: str) -> None:
    source = MemoryTables()
    source.add("register", ["ref", "status"], [["A", cell], ["B", "Other"], ["C", cell]])
    (view,) = source.views("c")
    assert [m.value for m in Matcher().cells(view, question)] == []
