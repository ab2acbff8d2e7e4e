"""Follow-up questions made standalone for retrieval, deterministically.

"And how much does it cost?" retrieves nothing useful on its own. When a question reads as a
follow-up (it opens with "and" / "what about", points back with a pronoun, or is too short to
stand alone), what the previous question named (its capitalised names and model numbers, or
the whole question when it names nothing) is prepended to the search query, so retrieval sees
what "it" is without being pulled back to the previous question's own topic. The model still
gets the conversation itself; only the search query changes. A small model rewriting the
question would be slower and, at 135M parameters, unreliable.
"""

import re
from collections.abc import Sequence

from rag.answer.text import identifiers
from rag.llm import Message

_FOLLOW_UP_OPENING = re.compile(r"^\s*(and|also|so|then|what about|how about|and what)\b", re.I)
_POINTS_BACK = re.compile(
    r"\b(it|its|it's|they|them|their|theirs|this|that|these|those|there|he|she|his|her|him|"
    r"the same|one)\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'.-]*")
# A capitalised word after the first: the question names something itself ("Aurora", "Ghent").
_OWN_NAME = re.compile(r"(?<=\w)\W+(?!I\b)[A-Z][a-z]+")
_SHORT = 4  # words; "Why?" or "In which year?" do not stand alone
# A run of capitalised words or words with digits: "Solar Gateway G3", "Aurora K2", "E04".
_NAMED = re.compile(r"(?:\b(?:[A-Z][\w-]*|[\w-]*\d[\w-]*)\b\s*)+")


def is_follow_up(question: str) -> bool:
    if _FOLLOW_UP_OPENING.search(question):
        return True
    if identifiers(question) or _OWN_NAME.search(question):
        return False  # "My battery shows E04, what does that mean?" says what "that" is
    return bool(_POINTS_BACK.search(question) or len(_WORD.findall(question)) < _SHORT)


def standalone_query(question: str, history: Sequence[Message]) -> str:
    """The search query for `question` given the earlier turns (oldest first)."""
    previous = next((m["content"] for m in reversed(history) if m["role"] == "user"), None)
    if previous is None or not is_follow_up(question):
        return question
    first, _, rest = previous.strip().partition(" ")  # a question's first word is capitalised
    named = " ".join(match.strip() for match in _NAMED.findall(rest))
    return f"{named or previous.strip()} {question.strip()}"
