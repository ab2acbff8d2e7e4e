"""Arithmetic over numbers in the documents: the model picks the expression under a grammar
that admits only numbers from the question and the sources; the calculator computes it."""

import json
from pathlib import Path

import pytest

from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.tools.doc_arithmetic import needs_document_arithmetic, operands
from rag.tools.routing import route
from tests.fakes import ScriptedModel

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "What do an Aurora K2 home battery and its wall bracket cost together?"


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
        if route(row["question"]) is None:
            flagged = needs_document_arithmetic(row["question"])
            assert flagged == (row["category"] == "doc_arithmetic"), row["question"]


def test_the_grammar_admits_only_numbers_from_the_question_and_sources(indexed: RagApp) -> None:
    chunks = indexed.retriever.search(QUESTION, "default", 4)
    grammar = operands("What do 3 of them cost with 15% off?", chunks).grammar()
    assert '"7450"' in grammar and '"180"' in grammar  # "7,450" and "180" in the price list
    assert '"3"' in grammar and '"15"' in grammar and '"100"' in grammar
    assert '"9999"' not in grammar and '"7,450"' not in grammar


def test_the_calculator_computes_the_models_expression_and_cites_each_operand(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append("7450 + 180")
    result = indexed.chat.ask(QUESTION, "default", 4)
    assert [(c.name, c.arguments, c.result) for c in result.tool_calls] == [
        ("calculator", {"expression": "7450 + 180"}, "7630")
    ]
    assert "7630" in result.answer and "calculator" in result.answer
    assert model.grammars[0] is not None
    quoted = [c.text for c in result.citations]
    assert any("7,450" in q for q in quoted) and any("180" in q for q in quoted)
    assert all(c.chunk.source.endswith("price-list.md") for c in result.citations)
    assert result.sentences[0].supported and result.sentences[0].citations == ["c1", "c2"]


@pytest.mark.parametrize("expression", ["7450", "2 * 2", ""])
def test_an_expression_without_operation_or_source_number_falls_back_to_the_sources(
    indexed: RagApp, model: ScriptedModel, expression: str
) -> None:
    model.replies += [expression, "An Aurora K2 home battery costs 7,450 euros."]
    result = indexed.chat.ask(QUESTION, "default", 4)
    assert result.tool_calls == []
    assert len(model.prompts) == 2  # the expression attempt, then the usual answer
