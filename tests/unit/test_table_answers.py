"""Questions over tables read deterministically and answered by the engine, each kind on small
tables; questions that are not about a table are declined."""

import csv
from pathlib import Path

import pytest

from bench.tables import MemoryTables
from rag.tables.answerer import TableQuestionAnswerer

SAMPLE_DOCS = Path(__file__).resolve().parents[2] / "sample_docs"


@pytest.fixture(scope="module")
def answerer() -> TableQuestionAnswerer:
    source = MemoryTables()
    source.add(
        "sales-2025",
        ["Quarter", "K2 units sold", "G3 gateways sold", "Revenue (thousand euros)"],
        [["Q1", "410", "380", "3540"], ["Q2", "520", "470", "4480"],
         ["Q3", "610", "560", "5260"], ["Q4", "705", "640", "6080"]],
    )  # fmt: skip
    rows = list(csv.reader((SAMPLE_DOCS / "service-centres.csv").open()))
    source.add("service-centres", rows[0], rows[1:])
    source.add(
        "price-list",
        ["Product", "Code", "Price"],
        [["Aurora K2 home battery", "BW-K2", "7,450"],
         ["Aurora K2 wall bracket", "BW-K2-WB", "180"],
         ["Solar Gateway G3", "BW-G3", "1,290"],
         ["Standard installation (one unit)", "SRV-INST", "1,200"],
         ["Each additional unit installed", "SRV-INST-ADD", "450"]],
    )  # fmt: skip
    source.add(
        "planning_applications",
        ["Reference", "Ward", "Received", "Fee (GBP)", "Town council view"],
        [["P-1", "Castle", "2026-01-10", "£120", "Object"],
         ["P-2", "Mill", "2026-02-01", "£80", "Support"],
         ["P-3", "Castle", "2025-12-30", "£200", "Object"],
         ["P-4", "Abbey", "2026-03-03", "£95", "Support"]],
    )  # fmt: skip
    source.add(
        "budget_2026_27",
        ["Department", "Expenditure (£)", "Net cost (£)"],
        [["Parks", "512300", "447500"], ["Waste", "446900", "325400"],
         ["TOTAL", "959200", "772900"], ["Funded by: precept", "", "747900"],
         ["Funded by: general reserve", "", "25000"]],
    )  # fmt: skip
    source.add(
        "capital_programme_2026-27",
        ["Project", "Total cost (£)"],
        [["Guildhall roof repairs", "88000"], ["Pavilion changing rooms", "210000"]],
    )
    source.add(
        "allotments handbook",
        ["Site", "Address", "Number of plots"],
        [["Bramble Lane", "Bramble Lane, off Mill Lane", "42"],
         ["Cutler's Field", "Cutler's Close", "28"],
         ["Ferry Road", "Ferry Road, next to the river", "16"]],
    )  # fmt: skip
    return TableQuestionAnswerer(source)


@pytest.mark.parametrize(
    ("question", "kind", "stated"),
    [
        ("What were the total sales in 2025?", "aggregate", ["19,360", "thousand euros"]),
        ("Which month had the highest sales?", "argmax", ["quarters, not months", "Q4", "6,080"]),
        ("Which service centre has the longest opening hours on a weekday?", "argmax",
         ["Ghent", "9.5"]),
        ("What would we charge to install three K2 units?", "priced", ["2,100"]),
        ("What is the price of the Aurora K2 wall bracket?", "lookup", ["180"]),
        ("What is the phone number of the Antwerp service centre?", "lookup", ["+32 3 555 22 10"]),
        ("How many G3 gateways were sold per quarter?", "group", ["Q1: 380", "Q4: 640"]),
        ("What is the difference in revenue between Q4 and Q1?", "compare", ["2,540"]),
        ("Which products cost more than 1000 euros?", "filter", ["Aurora K2 home battery",
                                                                  "Solar Gateway G3"]),
        # a count of its rows, not the fees summed
        ("Which ward has the most planning applications?", "argmax",
         ["Castle", "most rows", ": 2."]),
        ("What is the average fee in the planning register?", "aggregate", ["£123.75"]),
        ("How many applications were received in 2026?", "aggregate", ["3"]),
        ("How many of the planning applications did the town council object to?", "aggregate",
         ["2"]),
        # the rows under a sheet's total say how it is funded: no department
        ("Which department costs the most in net terms in the budget?", "argmax", ["Parks"]),
        ("Which department has the lowest net cost in the budget?", "argmax", ["Waste"]),
        ("How many plots are there at the Ferry Road allotment site?", "aggregate", ["16"]),
        ("How many plots are there across all the allotment sites?", "aggregate", ["86"]),
        # a year its file name holds between underscores
        ("Which project in the 2026-27 capital programme costs the most?", "argmax",
         ["Pavilion changing rooms"]),
    ],
)  # fmt: skip
def test_each_kind_is_read_and_computed(
    answerer: TableQuestionAnswerer, question: str, kind: str, stated: list[str]
) -> None:
    answer = answerer.answer(question, "c")
    assert answer is not None, question
    assert answer.reading.kind == kind
    for text in stated:
        assert text in answer.text
    call = answer.calls[0]
    assert call.name == "table_query" and call.arguments["table"] == answer.reading.view.schema.name
    assert '"sql": "SELECT ' in call.result


def test_a_priced_question_multiplies_with_the_calculator(answerer: TableQuestionAnswerer) -> None:
    answer = answerer.answer("What do two Solar Gateway G3 units cost?", "c")
    assert answer is not None and "2,580" in answer.text
    assert answer.calls[-1].name == "calculator" and answer.calls[-1].result == "2580"


@pytest.mark.parametrize(
    "question",
    [
        "Who founded Brightwater Labs?",
        "What is the warranty on the battery?",
        "How do I reset the Aurora K2?",
        "Why are headstones not allowed in the woodland burial section?",
        "What is 40366 / 439?",
        # a site of the kind the table lists ("... Lane") that it does not have: not its total
        "How many plots are there at the Quarry Lane allotment site?",
        # "mean" the verb asks what a word means, not an average
        "What does the planning register mean by a fee?",
    ],
)
def test_questions_not_about_a_table_are_declined(
    answerer: TableQuestionAnswerer, question: str
) -> None:
    assert answerer.answer(question, "c") is None
