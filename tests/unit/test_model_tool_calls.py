"""Tool calls the model writes, through the orchestrator, with a scripted model: a valid call is
run, a document search feeds a calculation that cites where its figure stands, an invented
number, a repeated call or malformed JSON is refused with the reason, the loop stops after
MAX_STEPS, and without a computed result the answer goes on as usual; questions with nothing to
compute never ask the model for a call."""

import json

import pytest

from rag.answer.model_tools import MAX_STEPS, wants_tool
from rag.answer.text import numbers_in
from rag.app import RagApp
from rag.connectors.files import scan_path
from tests.fakes import ScriptedModel

WORD_PROBLEM = "If I buy 3 boxes at 17.50 each, what do I pay altogether?"
LOOKUP_PROBLEM = "If a Solar Gateway G3 is bought for each of 4 sites, what is the spend?"
ANSWER = '{"tool": "answer"}'


def _call(expression: str) -> str:
    return json.dumps({"tool": "calculator", "arguments": {"expression": expression}})


def _search(query: str) -> str:
    return json.dumps({"tool": "search_documents", "arguments": {"query": query}})


@pytest.fixture
def indexed(rag_app: RagApp, docs) -> RagApp:
    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    # These tests are about the tool loop and what follows it; abstention is test_chat's.
    rag_app.settings.abstain_min_support = -1.0
    return rag_app


