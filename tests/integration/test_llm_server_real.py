"""The remote backend against a real OpenAI-compatible server: llama-cpp-python's own, serving
the bundled GGUF in its own process on a free port, stopped when each test ends (pass or fail).
No test asserts the model's words (they differ between CPUs)."""

import json
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import jsonschema
import openai
import pytest

from rag.answer.model_tools import CALL_TOKENS, MAX_STEPS, ModelToolLoop, call_schema
from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.errors import ModelError
from rag.llm.remote import RemoteChatModel
from rag.llm.worker import ModelWorker
from rag.settings import Settings
from rag.tools import default_registry
from tests.conftest import SAMPLE_DOCS
from tests.live import free_port, serving
from tests.llama_server import LlamaServer, llama_server

pytestmark = pytest.mark.integration
N_CTX = 2048
LEAVE = "How many days of annual leave do full-time employees get?"
STORY = [{"role": "user", "content": "Write a long story about a dragon who learns to cook."}]
TOOL_QUESTIONS = [
    "If I buy 3 boxes at 17.50 each, what do I pay altogether?",
    "A trip of 240 km at 80 km per hour takes how many hours?",
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LlamaServer]:
    with llama_server(free_port(), tmp_path / "llama-server.log", N_CTX) as running:
        yield running


def _worker(url: str, backoff_s: float = 1.0) -> ModelWorker:
    model = RemoteChatModel(
        url, "default", api_key=None, n_ctx=N_CTX, parallel=2, timeout_s=120, temperature=0,
        backoff_s=backoff_s,
    )  # fmt: skip
    return ModelWorker(model, queue_size=4, timeout_s=120)


def test_a_question_is_answered_and_streamed_through_the_server(
    server: LlamaServer, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLE_DOCS / "employee-handbook.md", docs)
    settings = Settings(data_dir=tmp_path / "data", llm_url=server.url, llm_n_ctx=N_CTX)
    with RagApp(settings) as app:
        app.indexer.sync([scan_path(docs, 10**7)], "default")
        with serving(create_app(settings, app), free_port()) as url:
            client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0)
            chunks = list(
                client.chat.completions.create(
                    model="rag:default",
                    messages=[{"role": "user", "content": LEAVE}],
                    stream=True,
                )
            )

    assert server.completions_served() >= 1  # the answer was generated there
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    extension = chunks[-1].model_extra["rag"]
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert text == extension["answer"] and not extension["abstained"]
    assert extension["timings"]["first_token_ms"] > 0  # streamed from the model, not quoted
    assert all(c["source"].endswith("employee-handbook.md") for c in extension["citations"])


def test_the_server_writes_tool_calls_as_structured_output(server: LlamaServer) -> None:
    worker = _worker(server.url)
    registry = default_registry()
    schema = call_schema(registry)
    for question in TOOL_QUESTIONS:
        messages = [{"role": "user", "content": question}]
        reply = json.loads(worker.complete(messages, CALL_TOKENS, json_schema=schema).text)
        jsonschema.validate(reply, schema)  # the server's grammar allowed nothing else
        calls = ModelToolLoop(worker).run(question, registry)
        assert len(calls) <= MAX_STEPS and all(c.name in registry.names() for c in calls)
    assert worker.model.pool.endpoints[0].schema_as_json_object  # its form, learnt once


def test_a_server_killed_mid_stream_is_a_clear_error_and_the_next_request_recovers(
    tmp_path: Path,
) -> None:
    with ExitStack() as servers:
        a, b = (
            servers.enter_context(llama_server(free_port(), tmp_path / f"{name}.log", N_CTX))
            for name in "ab"
        )
        worker = _worker(f"{a.url},{b.url}", backoff_s=1.0)
        hello = [{"role": "user", "content": "Say hello."}]
        for _ in range(2):
            worker.complete(hello, max_tokens=4)
        assert (a.completions_served(), b.completions_served()) == (1, 1)  # spread

        pieces = iter(worker.submit(STORY, max_tokens=400))
        next(pieces)  # the first text is out: no other server may take over now
        a.process.kill()
        a.process.wait()
        with pytest.raises(ModelError, match=rf"{a.url} stopped in the middle of the answer"):
            for _ in pieces:
                pass

        assert worker.complete(hello, max_tokens=8).completion_tokens > 0
        assert worker.complete(hello, max_tokens=8).completion_tokens > 0
        assert b.completions_served() == 3  # a rests: both went to b

        # a, back on its port once its back-off has passed, takes its turn again.
        with llama_server(a.port, tmp_path / "a-again.log", N_CTX) as again:
            time.sleep(1.0)
            for _ in range(2):
                worker.complete(hello, max_tokens=4)
            assert again.completions_served() == 1
