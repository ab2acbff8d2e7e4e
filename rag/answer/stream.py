"""An answer being generated, released to the reader one verified sentence at a time."""

import time
from collections.abc import Callable, Iterator

from rag.answer.text import sentences_of
from rag.answer.types import AlignedSentence, AskResult, Citation
from rag.answer.verify import AnswerVerifier, cite
from rag.llm.worker import Generation


def ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


class AnswerStream:
    """An answer being generated: iterate it for text deltas, then read `result`.

    Each sentence the model completes is verified (supported by a source sentence the question
    is about, stating the kind of thing asked) and released at once; a sentence that fails is
    never shown. If the model ends without one, `settle(model_text)` gives the answer instead
    (the extractive quote, or an abstention). So what streams is exactly `result.answer`.
    """

    def __init__(
        self,
        result: AskResult,
        generation: Generation | None = None,
        verifier: AnswerVerifier | None = None,
        settle: Callable[[str], None] | None = None,
    ) -> None:
        self.result = result
        self._generation = generation
        self._verifier = verifier
        self._settle = settle
        self._citations: dict[tuple[str, int], Citation] = {}

    def cancel(self) -> None:
        if self._generation is not None:
            self._generation.cancel()

    @property
    def cancelled(self) -> bool:
        return self._generation is not None and self._generation.cancelled

    def read_out(self) -> AskResult:
        """Generate to the end without showing anything; the finished result."""
        for _ in self:
            pass
        return self.result

    def __iter__(self) -> Iterator[str]:
        if self._generation is None:
            if self.result.answer:
                yield self.result.answer
            return
        started = time.perf_counter()
        text, checked = "", 0
        for piece in self._generation:
            if not text:
                self.result.timings["first_token_ms"] = ms_since(started)
            text += piece
            complete = sentences_of(text)[:-1]
            for sentence in complete[checked:]:
                yield from self._release(sentence)
            checked = max(checked, len(complete))
        self._record_usage(started)
        for sentence in sentences_of(text)[checked:]:
            yield from self._release(sentence)
        if not self.result.sentences and not self._generation.cancelled:
            if self._settle is not None:
                self._settle(text)
            if self.result.answer:
                yield self.result.answer

    def _release(self, sentence: str) -> Iterator[str]:
        result = self.result
        if any(s.text == sentence for s in result.sentences):
            return  # a small model repeats itself; the reader sees each sentence once
        verdict = self._verifier.check(sentence) if self._verifier else None
        if verdict is None:
            return
        citation = cite(verdict.evidence.span, verdict.score, self._citations)
        delta = (" " if result.answer else "") + sentence
        result.answer += delta
        result.sentences.append(AlignedSentence(sentence, [citation.id], True))
        result.citations = list(self._citations.values())
        yield delta

    def _record_usage(self, started: float) -> None:
        completion = self._generation.completion
        self.result.timings["generate_ms"] = ms_since(started)
        self.result.timings["prompt_tokens"] = completion.prompt_tokens
        self.result.timings["completion_tokens"] = completion.completion_tokens
