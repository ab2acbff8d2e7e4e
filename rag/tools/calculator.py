"""A calculator over exact numbers: Python's AST with an allowlist, evaluated as Fractions.

Never eval, exec or numexpr (LangChain CVE-2023-29374, numexpr CVE-2023-39631). Only decimal
numbers, + - * / // % **, parentheses, unary signs, percentages and a few named functions are
accepted; exponents, result sizes, input length and nesting are bounded, so every call ends
quickly. A number is read from its digits, never through a float ("1e309" and
"0.1000000000000000000001" stay exact), and an "=" is refused, not dropped: "17 + 2450 =" is not
a question the calculator can answer for "17 plus 12 percent of 2450".
"""

import ast
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from rag.tools import ToolError

MAX_CHARS = 500
MAX_DEPTH = 250  # a 500-character sum is ~250 levels deep; deeper is abuse
MAX_EXPONENT = 1000
MAX_BITS = 4096  # about 1,230 decimal digits in a numerator or denominator
MAX_DIGITS = 1233  # a number written with a larger exponent than this is out of range
DECIMALS = 4
SIGNIFICANT_BELOW_ONE = 6
SIGNIFICANT_DIGITS = 10  # beyond 10**15
_DECIMAL = Context(prec=40)
_LITERAL = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_PERCENT_OF = re.compile(r"(\d+(?:\.\d+)?)\s*%\s*of\b\s*")
_NAME = re.compile(r"[A-Za-z_]\w*\s*")
_POWER = re.compile(r"\s*\*\*\s*")

_BINARY: dict[type, Callable[[Fraction, Fraction], Fraction]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: Fraction(a // b),
    ast.Mod: lambda a, b: a % b,
}


def calculator(expression: str) -> str:
    """Evaluate an arithmetic expression exactly and return its value.

    Args:
        expression: Arithmetic such as "40366 / 439", "12% of 2450" or "sqrt(2) * 3".
    """
    value = evaluate(expression)
    return format_number(value)


def evaluate(expression: str) -> Fraction:
    if len(expression) > MAX_CHARS:
        raise ToolError(f"expression is longer than {MAX_CHARS} characters")
    if "=" in expression:
        raise ToolError(
            f"'=' has no place in an expression: give only the arithmetic to compute, such as "
            f"'17 + 294', not {expression!r}"
        )
    text = _normalise(expression)
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        raise ToolError(f"not an arithmetic expression: {expression!r}") from None
    try:
        return _eval(tree.body, 0, text)
    except ArithmeticError as exc:  # decimal overflow or an invalid operation
        raise ToolError(f"cannot compute {expression!r}: {type(exc).__name__}") from None


def format_number(value: Fraction) -> str:
    """Integers exactly; other values rounded for reading: 4 decimals from 1 up (40366 / 439 →
    91.9499), 6 significant digits below 1 (2 / 3 → 0.666667), scientific beyond 10**15."""
    magnitude = abs(value)
    if value.denominator == 1 and magnitude < 10**21:
        return str(value.numerator)
    decimal = _to_decimal(value)
    if 1 <= magnitude < 10**15:
        text = format(decimal.quantize(Decimal(10) ** -DECIMALS, ROUND_HALF_UP), "f")
        return text.rstrip("0").rstrip(".")
    digits = SIGNIFICANT_DIGITS if magnitude >= 1 else SIGNIFICANT_BELOW_ONE
    mantissa, _, exponent = format(decimal, f".{digits}g").partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent):+d}" if exponent else mantissa


def _normalise(expression: str) -> str:
    text = expression.strip().rstrip("?").strip()
    for symbol, replacement in (("×", "*"), ("÷", "/"), ("−", "-"), ("^", "**")):
        text = text.replace(symbol, replacement)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)  # thousands separators: 40,366
    text = _percent_of(text)  # 12% of 2450
    return re.sub(r"(\d+(?:\.\d+)?)\s*%(?!\s*[\d(.])", r"(\1/100)", text)  # 2450 * 12%


def _percent_of(text: str) -> str:
    """Each "X% of Y" as one term, "((X/100)*(Y))", Y the operand that follows: a number, a
    bracket or a call, with any power of it. So "10 / 12% of 50" divides by 6, as it reads, and
    "17 + 12% of 2450" adds 294. The last one first, so "12% of 50% of 200" nests."""
    while matches := list(_PERCENT_OF.finditer(text)):
        last = matches[-1]
        end = _operand_end(text, last.end())
        if end is None:
            return text  # no operand: the parser reports the expression
        operand = text[last.end() : end]
        text = f"{text[: last.start()]}(({last[1]}/100)*({operand})){text[end:]}"
    return text


