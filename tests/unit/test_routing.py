from datetime import date, timedelta

import pytest

from rag.answer.tool_route import route, tool_answer
from rag.tools import default_registry


@pytest.mark.parametrize(
    ("question", "tool", "result"),
    [
        ("What is 40366 / 439?", "calculator", "91.9499"),
        ("What is twelve times seven?", "calculator", "84"),
        ("What's 99 * 99?", "calculator", "9801"),
        ("What is one hundred and twenty plus thirty-five?", "calculator", "155"),
        ("Subtract 8 from 20", "calculator", "12"),
        ("Divide 100 by 8", "calculator", "12.5"),
        ("What is the square root of 144?", "calculator", "12"),
        ("What is 15 percent of 240?", "calculator", "36"),
        ("What is 17 plus 12 percent of 2450?", "calculator", "311"),  # not 17 + 2450
        ("What is 17 + 12% of 2450?", "calculator", "311"),
        ("What is 12 percent of 2450 plus 17?", "calculator", "311"),
        ("What is 10 divided by 12 percent of 50?", "calculator", "1.6667"),  # 10 / 6
        ("what is 5 plus 3 =", "calculator", "8"),
        ("What is 50 - 7 % 3?", "calculator", "49"),  # % between numbers is the remainder
        ("1234 + 5678 = ?", "calculator", "6912"),
        ("What is 1e308*10?", "calculator", "1e+309"),  # exact, no float overflow
        ("What is the value of 3 + 4?", "calculator", "7"),
        ("Convert 5 km to miles", "unit_convert", "3.1069"),
        ("How many feet in 3 metres?", "unit_convert", "9.8425"),
        ("What is 100 degrees fahrenheit in celsius?", "unit_convert", "37.7778"),
        ("How many days between 1 January 2026 and 31 March 2026?", "days_between", "89"),
    ],
)
def test_tool_questions_are_routed_with_exact_arguments(
    question: str, tool: str, result: str
) -> None:
    routed = route(question)
    assert routed is not None and routed.tool == tool
    call = default_registry().call(routed.tool, routed.arguments)
    assert call.result.startswith(result)
    assert tool in tool_answer(call) or "calculator" in tool_answer(call)


def test_date_questions_use_today() -> None:
    assert route("What is today's date?").tool == "current_date"
    later = (date.today() + timedelta(days=10)).isoformat()
    routed = route(f"How many days until {later}?")
    assert default_registry().call(routed.tool, routed.arguments).result == "10"


@pytest.mark.parametrize(
    "question",
    [
        "How many days of annual leave do employees get?",
        "What is the price of the Aurora K2 home battery?",
        "What is 3 times the price of the K2?",
        "Who founded the company in 2014?",
        "How many employees work in the three offices?",
        "What is the 2026 roadmap?",
    ],
)
def test_document_questions_are_not_routed(question: str) -> None:
    assert route(question) is None


@pytest.mark.parametrize(
    "question",
    [
        "What is 3 + 4 for 10 people?",  # 10 is left outside the expression
        "What is 2 + 3 = 4 + 5?",
        "What is 5 plus 3 = 9?",
        "What is 17 plus 12 percent?",  # 17 * 1.12 or 17.12: ambiguous
        "What is 17 + 12%?",
        "What is 100 - 5%?",
        "What is the product of 3 + 4?",  # an operator word outside the expression
        "What is the sum of 3 * 4?",
        "What is 3 + 4 doubled?",
        "What is 10 divided 2 + 3?",
        "What is 12 of 3 + 4?",
        "What is = 5 + 3?",
    ],
)
def test_a_parse_that_leaves_a_number_or_operator_out_does_not_answer(question: str) -> None:
    assert route(question) is None


def test_a_routed_expression_never_drops_a_number_of_the_question() -> None:
    routed = route("What is 17 plus 12 percent of 2450?")
    assert routed is not None
    call = default_registry().call(routed.tool, routed.arguments)
    assert call.result == "311"
    assert tool_answer(call) == "17 + 12% of 2450 = 311 (computed by the calculator)."


@pytest.mark.parametrize(
    ("expression", "sentence"),
    [
        ("40366 / 439", "40366 / 439 ≈ 91.9499 (computed by the calculator)."),
        ("90 / 8", "90 / 8 = 11.25 (computed by the calculator)."),
    ],
)
def test_a_rounded_result_says_it_is_approximate(expression: str, sentence: str) -> None:
    call = default_registry().call("calculator", {"expression": expression})
    assert tool_answer(call) == sentence
