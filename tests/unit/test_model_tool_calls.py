"""Tool calls the model writes, through the orchestrator, with a scripted model: a valid call is
run, an invented number or malformed JSON gets one retry, then the answer goes on without a tool;
questions with nothing to compute never ask the model for a call."""

import json

import pytest

from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.tools import default_registry
from rag.tools.model_calls import ModelToolCaller, call_schema
from tests.fakes import ScriptedModel

WORD_PROBLEM = "If I buy 3 boxes at 17.50 each, what do I pay altogether?"


def _call(expression: str) -> str:
    return json.dumps({"tool": "calculator", "arguments": {"expression": expression}})


@pytest.fixture
def indexed(rag_app: RagApp, docs) -> RagApp:
    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    return rag_app


def test_a_word_problem_is_computed_by_the_call_the_model_writes(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append(_call("3 * 17.50"))
    result = indexed.chat.ask(WORD_PROBLEM, "default", 4)
    assert result.answer == "3 * 17.50 = 52.5 (computed by the calculator)."
    assert [c.to_json() for c in result.tool_calls] == [
        {"name": "calculator", "arguments": {"expression": "3 * 17.50"}, "result": "52.5"}
    ]
    assert model.schemas_used == [call_schema(default_registry())]


def test_an_invented_number_is_refused_and_retried_once(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies += [_call("3 * 18"), _call("17.5 * 3")]
    result = indexed.chat.ask(WORD_PROBLEM, "default", 4)
    assert result.tool_calls[0].result == "52.5"
    retry = model.prompts[1][-1]["content"]
    assert "the numbers ['18'] are not in the question" in retry


@pytest.mark.parametrize(
    "replies",
    [
        ["{not json", '{"tool": "calculator"}'],  # malformed, then missing arguments
        [_call("__import__('os')"), _call("2 ** 10 ** 10")],  # refused by the calculator
        ['{"tool": "none"}'],
    ],
)
def test_no_valid_call_means_an_ordinary_answer_never_a_crash(
    indexed: RagApp, model: ScriptedModel, replies: list[str]
) -> None:
    model.replies += [*replies, "The documents do not say."]
    result = indexed.chat.ask(WORD_PROBLEM, "default", 4)
    assert result.tool_calls == []
    assert model.schemas_used[-1] is None  # the last prompt was the ordinary answer


def test_questions_with_nothing_to_compute_never_ask_for_a_call(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append("Full-time employees receive 26 days of paid annual leave per year.")
    indexed.chat.ask("How many days of annual leave do employees get?", "default", 4)
    assert model.schemas_used == [None]
    assert not ModelToolCaller.wants_tool("What does error E04 mean?")
    assert ModelToolCaller.wants_tool("Split 90 euros between three people")