def _operand_end(text: str, start: int) -> int | None:
    """Where the operand starting at `start` ends: [sign] primary [** operand]."""
    position = start
    while position < len(text) and text[position] in "+- ":
        position += 1
    number = _LITERAL.match(text, position)
    if number:
        position = number.end()
    else:
        name = _NAME.match(text, position)
        if name:
            position = name.end()
        if position >= len(text) or text[position] != "(":
            return None
        depth = 0
        for index in range(position, len(text)):
            depth += {"(": 1, ")": -1}.get(text[index], 0)
            if depth == 0:
                position = index + 1
                break
        else:
            return None
    power = _POWER.match(text, position)
    if power:
        return _operand_end(text, power.end())
    return position


def _eval(node: ast.AST, depth: int, text: str) -> Fraction:
    if depth > MAX_DEPTH:
        raise ToolError(f"expression is nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return _number(ast.get_source_segment(text, node) or "")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _eval(node.operand, depth + 1, text)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return _power(_eval(node.left, depth + 1, text), _eval(node.right, depth + 1, text))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _eval(node.left, depth + 1, text), _eval(node.right, depth + 1, text)
        if isinstance(node.op, ast.Div | ast.FloorDiv | ast.Mod) and right == 0:
            raise ToolError("division by zero")
        return _bounded(_BINARY[type(node.op)](left, right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        function = _FUNCTIONS.get(node.func.id)
        if function is None:
            raise ToolError(f"unknown function {node.func.id!r}; use {', '.join(_FUNCTIONS)}")
        return _bounded(function(*(_eval(arg, depth + 1, text) for arg in node.args)))
    raise ToolError(f"{type(node).__name__} is not allowed in a calculation")


def _number(literal: str) -> Fraction:
    """A number exactly as written, never through a float (which turns 1e309 into inf and
    1e-400 into 0); the exponent is checked before any digit is expanded."""
    if not _LITERAL.fullmatch(literal):
        raise ToolError(f"{literal!r} is not a decimal number")
    value = Decimal(literal)
    if value and abs(value.adjusted()) > MAX_DIGITS:
        raise ToolError(f"{literal} is outside the calculator's range (10**±{MAX_DIGITS})")
    return _bounded(Fraction(value))


def _power(base: Fraction, exponent: Fraction) -> Fraction:
    if exponent.denominator != 1:
        if base < 0:
            raise ToolError("a fractional power of a negative number is not a real number")
        return Fraction(_DECIMAL.power(_to_decimal(base), _to_decimal(exponent)))
    if abs(exponent) > MAX_EXPONENT:
        raise ToolError(f"exponent {exponent} is larger than {MAX_EXPONENT}")
    size = max(abs(base.numerator).bit_length(), base.denominator.bit_length())
    if size * abs(exponent.numerator) > MAX_BITS:
        raise ToolError("the result would be too large")
    if base == 0 and exponent < 0:
        raise ToolError("division by zero")
    return base**exponent.numerator


def _bounded(value: Fraction) -> Fraction:
    if max(abs(value.numerator).bit_length(), value.denominator.bit_length()) > MAX_BITS:
        raise ToolError("the result is too large")
    return value


def _to_decimal(value: Fraction) -> Decimal:
    return _DECIMAL.divide(Decimal(value.numerator), Decimal(value.denominator))


def _sqrt(x: Fraction) -> Fraction:
    if x < 0:
        raise ToolError("square root of a negative number")
    return Fraction(_DECIMAL.sqrt(_to_decimal(x)))


def _log(x: Fraction, base: Fraction | None = None) -> Fraction:
    if x <= 0 or (base is not None and (base <= 0 or base == 1)):
        raise ToolError("log needs a positive number (and a positive base other than 1)")
    natural = _DECIMAL.ln(_to_decimal(x))
    if base is not None:
        natural = _DECIMAL.divide(natural, _DECIMAL.ln(_to_decimal(base)))
    return Fraction(natural)


def _round(x: Fraction, digits: Fraction = Fraction(0)) -> Fraction:
    if digits.denominator != 1 or not 0 <= digits <= 15:
        raise ToolError("round takes a whole number of digits from 0 to 15")
    return Fraction(round(x, int(digits)))


def _arity(function: Callable[..., Fraction], low: int, high: int) -> Callable[..., Fraction]:
    def checked(*args: Fraction) -> Fraction:
        if not low <= len(args) <= high:
            raise ToolError(f"{function.__name__.strip('_')} takes {low} to {high} arguments")
        return function(*args)

    return checked


_FUNCTIONS: dict[str, Callable[..., Fraction]] = {
    "sqrt": _arity(_sqrt, 1, 1),
    "log": _arity(_log, 1, 2),
    "round": _arity(_round, 1, 2),
    "abs": _arity(abs, 1, 1),
    "min": _arity(min, 1, 50),
    "max": _arity(max, 1, 50),
}
