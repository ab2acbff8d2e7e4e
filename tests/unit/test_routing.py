from datetime import date, timedelta

import pytest

from rag.answer.tool_route import RoutedCall, route, tool_answer
from rag.tools import ToolCall, default_registry

# How each tool's answer ends: it names the tool that computed it.
_BY = {
    "calculator": "computed by the calculator",
    "unit_convert": "converted by unit_convert",
    "days_between": "computed by days_between",
}


def _calculator(expression: str) -> RoutedCall:
    return RoutedCall("calculator", {"expression": expression})


@pytest.mark.parametrize(
    ("question", "call", "answer"),
    [
        ("What is 40366 / 439?", _calculator("40366 / 439"), "40366 / 439 ≈ 91.9499"),
        ("What is twelve times seven?", _calculator("12 * 7"), "12 * 7 = 84"),
        ("What's 99 * 99?", _calculator("99 * 99"), "99 * 99 = 9801"),
        (
            "What is one hundred and twenty plus thirty-five?",
            _calculator("120 + 35"),
            "120 + 35 = 155",
        ),
        ("Subtract 8 from 20", _calculator("20 - 8"), "20 - 8 = 12"),
        ("Divide 100 by 8", _calculator("100 / 8"), "100 / 8 = 12.5"),
        ("What is the square root of 144?", _calculator("sqrt(144)"), "sqrt(144) = 12"),
        ("What is 15 percent of 240?", _calculator("15% of 240"), "15% of 240 = 36"),
        (
            "What is 17 plus 12 percent of 2450?",  # not 17 + 2450
            _calculator("17 + 12% of 2450"),
            "17 + 12% of 2450 = 311",
        ),
        ("What is 17 + 12% of 2450?", _calculator("17 + 12% of 2450"), "17 + 12% of 2450 = 311"),
        (
            "What is 12 percent of 2450 plus 17?",
            _calculator("12% of 2450 + 17"),
            "12% of 2450 + 17 = 311",
        ),
        (
            "What is 10 divided by 12 percent of 50?",  # 10 / 6
            _calculator("10 / 12% of 50"),
            "10 / 12% of 50 ≈ 1.6667",
        ),
        ("what is 5 plus 3 =", _calculator("5 + 3"), "5 + 3 = 8"),
        (
            "What is 50 - 7 % 3?",  # % between numbers is the remainder
            _calculator("50 - 7 % 3"),
            "50 - 7 % 3 = 49",
        ),
        ("1234 + 5678 = ?", _calculator("1234 + 5678"), "1234 + 5678 = 6912"),
        (
            "What is 1e308*10?",  # exact, no float overflow
            _calculator("1e308*10"),
            "1e308*10 = 1e+309",
        ),
        ("What is the value of 3 + 4?", _calculator("3 + 4"), "3 + 4 = 7"),
        (
            "Convert 5 km to miles",
            RoutedCall("unit_convert", {"value": 5.0, "from_unit": "km", "to_unit": "mi"}),
            "5 km = 3.1069 mi",
        ),
        (
            "How many feet in 3 metres?",
            RoutedCall("unit_convert", {"value": 3.0, "from_unit": "m", "to_unit": "ft"}),
            "3 m = 9.8425 ft",
        ),
        (
            "What is 100 degrees fahrenheit in celsius?",
            RoutedCall("unit_convert", {"value": 100.0, "from_unit": "F", "to_unit": "C"}),
            "100 F = 37.7778 C",
        ),
        (
            "How many days between 1 January 2026 and 31 March 2026?",
            RoutedCall("days_between", {"start": "2026-01-01", "end": "2026-03-31"}),
            "89 days from 2026-01-01 to 2026-03-31",
        ),
    ],
)
def test_tool_questions_are_routed_with_exact_arguments(
    question: str, call: RoutedCall, answer: str
) -> None:
    routed = route(question)
    assert routed == call
    computed = default_registry().call(routed.tool, routed.arguments)
    assert tool_answer(computed) == f"{answer} ({_BY[call.tool]})."


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


def test_a_date_that_does_not_exist_is_not_routed() -> None:
    assert route("How many days until 31 February 2026?") is None
    assert route("How many days between 1 January 2026 and 31 February 2026?") is None


def test_dates_and_thousands_separators_are_routed_with_exact_arguments() -> None:
    assert route("What is today's date?") == RoutedCall("current_date", {})
    assert route("Convert 1,500 km to miles") == RoutedCall(
        "unit_convert", {"value": 1500.0, "from_unit": "km", "to_unit": "mi"}
    )


@pytest.mark.parametrize(
    ("call", "sentence"),
    [
        (ToolCall("current_date", {}, "2026-12-06"), "Today is 2026-12-06 (from current_date)."),
        (
            ToolCall("weather", {}, "sunny", plugin="rag-weather"),
            "sunny (from weather, a tool of the plugin rag-weather).",
        ),
        (ToolCall("weather", {}, "sunny"), "weather returned sunny."),
    ],
)
def test_each_tool_answer_names_the_tool(call: ToolCall, sentence: str) -> None:
    assert tool_answer(call) == sentence
