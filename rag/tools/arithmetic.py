"""Deterministic routing: a question that is only arithmetic goes straight to the calculator.

A 135M model picks the right tool but garbles its arguments, so when the question itself is an
arithmetic expression ("What is 40366 / 439?", "calculate 12% of 2450") no model is involved.
"""

import re

_NUMBER = r"\(*\s*-?\d[\d,]*(?:\.\d+)?\s*%?\s*\)*"
_OPERATOR = r"(?:\*\*|//|[-+*/×÷^%]|% of|percent of)"
_EXPRESSION = re.compile(rf"{_NUMBER}(?:\s*{_OPERATOR}\s*{_NUMBER})+|\d[\d,.]*\s*% of\s*{_NUMBER}")
_FILLER = re.compile(
    r"\b(what|what's|is|are|the|of|result|value|calculate|compute|how|much|please|equals?|"
    r"tell|me|can|you|do|does|make|sum|product|total)\b|[?=!.,:\s]",
    re.I,
)


def arithmetic_only(question: str) -> str | None:
    """The expression when the question is nothing but arithmetic, else None."""
    match = _EXPRESSION.search(question)
    if match is None:
        return None
    rest = question[: match.start()] + question[match.end() :]
    if _FILLER.sub("", rest):
        return None  # other words: the question needs the documents too
    return match.group().strip().replace("percent of", "% of")
