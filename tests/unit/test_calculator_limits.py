"""The calculator's guards, each at its bound and with its own message: a guard removed, moved
by one or saying something else fails here (the mutation run, tests/mutation.py, checks that)."""

from fractions import Fraction

import pytest

from rag.tools import ToolError
from rag.tools import calculator as module
from rag.tools.calculator import MAX_DEPTH, calculator

DEEPEST = "expression is nested deeper than 250 levels"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1+" * 250 + "1", "expression is longer than 500 characters"),
        ("(1", "not an arithmetic expression: '(1'"),
        ("12% of -", "not an arithmetic expression: '12% of -'"),
        ("12% of X5", "not an arithmetic expression: '12% of X5'"),
        ("2X", "not an arithmetic expression: '2X'"),  # only a trailing '?' is dropped
        ("0 ** -0.5", "cannot compute '0 ** -0.5': OverflowError"),
        ("1/0", "division by zero"),
        ("0 ** -1", "division by zero"),
        ("factorial(3)", "unknown function 'factorial'; use sqrt, log, round, abs, min, max"),
        ("x", "Name is not allowed in a calculation"),
        ("a.b", "Attribute is not allowed in a calculation"),
        ("0x10", "'0x10' is not a decimal number"),
        ("1e1234", "1e1234 is outside the calculator's range (10**±1233)"),
        ("1e-1234", "1e-1234 is outside the calculator's range (10**±1233)"),
        ("(-8) ** 0.5", "a fractional power of a negative number is not a real number"),
        ("2 ** 1001", "exponent 1001 is larger than 1000"),
        ("255 ** 513", "the result would be too large"),
        ("2 ** 1000 * 2 ** 1000 * 2 ** 1000 * 2 ** 1000 * 2 ** 96", "the result is too large"),
        ("sqrt(-1)", "square root of a negative number"),
        ("log(0)", "log needs a positive number (and a positive base other than 1)"),
        ("log(8, 1)", "log needs a positive number (and a positive base other than 1)"),
        ("log(8, 0)", "log needs a positive number (and a positive base other than 1)"),
        ("log(8, -2)", "log needs a positive number (and a positive base other than 1)"),
        ("round(1.5, 0.5)", "round takes a whole number of digits from 0 to 15"),
        ("round(1.5, 16)", "round takes a whole number of digits from 0 to 15"),
        ("max()", "max takes 1 to 50 arguments"),
        ("min(" + ",".join(["1"] * 51) + ")", "min takes 1 to 50 arguments"),
    ],
)
def test_each_refusal_says_why(expression: str, message: str) -> None:
    with pytest.raises(ToolError) as refused:
        calculator(expression)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("1+" * 249 + "11", "260"),  # 500 characters
        ("1e1233", "1e+1233"),
        ("1e-1233", "1e-1233"),
        ("2 ** 1000", "1.071508607e+301"),
        ("255 ** 512", "1.407901858e+1232"),  # 4,096 bits by the estimate
        ("2 ** 1000 * 2 ** 1000 * 2 ** 1000 * 2 ** 1000 * 2 ** 95", "5.221944407e+1232"),
        ("10**21 - 1", "999999999999999999999"),  # integers exactly below 10**21
        ("10 ** 21", "1e+21"),
        ("10**16 + 1", "10000000000000001"),
        ("10 ** 15 + 0.5", "1e+15"),  # 10 significant digits from 10**15 up
        ("1.00005", "1.0001"),  # half up
        ("1.00001", "1"),
        ("5 + 3?", "8"),
        ("8 ÷ 2 − 1", "3"),
        ("12% of -5", "-0.6"),
        ("12% of sqrt(16)", "0.48"),
        ("12% of (50)+1", "7"),
        ("+5", "5"),
        ("3 - +2", "1"),
        ("4 ** 0.5", "2"),
        ("2 ** 0.5", "1.4142"),
        ("0 ** 0.5", "0"),
        ("0.25 ** 0.5", "0.5"),
        ("2 ** -1", "0.5"),
        ("0 ** 0", "1"),
        ("sqrt(0)", "0"),
        ("sqrt(0.25)", "0.5"),
        ("log(1)", "0"),
        ("log(8, 0.5)", "-3"),
        ("log(8, 2)", "3"),
        ("round(2.4, 0)", "2"),
        ("round(1.5, 15)", "1.5"),
        ("min(" + ",".join(["1"] * 50) + ")", "1"),
    ],
)
def test_values_at_each_bound_are_computed(expression: str, value: str) -> None:
    assert calculator(expression) == value


@pytest.mark.parametrize(
    ("template", "levels"),
    [
        ("{}1", MAX_DEPTH),  # each unary minus is a level
        ("{}1+1", MAX_DEPTH - 1),  # an operand is a level below its operator
        ("1+{}1", MAX_DEPTH - 1),
        ("({}1)**2", MAX_DEPTH - 1),
        ("2**{}1", MAX_DEPTH - 1),
        ("abs({}1)", MAX_DEPTH - 1),
    ],
)
def test_nesting_is_bounded_in_every_position(template: str, levels: int) -> None:
    calculator(template.format("-" * levels))
    with pytest.raises(ToolError) as refused:
        calculator(template.format("-" * (levels + 1)))
    assert str(refused.value) == DEEPEST


def test_a_function_takes_only_its_number_of_arguments() -> None:
    # The checks are built with the functions (at import); build one here to check them.
    bounded = module._arity(max, 2, 3)
    assert bounded(Fraction(1), Fraction(2)) == bounded(Fraction(1), Fraction(2), Fraction(0))
    for count in (1, 4):
        with pytest.raises(ToolError) as refused:
            bounded(*[Fraction(1)] * count)
        assert str(refused.value) == "max takes 2 to 3 arguments"
    with pytest.raises(ToolError, match="^sqrt takes 1 to 1 arguments$"):
        module._arity(module._sqrt, 1, 1)()
