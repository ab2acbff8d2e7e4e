"""What a question asks of a table must be what the table has: a ranking or an average is by
the column the question's words name (its name, its unit, its kind of value), and a lookup
answers with a cell the question asks for, not one its row names or one left empty."""

import pytest

from bench.tables import MemoryTables
from rag.tables.answerer import TableQuestionAnswerer
from rag.tables.matching import Matcher


@pytest.fixture(scope="module")
def answerer() -> TableQuestionAnswerer:
    source = MemoryTables()
    source.add(
        "hall_hire",
        ["Venue", "Room", "Capacity (people)", "Commercial rate per hour (£)"],
        [["Corn Exchange", "Main Hall", "220", "62"],
         ["Corn Exchange", "Assembly Room", "80", "40"],
         ["Guildhall", "Council Chamber", "45", "34"]],
    )  # fmt: skip
    source.add(
        "burial",
        ["Item", "Resident (£)", "Non-resident (£)"],
        [["Interment - adult", "690", "1380"], ["Interment - child under 18", "0", "0"]],
    )
    source.add(
        "sports",
        ["Facility", "Adult (£)", "Junior (£)"],
        [["Football pitch, Hollins Green", "58", "29"],
         ["Cricket square, Hollins Green", "72", "36"]],
    )  # fmt: skip
    source.add(
        "capital_programme",
        ["Project", "Total cost (£)", "Capital reserve (£)", "External grants (£)"],
        [["Adventure play area refurbishment", "145000", "95000", "0"],
         ["Pavilion changing rooms", "210000", "60000", "150000"]],
    )  # fmt: skip
    source.add(
        "allotments",
        ["Plot type", "Annual rent 2025-26 (£)", "Annual rent 2026-27 (£)"],
        [["Full plot", "92", "96"], ["Half plot", "50", "52"], ["Raised bed", "18", "18"]],
    )
    source.add(
        "allotments handbook",
        ["Site", "Address", "Number of plots"],
        [["Bramble Lane", "Bramble Lane, off Mill Lane", "42"],
         ["Cutler's Field", "Cutler's Close", "28"]],
    )  # fmt: skip
    source.add(
        "planning_register",
        ["Reference", "Ward", "Town council view"],
        [["P-1", "Castle", "Object"], ["P-2", "Mill", "Support"], ["P-3", "Castle", "Object"]],
    )
    source.add(
        "parks",
        ["Park", "Area", "Park keeper", "Main features"],
        [["Millrace Park", "4.6 hectares", "Sam Ridley", "Bandstand, Rose Garden, pond"],
         ["Hollins Green", "11.2 hectares", "Aisha Brennan", "Cricket square, pavilion"]],
    )  # fmt: skip
    source.add(
        "contacts",
        ["Name", "Job title", "Phone"],
        [["Colin Baptiste", "Allotments Officer", "01632 960175"],
         ["Tomasz Wilk", "Park keeper", ""]],
    )  # fmt: skip
    return TableQuestionAnswerer(source)


@pytest.mark.parametrize(
    ("question", "stated"),
    [
        # "people" is the unit of the capacity column: rank by it, not by a count of rows
        ("Which room at the Corn Exchange can take the most people?", ["Main Hall", "220"]),
        # "expensive" asks for the cost, whatever other columns the table's name shares words with
        ("Which capital project is the most expensive?", ["Pavilion changing rooms", "210,000"]),
        ("Which ward has the most planning applications?", ["Castle", "2"]),
        ("Who is the park keeper at Hollins Green?", ["Aisha Brennan"]),
        # the "s" of "what's" is no word the table must say
        ("What's the phone number for the Allotments Officer?", ["01632 960175"]),
        # a cell's words in another order, or with a word between ("Interment - adult")
        ("What's the non-resident fee for an adult interment?", ["£1,380"]),
        ("What is the junior rate for the football pitch at Hollins Green?", ["£29"]),
    ],
)
def test_what_is_asked_is_answered_by_its_column(
    answerer: TableQuestionAnswerer, question: str, stated: list[str]
) -> None:
    answer = answerer.answer(question, "c")
    assert answer is not None, question
    for text in stated:
        assert text in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "What is the minimum age to rent an allotment?",  # no column of ages
        "What's the average wait for a plot at Cutler's Field?",  # plots are no wait
        "Which ward has the most people?",  # people are not its rows, and no column counts them
        "How big is the Rose Garden in Millrace Park?",  # "park" names the row, not its keeper
        "What's the phone number for Tomasz Wilk, the park keeper?",  # an empty cell
    ],
)
def test_what_the_table_lacks_is_declined(answerer: TableQuestionAnswerer, question: str) -> None:
    assert answerer.answer(question, "c") is None


def test_a_column_the_embedder_offers_is_ranked_by_only_if_asked_for() -> None:
    source = MemoryTables()
    source.add(
        "allotments",
        ["Plot type", "Annual rent 2025-26 (£)", "Annual rent 2026-27 (£)"],
        [["Full plot", "92", "96"], ["Half plot", "50", "52"]],
    )
    eager = Matcher(similarity=lambda question, labels: [0.9] * len(labels))
    answerer = TableQuestionAnswerer(source, eager)
    assert answerer.answer("What is the minimum age to rent an allotment?", "c") is None
    answer = answerer.answer("Which plot type has the lowest annual rent?", "c")
    assert answer is not None and "Half plot" in answer.text


@pytest.mark.parametrize(
    ("question", "declined"),
    [
        # "waiting" is said only by the table's name, not by the rent
        ("Which allotment site has the highest waiting list?", True),
        # "fee" is money, but "membership" is no word of the grant
        ("Which club pays the highest membership fee?", True),
        ("Which allotment site has the highest annual rent?", False),
        ("Which club got the largest grant?", False),
    ],
)
def test_a_ranking_is_by_the_column_its_words_name(question: str, declined: bool) -> None:
    source = MemoryTables()
    source.add(
        "allotment sites and waiting lists",
        ["Site", "Annual rent (£)"],
        [["Bramble Lane", "92"], ["Cutler's Field", "80"]],
    )
    source.add(
        "community_grants",
        ["Club", "Grant awarded (£)"],
        [["Youth brass band", "2000"], ["Bowls club", "1500"]],
    )
    answer = TableQuestionAnswerer(source).answer(question, "c")
    assert (answer is None) == declined, question


def test_at_least_is_a_bound_not_a_ranking(answerer: TableQuestionAnswerer) -> None:
    answer = answerer.answer("Which rooms can take at least 80 people?", "c")
    assert answer is not None and answer.reading.kind == "filter"
    assert "Main Hall" in answer.text and "Assembly Room" in answer.text
    assert "Council Chamber" not in answer.text