def test_a_word_problem_is_computed_by_the_call_the_model_writes(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies += [_call("3 * 17.50"), ANSWER]
    result = indexed.answers.ask(indexed.ask_request(WORD_PROBLEM, "default", 4))
    assert result.answer == "3 * 17.50 = 52.5 (computed by the calculator)."
    assert [c.to_json() for c in result.tool_calls] == [
        {
            "name": "calculator",
            "arguments": {"expression": "3 * 17.50"},
            "result": "52.5",
            "summary": 'calculator(expression="3 * 17.50") → 52.5',
        }
    ]
    first, then = (
        {o["properties"]["tool"]["const"] for o in s["oneOf"]} for s in model.schemas_used
    )
    tools = {"calculator", "current_date", "days_between", "unit_convert"}  # figures stated:
    assert first == tools and then == tools | {"answer"}  # no search; a tool first, then answer
    assert model.prompts[1][-1]["content"] == "Result of calculator: 52.5"


def test_a_computation_leaving_out_a_number_of_the_question_is_not_the_answer(
    indexed: RagApp, model: ScriptedModel
) -> None:
    question = "If I buy 3 boxes at 17.50 each and pay 5 for delivery, what do I pay?"
    model.replies += [_call("3 * 17.50"), ANSWER, "The documents do not say."]
    result = indexed.answers.ask(indexed.ask_request(question, "default", 4))
    assert "52.5" not in result.answer
    assert not any(s.text.startswith("3 * 17.50") for s in result.sentences)


def test_a_searched_figure_is_computed_and_cited_where_it_stands(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies += [_search("Solar Gateway G3 price"), _call("4 * 1290"), ANSWER]
    result = indexed.answers.ask(indexed.ask_request(LOOKUP_PROBLEM, "default", 4))
    assert [c.name for c in result.tool_calls] == ["search_documents", "calculator"]
    assert "<passage source=" in result.tool_calls[0].result
    assert result.answer == "4 * 1290 = 5160 (computed by the calculator)."
    (citation,) = result.citations
    assert citation.chunk.source.endswith("price-list.md") and "1,290" in citation.text
    assert result.sentences[0].citations == [citation.id] and not result.abstained


def test_a_number_no_result_gave_is_refused_with_the_reason(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies += [_call("4 * 1300"), _search("G3 price"), _call("4 * 1290"), ANSWER]
    result = indexed.answers.ask(indexed.ask_request(LOOKUP_PROBLEM, "default", 4))
    assert result.tool_calls[-1].result == "5160"
    refusal = model.prompts[1][-1]["content"]
    assert "the numbers ['1300'] are not in the question or a tool result" in refusal


def test_a_repeated_call_is_refused(indexed: RagApp, model: ScriptedModel) -> None:
    model.replies += [_search("G3 price"), _search("G3 price"), _search("G3 price")]
    model.replies.append("The Solar Gateway G3 costs 1,290.")
    result = indexed.answers.ask(indexed.ask_request(LOOKUP_PROBLEM, "default", 4))
    assert [c.name for c in result.tool_calls] == ["search_documents"]
    assert "already called" in model.prompts[2][-1]["content"]


def test_the_loop_stops_after_max_steps_then_the_question_is_answered_as_usual(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies += [_search(f"gateway price {n}") for n in range(MAX_STEPS)]
    model.replies.append("The Solar Gateway G3 costs 1,290.")
    result = indexed.answers.ask(indexed.ask_request(LOOKUP_PROBLEM, "default", 4))
    assert len(result.tool_calls) == MAX_STEPS
    assert model.schemas_used[MAX_STEPS] is None  # then the ordinary answer
    assert "1,290" in result.answer


@pytest.mark.parametrize(
    "replies",
    [
        ["{not json", '{"tool": "calculator"}'],  # malformed, then missing arguments
        [_call("__import__('os')"), _call("2 ** 10 ** 10")],  # refused by the calculator
        [ANSWER],
    ],
)
def test_no_valid_call_means_an_ordinary_answer_never_a_crash(
    indexed: RagApp, model: ScriptedModel, replies: list[str]
) -> None:
    model.replies += [*replies, "The documents do not say."]
    result = indexed.answers.ask(indexed.ask_request(WORD_PROBLEM, "default", 4))
    assert result.tool_calls == []
    assert model.schemas_used[-1] is None  # the last prompt was the ordinary answer


def test_a_date_or_a_search_alone_is_never_the_answer(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies += ['{"tool": "current_date", "arguments": {}}', _search("G3"), ANSWER]
    model.replies.append("The Solar Gateway G3 costs 1,290.")
    result = indexed.answers.ask(indexed.ask_request(LOOKUP_PROBLEM, "default", 4))
    assert [c.name for c in result.tool_calls] == ["current_date", "search_documents"]
    assert result.answer == "The Solar Gateway G3 costs 1,290."
    lookup_tools = {o["properties"]["tool"]["const"] for o in model.schemas_used[0]["oneOf"]}
    assert "search_documents" in lookup_tools


def test_questions_with_nothing_to_compute_never_ask_for_a_call(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append("Full-time employees receive 26 days of paid annual leave per year.")
    indexed.answers.ask(
        indexed.ask_request("How many days of annual leave do employees get?", "default", 4)
    )
    assert model.schemas_used == [None]
    assert not wants_tool("What does error E04 mean?")
    assert wants_tool("Split 90 euros between three people")


def test_numbers_in_reads_document_text_without_failing() -> None:
    text = "Firmware 1.4.2 fixes G3 pairing; the K2 costs 7,450 (1,290.50 for two), ratio 3,4."
    assert numbers_in(text) == {"1", "4", "2", "7450", "1290.5", "3"}


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        # a unit written against its number is still the whole number
        ("The hall is open 24h.", {"24"}),
        ("Over-18s only.", {"18"}),
        ("A 64gb card at 1080p, 1.5x faster.", {"64", "1080", "1.5"}),
        ("Doors open at 10am.", {"10"}),
        # a code and an ordinal are no figures at all
        ("Error E04 on bay K12.", set()),
        ("On the 3rd floor, the 21st stall.", set()),
    ],
)
def test_numbers_in_reads_whole_figures(text: str, numbers: set[str]) -> None:
    assert numbers_in(text) == numbers


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        (_call("17.50"), "computes nothing"),
        (
            json.dumps(
                {
                    "tool": "unit_convert",
                    "arguments": {"value": 90, "from_unit": "kg", "to_unit": "kg"},
                }
            ),
            "changes nothing",
        ),
    ],
)
def test_calls_that_compute_nothing_are_refused(
    indexed: RagApp, model: ScriptedModel, call: str, reason: str
) -> None:
    model.replies += [call, _call("3 * 17.50"), ANSWER]
    result = indexed.answers.ask(indexed.ask_request(WORD_PROBLEM, "default", 4))
    assert [c.result for c in result.tool_calls] == ["52.5"]
    assert reason in model.prompts[1][-1]["content"]


@pytest.mark.parametrize(
    "question",
    [
        "Which department brings in the most income in 2026-27?",
        "What was the Parks & Open Spaces budget in 2024-25?",
        "How much did the council spend in 2025/26?",
        "What happened at the meeting on 2026-03-11?",
    ],
)
def test_a_financial_year_or_a_date_is_no_subtraction(question: str) -> None:
    # "2026-27" read as 2026 - 27 sent budget questions to the calculator's path and made the
    # table answerer decline them ("the question states what to compute").
    assert not wants_tool(question)


def test_a_subtraction_of_years_is_still_one() -> None:
    assert wants_tool("How many years is 2026 - 2019?")
    assert wants_tool("What is 2026 minus 27?")
