"""Example questions for the first screen, taken from the collection's own documents: the
questions a document asks itself (an FAQ), else what its section headings are about."""

import re
from collections.abc import Sequence

_QUESTION = re.compile(r"^[A-Z][^?\n]{10,100}\?$")
_TITLE = re.compile(r"^#\s+(.+?)\s*#*$")
_SECTION = re.compile(r"^##\s+(.+?)\s*#*$")
_UNDERLINE = re.compile(r"^(=+|-+)$")


def example_questions(documents: Sequence[str], count: int = 3) -> list[str]:
    """Up to `count` questions, one per document, documents that ask questions first."""
    found = [_questions_in(text) for text in documents]
    ordered = sorted((q for q in found if q), key=lambda q: not q[0][1])
    return [questions[0][0] for questions in ordered][:count]


def _questions_in(text: str) -> list[tuple[str, bool]]:
    """(question, asked by the document itself) pairs, best first."""
    lines = [line.strip() for line in text.splitlines()]
    asked = [(line, True) for line in lines if _QUESTION.fullmatch(line)]
    title = _title(lines)
    sections = [m.group(1) for line in lines if (m := _SECTION.fullmatch(line))]
    about = [(f"What does {title} say about {_lower_first(s)}?", False) for s in sections]
    return asked + (about if title else [])


def _title(lines: list[str]) -> str:
    for n, line in enumerate(lines):
        heading = _TITLE.fullmatch(line)
        if heading:
            return heading.group(1)
        if line and n + 1 < len(lines) and _UNDERLINE.fullmatch(lines[n + 1]):
            return line
    return ""


def _lower_first(text: str) -> str:
    # "Working hours" -> "working hours", but "Aurora K2" and "FAQ" keep their capitals.
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower():
        return text[0].lower() + text[1:]
    return text
