"""Arithmetic over figures in the documents: the question says the operation, the sources hold
the figures, the calculator computes, and every figure is cited where it stands."""

import json
from pathlib import Path

import pytest

from rag.answer.doc_arithmetic import compose, needs_document_arithmetic
from rag.answer.tool_route import route
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.retrieve import RetrievedChunk
from tests.fakes import ScriptedModel

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def indexed(rag_app: RagApp, docs: Path) -> RagApp:
    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    return rag_app


def test_only_arithmetic_over_documents_is_flagged() -> None:
    rows = [json.loads(line) for line in (ROOT / "eval" / "tool_routing.jsonl").open()]
    rows += [
        {**json.loads(line), "category": "qa"}
        for line in (ROOT / "eval" / "sample_docs_qa.jsonl").open()
    ]
    for row in rows:
        # Word problems are the model's to write calls for; whether they look like document
        # arithmetic does not matter (their figures are never found in the sources).
        if row["category"] != "model" and route(row["question"]) is None:
            flagged = needs_document_arithmetic(row["question"])
            assert flagged == (row["category"] == "doc_arithmetic"), row["question"]


@pytest.mark.parametrize(
    "question",
    [
        "What are the three categories of model pruning techniques?",
        "What are the five steps to apply for a parking permit?",
        "Which are two benefits of composting at home?",
        "What do the 4 committees of the council do?",
    ],
)
def test_a_count_that_sizes_a_list_asks_for_no_computation(question: str) -> None:
    # "3 * 5 = 15 (computed by the calculator)" answered the pruning question.
    assert not needs_document_arithmetic(question)


@pytest.mark.parametrize(
    "question",
    [
        "What is the total cost of the 2026-27 capital programme?",
        "How many trees got planted during the 2024-25 planting season?",
        "How much was budgeted for grants in 2025/26?",
        "What does 'three clear days' mean when the council sends out notice of a meeting?",
        "What is meant by 2 working days?",
    ],
)
def test_a_year_range_or_a_defined_term_is_no_count(question: str) -> None:
    # "27 * 2026 = 54702 (computed by the calculator)" answered the capital programme question,
    # "3 * 2.1 = 6.3" the one about three clear days.
    assert not needs_document_arithmetic(question)


def _chunks(*names: str) -> list[RetrievedChunk]:
    """Whole sample files as chunks, so parsing is tested apart from retrieval."""
    chunks = []
    for name in names:
        text = (ROOT / "sample_docs" / name).read_text()
        chunks.append(RetrievedChunk(name, text, name, name, name, None, 0, len(text), 1.0, 1.0))
    return chunks


SALES = "Quarter: Q2; K2 units sold: 520; G3 gateways sold: 470; Revenue (thousand euros): 4480"


@pytest.mark.parametrize(
    ("question", "expression"),
    [
        ("What do an Aurora K2 home battery and its wall bracket cost together?", "7450 + 180"),
        ("How much is a 30% deposit on one Aurora K2 home battery?", "7450 * 30 / 100"),
        ("What do three Solar Gateway G3 units cost?", "3 * 1290"),
        ("How much more does the Aurora K2 home battery cost than the Solar Gateway G3?",
         "7450 - 1290"),
        ("How much cheaper is the Solar Gateway G3 than the Aurora K2 home battery?",
         "7450 - 1290"),
        ("How many days of annual leave do two full-time employees get in total?", "2 * 26"),
        ("How many weeks of parental leave do two parents get in total?", "2 * 16"),
    ],
)  # fmt: skip
def test_the_expression_takes_each_figure_from_the_sentence_naming_it(
    question: str, expression: str
) -> None:
    composed = compose(question, _chunks("price-list.md", "employee-handbook.md"))
    assert composed is not None and composed[0] == expression
    for figure in composed[1]:
        assert f"{float(figure.value):,g}".replace(",", "") in figure.sentence.replace(",", "")


def test_in_a_record_the_figure_is_the_one_in_the_field_naming_it() -> None:
    chunk = RetrievedChunk("s", SALES, "s", "s", "s", None, 0, len(SALES), 1.0, 1.0)
    composed = compose("How many G3 gateways sold in Q2 for two years?", [chunk])
    assert composed is not None and composed[0] == "2 * 470"


@pytest.mark.parametrize(
    "question",
    [
        "What do three Zephyr drones cost?",  # not in the sources
        "How many G3 gateways were sold in Q2 and Q3 together?",  # "Q3" alone names no figure
    ],
)
def test_a_figure_the_sources_do_not_clearly_name_is_no_answer(question: str) -> None:
    chunk = RetrievedChunk("s", SALES, "s", "s", "s", None, 0, len(SALES), 1.0, 1.0)
    assert compose(question, [*_chunks("price-list.md"), chunk]) is None


def test_the_answer_names_the_calculator_and_cites_each_figure(
    indexed: RagApp, model: ScriptedModel
) -> None:
    question = "What do an Aurora K2 home battery and its wall bracket cost together?"
    result = indexed.answers.ask(indexed.ask_request(question, "default", 8))
    assert [(c.name, c.arguments, c.result) for c in result.tool_calls] == [
        ("calculator", {"expression": "7450 + 180"}, "7630")
    ]
    assert result.answer == "7450 + 180 = 7630 (computed by the calculator)."
    assert model.prompts == []  # no model call at all
    quoted = [c.text for c in result.citations]
    assert any("7,450" in q for q in quoted) and any("180" in q for q in quoted)
    assert result.sentences[0].supported and result.sentences[0].citations == ["c1", "c2"]


def test_when_no_figure_is_found_the_question_is_answered_from_the_sources(
    indexed: RagApp, model: ScriptedModel
) -> None:
    # The model is offered its tools first (it answers without one), then the question goes on
    # as usual: no document names a Zephyr drone, so it abstains rather than quote a price.
    model.replies += ['{"tool": "answer"}', "An Aurora K2 home battery costs 7,450 euros."]
    result = indexed.answers.ask(
        indexed.ask_request("What do three Zephyr drones cost?", "default", 4)
    )
    assert result.tool_calls == [] and len(model.prompts) == 1
    assert model.schemas_used[0] is not None and result.abstained
