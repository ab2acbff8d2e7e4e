"""Arithmetic over numbers found in the documents: "What do three Solar Gateway G3 units cost?"

The question says what to compute and the sources hold the operands. The model writes the
expression, but under a grammar that admits only numbers present in the question or the
sources, the four operations and parentheses, so a small model can pick the wrong operand but
never invent one. The calculator computes it, and each source number used is cited in the
sentence (or table row) where it stands. An expression that uses no source number, or no
operation, is not an answer: the caller falls back to answering from the sources.
"""

import re
from dataclasses import dataclass

from rag.answer import Citation, split_sentences
from rag.llm import Message
from rag.retrieve import RetrievedChunk
from rag.tools.routing import digits_for_number_words

# What a question needing arithmetic over the documents says, besides a how-much/-many ask:
# a count of things ("two weeks", "3 years"; not "5 more years", which names an item), a
# percentage, a comparison, or an aggregate over things joined by "and".
_ASKS_AMOUNT = re.compile(r"\b(how (much|many)|what (do|does|is|are))\b", re.I)
_COUNT = re.compile(r"(?<![\d.,\w])([2-9]|[1-9]\d+)\s+(?!%|more\b|extra\b|additional\b)[a-z]", re.I)
_PERCENT = re.compile(r"(?<![\d.,])\d+(\.\d+)?\s*%")
_COMPARISON = re.compile(r"\b(more|less|cheaper|dearer|longer|shorter)\b.*\bthan\b", re.I)
_AGGREGATE = re.compile(r"\b(together|in total|altogether|combined)\b", re.I)
_SOURCE_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\w.,])\d+(?:\.\d+)?(?![\d\w])"
)
_OPERATION = re.compile(r"\d\s*[-+*/]\s*[\d(]|\)\s*[-+*/]")
MAX_OPERANDS = 60

SYSTEM = (
    "Write one arithmetic expression that answers the question, using numbers from the "
    "sources and the question, and only + - * / and parentheses. Write nothing else."
)
EXAMPLES: list[tuple[str, str, str]] = [
    ("A ticket costs 12 euros.", "What do three tickets cost?", "3 * 12"),
    (
        "A chair costs 90 euros and a desk costs 310 euros.",
        "How much more is the desk?",
        "310 - 90",
    ),
    ("The hotel costs 140 euros a night.", "How much is a 10% tax on one night?", "140 * 10 / 100"),
]


def needs_document_arithmetic(question: str) -> bool:
    text = digits_for_number_words(question)
    if not _ASKS_AMOUNT.search(text):
        return False
    aggregate = _AGGREGATE.search(text)
    return bool(
        _COUNT.search(text)
        or _PERCENT.search(text)
        or _COMPARISON.search(text)
        or (aggregate and re.search(r"\band\b", text, re.I))
    )


@dataclass(frozen=True)
class Operands:
    """The numbers an expression may use: plain digits mapped to where each stands."""

    from_question: frozenset[str]
    in_sources: dict[str, tuple[RetrievedChunk, int, str]]  # number → (chunk, offset, sentence)

    def grammar(self) -> str:
        numbers = sorted(self.from_question | set(self.in_sources), key=lambda n: (len(n), n))
        choices = " | ".join(f'"{n}"' for n in numbers)
        return (
            'root ::= expr\nexpr ::= term (" " op " " term)*\n'
            'term ::= num | "(" expr ")"\nop ::= "+" | "-" | "*" | "/"\n'
            f"num ::= {choices}\n"
        )


def operands(question: str, chunks: list[RetrievedChunk]) -> Operands:
    asked = {_plain(n) for n in _SOURCE_NUMBER.findall(digits_for_number_words(question))}
    if "%" in question:
        asked.add("100")
    found: dict[str, tuple[RetrievedChunk, int, str]] = {}
    for chunk in chunks:
        for offset, sentence in split_sentences(chunk.text):
            for match in _SOURCE_NUMBER.finditer(sentence):
                number = _plain(match.group())
                if number not in found and len(found) < MAX_OPERANDS:
                    found[number] = (chunk, offset, sentence)
    return Operands(frozenset(asked), found)


def expression_messages(question: str, chunks: list[RetrievedChunk]) -> list[Message]:
    messages: list[Message] = [{"role": "system", "content": SYSTEM}]
    for source, example, expression in EXAMPLES:
        messages.append({"role": "user", "content": _ask(source, example)})
        messages.append({"role": "assistant", "content": expression})
    sources = "\n".join(c.text for c in chunks)
    messages.append({"role": "user", "content": _ask(sources, question)})
    return messages


def grounded_citations(expression: str, found: Operands) -> list[Citation] | None:
    """Citations for the source numbers the expression uses; None when it computes nothing
    from the sources (no operation, or only the question's own numbers)."""
    if not _OPERATION.search(expression):
        return None
    citations: list[Citation] = []
    for number in dict.fromkeys(re.findall(r"\d+(?:\.\d+)?", expression)):
        if number in found.in_sources and number not in found.from_question:
            chunk, offset, sentence = found.in_sources[number]
            start = chunk.start + offset
            citation = Citation(
                f"c{len(citations) + 1}", chunk, start, start + len(sentence), sentence, 1.0
            )
            citations.append(citation)
    return citations or None


def _ask(sources: str, question: str) -> str:
    return f"Sources:\n{sources}\n\nQuestion: {question}\nExpression:"


def _plain(number: str) -> str:
    return number.replace(",", "")
