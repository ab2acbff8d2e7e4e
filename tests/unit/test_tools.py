import time

import pytest

from rag.tools import ToolError, ToolRegistry, default_registry, tool_from_function
from rag.tools.calculator import calculator
from rag.tools.units import unit_convert


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("40366 / 439", "91.9499"),  # rounded for reading: 4 decimals from 1 up
        ("2 / 3", "0.666667"),  # below 1: 6 significant digits
        ("1 / 30000000", "3.33333e-8"),
        ("10 ** 30 / 7", "1.428571429e+29"),
        ("12% of 2450", "294"),
        ("2450 * 12%", "294"),
        ("7 % 3", "1"),
        ("7,450 × 2", "14900"),
        ("(7450 * 2) * 0.92", "13708"),
        ("0.1 + 0.2", "0.3"),  # exact, not 0.30000000000000004
        ("round(2.675, 2)", "2.68"),  # exact decimal rounding
        ("-5 // 2", "-3"),
        ("2^10", "1024"),
        ("sqrt(16) + abs(-2) + max(1, 5, 3) - min(4, 2)", "9"),
        ("log(1000, 10)", "3"),
        ("1e308 * 10", "1e+309"),  # no float overflow
        ("1e309", "1e+309"),  # beyond a float, still exact
        ("1e-400 * 10**400", "1"),  # below a float, not 0
        ("0.10000000000000000001 * 10**20 - 10**19", "1"),  # every digit kept, not 0
        ("17 + 12% of 2450", "311"),
        ("10 / 12% of 50", "1.6667"),  # 10 / (12% of 50), not (10 / 12%) * 50
        ("12% of 50% of 200", "12"),
        ("12% of 2 ** 3", "0.96"),
        ("12% of (100 + 50) / 2", "9"),
        ("+".join(["1"] * 200), "200"),  # a long flat sum is fine
        ("What is 40366 / 439?", None),
        ("0x10", None),  # decimal numbers only
    ],
)
def test_exact_arithmetic(expression: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ToolError):
            calculator(expression)
    else:
        assert calculator(expression) == expected


@pytest.mark.parametrize(
    "attack",
    [
        "__import__('os').system('id')",
        "().__class__.__bases__[0].__subclasses__()",
        "(1).__class__",
        "(lambda: 1)()",
        "[x for x in range(10**9)]",
        "open('/etc/passwd').read()",
        "globals()",
        "9**9**9",
        "10**10**10",
        "factorial(100000)",
        "2**100000",
        "-" * 400 + "1",
        "-" * 5000 + "1",
        "1/0",
        "5 % 0",
        "0 ** -1",
        "sqrt(-1)",
        "log(0)",
        "'a' * 10",
        "True + 1",
        "x",
        "1e100000000",
        "1e-100000000",
        "-1e999999999 * 0",
        "12% of (2450",
        "12% of x",
        "1% of " * 90 + "(" * 200,
    ],
)
def test_hostile_input_is_a_clear_error_quickly(attack: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ToolError) as error:
        calculator(attack)
    assert time.perf_counter() - started < 1.0
    assert str(error.value)


@pytest.mark.parametrize(
    "expression", ["17 + 2450 =", "5 =", "5 + 3 = 8", "= 5", "5 == 5", "2 <= 3"]
)
def test_an_equals_sign_is_refused_not_ignored(expression: str) -> None:
    with pytest.raises(ToolError, match="'='"):
        calculator(expression)


def test_schema_comes_from_signature_and_docstring() -> None:
    def shout(text: str, times: int = 1) -> str:
        """Repeat text loudly.

        Args:
            text: What to shout.
            times: How often.
        """
        return (text.upper() + " ") * times

    tool = tool_from_function(shout)
    assert tool.description == "Repeat text loudly."
    assert tool.parameters["required"] == ["text"]
    assert tool.parameters["properties"]["times"] == {
        "type": "integer",
        "description": "How often.",
    }


def test_registry_validates_arguments_before_calling() -> None:
    registry = default_registry()
    assert registry.names() == ["calculator", "current_date", "days_between", "unit_convert"]
    call = registry.call("calculator", {"expression": "2 + 2"})
    assert call.to_json() == {
        "name": "calculator",
        "arguments": {"expression": "2 + 2"},
        "result": "4",
        "summary": 'calculator(expression="2 + 2") → 4',
    }
    for name, arguments in [
        ("calculator", {}),
        ("calculator", {"expression": 40366}),
        ("calculator", {"expression": "1", "extra": 1}),
        ("unit_convert", {"value": True, "from_unit": "m", "to_unit": "km"}),
        ("shell", {"command": "id"}),
    ]:
        with pytest.raises(ToolError):
            registry.call(name, arguments)


def test_registry_refuses_untyped_parameters() -> None:
    def bad(items: list) -> str:
        return ""

    with pytest.raises(TypeError):
        ToolRegistry([bad])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((13.5, "kWh", "Wh"), "13500 Wh"),
        ((114, "kg", "lb"), "251.327 lb"),
        ((100, "C", "F"), "212 F"),
        ((5, "kW", "hp"), "6.7051 hp"),
    ],
)
def test_unit_conversion(args: tuple, expected: str) -> None:
    assert unit_convert(*args) == expected


def test_units_of_different_kinds_do_not_convert() -> None:
    with pytest.raises(ToolError, match="cannot convert"):
        unit_convert(1, "kg", "m")
