import threading
import time
from collections.abc import Iterator

import pytest

from rag.errors import InvalidInputError, ModelBusyError, ModelError, ModelTimeoutError
from rag.llm import Message
from rag.llm.worker import ModelWorker
from tests.fakes import ScriptedModel


class GatedModel:
    """Emits one piece each time the test opens the gate; counts what it generated."""

    model_id = "gated"
    n_ctx = 1000
    parallel = 1
    adapters = frozenset()

    def __init__(self) -> None:
        self.gate = threading.Semaphore(0)
        self.started = threading.Event()
        self.generated = 0

    def count_tokens(self, messages: list[Message]) -> int:
        return 10

    def stream(
        self,
        messages: list[Message],
        max_tokens: int,
        stop: list[str],
        adapter: str | None = None,
        json_schema: dict | None = None,
    ) -> Iterator[str]:
        self.started.set()
        for n in range(max_tokens):
            if not self.gate.acquire(timeout=5):
                return
            self.generated += 1
            yield f"t{n} "


class FailingModel(ScriptedModel):
    def stream(self, messages, max_tokens, stop, adapter=None, json_schema=None):
        if not self.prompts:
            self.prompts.append(messages)
            raise RuntimeError("GGML_ASSERT failed")
        yield from super().stream(messages, max_tokens, stop, adapter, json_schema)


MESSAGES = [{"role": "user", "content": "hello"}]


def test_a_full_queue_answers_busy_with_a_retry_delay_and_admits_again_later() -> None:
    model = GatedModel()
    worker = ModelWorker(model, queue_size=2, timeout_s=30)
    running = worker.submit(MESSAGES, max_tokens=1)
    assert model.started.wait(5)
    waiting = [worker.submit(MESSAGES, max_tokens=1) for _ in range(2)]
    with pytest.raises(ModelBusyError) as busy:
        worker.submit(MESSAGES, max_tokens=1)
    assert busy.value.retry_after_s >= 1
    for _ in range(3):
        model.gate.release()
    assert [g.result().text for g in [running, *waiting]] == ["t0 "] * 3
    model.gate.release()
    assert worker.submit(MESSAGES, max_tokens=1).result().finish_reason == "length"


def test_a_cancelled_generation_frees_the_worker_within_one_token() -> None:
    model = GatedModel()
    worker = ModelWorker(model, queue_size=2, timeout_s=30)
    generation = worker.submit(MESSAGES, max_tokens=100)
    pieces = iter(generation)
    model.gate.release()
    assert next(pieces) == "t0 "
    generation.cancel()
    model.gate.release()  # the one token the worker may still take before it sees the flag
    assert generation.result().finish_reason == "cancelled"
    assert model.generated <= 2
    follow_up = worker.submit(MESSAGES, max_tokens=1)
    model.gate.release()
    assert follow_up.result().text == "t0 "


def test_a_generation_past_its_deadline_is_a_timeout_error() -> None:
    model = GatedModel()
    worker = ModelWorker(model, queue_size=1, timeout_s=0.3)
    generation = worker.submit(MESSAGES, max_tokens=100)
    model.gate.release()
    time.sleep(0.4)
    model.gate.release()
    with pytest.raises(ModelTimeoutError):
        generation.result()


def test_a_backend_crash_is_a_model_error_and_the_worker_keeps_serving() -> None:
    worker = ModelWorker(FailingModel("second answer"), queue_size=1, timeout_s=5)
    with pytest.raises(ModelError, match="GGML_ASSERT"):
        worker.complete(MESSAGES, max_tokens=10)
    assert worker.complete(MESSAGES, max_tokens=10).text == "second answer"


def test_a_prompt_that_cannot_fit_the_context_is_refused_before_queueing() -> None:
    worker = ModelWorker(ScriptedModel(), queue_size=1, timeout_s=5)
    long = [{"role": "user", "content": "word " * 4000}]
    with pytest.raises(InvalidInputError, match="RAG_LLM_N_CTX"):
        worker.submit(long, max_tokens=200)


def test_concurrent_callers_each_get_their_own_whole_answer() -> None:
    replies = [f"answer {n} " + " ".join([f"w{n}"] * 20) for n in range(8)]
    model = ScriptedModel(*replies)
    worker = ModelWorker(model, queue_size=8, timeout_s=30)
    answers: list[str] = []
    lock = threading.Lock()

    def call() -> None:
        text = worker.complete(MESSAGES, max_tokens=100).text
        with lock:
            answers.append(text)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == sorted(replies)
