"""The real bundled GGUF under load: one worker, many callers, cancellation, cached prefixes."""

import threading

import pytest

from rag.errors import ModelBusyError
from rag.llm.local import LlamaCppChatModel, bundled_model_path
from rag.llm.worker import ModelWorker

pytestmark = pytest.mark.integration

QUESTIONS = [
    "Name a colour of the sky.",
    "What is the capital of France?",
    "Say one word about cats.",
    "What do bees make?",
]


@pytest.fixture(scope="module")
def model() -> LlamaCppChatModel:
    return LlamaCppChatModel(
        bundled_model_path(),
        n_ctx=1024,
        n_threads=None,
        n_batch=256,
        gpu_layers=0,
        temperature=0.0,
        repeat_penalty=1.15,
        seed=0,
    )


def _messages(question: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": question}]


def test_sixteen_simultaneous_generations_complete_or_get_busy_without_mixing(
    model: LlamaCppChatModel,
) -> None:
    worker = ModelWorker(model, queue_size=6, timeout_s=300)
    outcomes: list[tuple[str, str, str]] = []
    lock = threading.Lock()
    start = threading.Barrier(16)

    def call(n: int) -> None:
        question = QUESTIONS[n % len(QUESTIONS)]
        start.wait()
        try:
            generation = worker.submit(_messages(question), max_tokens=12)
        except ModelBusyError:
            outcome = ("busy", "", "")
        else:
            streamed = "".join(generation)
            outcome = ("done", streamed, generation.completion.text)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert len(outcomes) == 16
    done = [(streamed, text) for kind, streamed, text in outcomes if kind == "done"]
    assert done and len(done) < 16  # some ran, the queue bound turned the rest away
    # Each caller received exactly its own generation's tokens, and every answer is whole.
    # (Equality with a solo run is not checkable: reusing a cached prompt prefix changes the
    # float rounding of later tokens, so greedy answers can differ slightly between runs.)
    assert all(streamed == text and text.strip() for streamed, text in done)


def test_a_cancelled_generation_stops_within_one_token(model: LlamaCppChatModel) -> None:
    worker = ModelWorker(model, queue_size=2, timeout_s=300)
    generation = worker.submit(_messages("Write a long story about a dragon."), max_tokens=200)
    pieces = iter(generation)
    next(pieces)
    produced_before_cancel = generation.tokens_generated
    generation.cancel()
    completion = generation.result()
    assert completion.finish_reason == "cancelled"
    assert completion.completion_tokens <= produced_before_cancel + 1
    assert worker.complete(_messages(QUESTIONS[0]), max_tokens=4).text
