"""LLM-as-judge faithfulness for `rag eval --judge`: does an answer say only what its sources say?

The judge reads the answer users got, next to the passages it cites, and *writes* a verdict that
is parsed here. Scoring generated text is the point (next-token letter probabilities measure
something else than the answers people read). Any configured model judges: the one answering by
default, or an OpenAI-compatible server (`RAG_JUDGE_URL`). The bundled 135M model is a weak
judge; its verdicts are a smoke test, a larger model's a measurement.
"""

import re
from collections.abc import Sequence

from rag.llm import Message
from rag.llm.worker import ModelWorker

JUDGE_SYSTEM = (
    "You check answers against source passages. Reply with one word: yes if every statement "
    "in the answer is stated in the passages, no otherwise."
)
_VERDICT = re.compile(r"^\W*(yes|no|supported|unsupported|true|false)\b", re.I)
_MAX_PASSAGE_CHARS = 1500
VERDICT_TOKENS = 6


def judge_messages(answer: str, passages: Sequence[str]) -> list[Message]:
    quoted = "\n\n".join(
        f"Passage {n}:\n{text[:_MAX_PASSAGE_CHARS]}" for n, text in enumerate(passages, start=1)
    )
    question = f"{quoted}\n\nAnswer: {answer}\n\nIs every statement in the answer supported?"
    return [{"role": "system", "content": JUDGE_SYSTEM}, {"role": "user", "content": question}]


def parse_verdict(text: str) -> bool | None:
    """True (faithful), False, or None when the judge wrote no verdict we can read."""
    match = _VERDICT.match(text)
    if match is None:
        return None
    return match.group(1).lower() in ("yes", "supported", "true")


class FaithfulnessJudge:
    def __init__(self, worker: ModelWorker) -> None:
        self._worker = worker

    def __call__(self, answer: str, passages: Sequence[str]) -> bool | None:
        completion = self._worker.complete(judge_messages(answer, passages), VERDICT_TOKENS)
        return parse_verdict(completion.text)
