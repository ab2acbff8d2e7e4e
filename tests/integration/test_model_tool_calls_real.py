"""The bundled model writes tool calls under the registry's grammar: whatever it chooses is JSON
that matches the schema (llama.cpp can generate nothing else), and the loop never fails."""

import json

import pytest

from rag.answer.model_tools import ANSWER, CALL_TOKENS, MAX_STEPS, ModelToolLoop, call_schema
from rag.llm.local import LlamaCppChatModel, bundled_model_path
from rag.llm.worker import ModelWorker
from rag.tools import default_registry

pytestmark = pytest.mark.integration
QUESTIONS = [
    "If I buy 3 boxes at 17.50 each, what do I pay altogether?",
    "Split 90 euros between three people: how much each?",
    "A trip of 240 km at 80 km per hour takes how many hours?",
]


def test_the_grammar_holds_the_small_model_to_valid_calls() -> None:
    model = LlamaCppChatModel(
        bundled_model_path(), n_ctx=2048, n_threads=None, n_batch=256, gpu_layers=0,
        temperature=0.0, repeat_penalty=1.0, seed=0,
    )  # fmt: skip
    worker = ModelWorker(model, queue_size=4, timeout_s=120)
    registry = default_registry()
    schema = call_schema(registry)
    loop = ModelToolLoop(worker)
    for question in QUESTIONS:
        messages = [{"role": "user", "content": question}]
        reply = json.loads(worker.complete(messages, CALL_TOKENS, json_schema=schema).text)
        assert reply["tool"] in {ANSWER, *registry.names()}
        calls = loop.run(question, registry)
        assert len(calls) <= MAX_STEPS and all(c.name in registry.names() for c in calls)
