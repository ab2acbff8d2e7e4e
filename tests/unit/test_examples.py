"""Example questions (issue 36): taken from what the documents state, offered only when the
answer stage answers them with support, found once per collection version (live API on the
hash embedder; the scripted model says nothing, so answers are the verified quote)."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rag.api import create_app
from rag.app import RagApp
from rag.app.examples import candidate_questions
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.live import free_port, serving

TEXT = """Brightwater Labs FAQ

How long does an installation take?
A standard installation of one Aurora K2 takes about five hours.

Is this a question without an answer?
Why ask twice?

| Specification | Value |
|---|---|
| Usable capacity | 13.5 kWh |
| Colour | white |

| Product | Code | Price |
|---|---|---|
| Solar Gateway G3 | BW-G3 | 1,290 |

The warranty period is 10 years. The box is heavy.
"""


def test_candidates_are_the_facts_a_document_states() -> None:
    assert candidate_questions(TEXT) == [
        "How long does an installation take?",  # an FAQ entry with its answer
        "What is the usable capacity?",  # a row under a generic 'Value' column
        "What is the price of Solar Gateway G3?",
        "What is the warranty period?",  # a sentence stating a figure
    ]


@pytest.fixture
def served(settings: Settings, docs: Path, model: ScriptedModel) -> Iterator[tuple[RagApp, str]]:
    core = RagApp(settings, embedder=HashEmbedder(), model=model)
    core.indexer.sync([scan_path(docs, settings.max_file_bytes)], "default")
    try:
        with serving(create_app(settings, core), free_port()) as url:
            yield core, url
    finally:
        core.close()


def test_every_offered_example_answers_with_support(
    served: tuple[RagApp, str], model: ScriptedModel
) -> None:
    core, url = served
    questions = httpx.get(f"{url}/v1/examples", params={"collection": "default"}, timeout=120)
    assert questions.status_code == 200, questions.text
    offered = questions.json()["questions"]
    assert len(offered) == 3
    assert model.prompts == []  # checked without the model
    for question in offered:
        answer = httpx.post(f"{url}/v1/query", json={"question": question}, timeout=60).json()
        assert not answer["abstained"], question
        assert answer["sentences"] and all(s["supported"] for s in answer["sentences"])
        assert answer["citations"], question

    # Found once per collection version: asked again, the same questions.
    assert httpx.get(f"{url}/v1/examples", timeout=60).json()["questions"] == offered


def test_an_empty_or_unknown_collection(served: tuple[RagApp, str]) -> None:
    core, url = served
    core.catalog.create("empty")
    empty = httpx.get(f"{url}/v1/examples", params={"collection": "empty"}, timeout=30)
    assert empty.status_code == 200 and empty.json()["questions"] == []
    unknown = httpx.get(f"{url}/v1/examples", params={"collection": "nope"}, timeout=30)
    assert unknown.status_code == 404
