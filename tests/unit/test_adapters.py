"""LoRA adapters chosen per request or per collection, through the core and the REST API (the
real llama.cpp switch is in tests/integration/test_lora_real.py)."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.errors import ConfigError
from rag.settings import Settings, load_settings
from tests.fakes import HashEmbedder, ScriptedModel

ANSWER = "Customers get 8% off when they buy two or more batteries."
QUESTION = "What discount do customers get for two batteries?"


@pytest.fixture
def adapted(tmp_path: Path, docs: Path):
    settings = Settings(
        data_dir=tmp_path / "data",
        llm_lora_adapters={"sales": tmp_path / "sales.gguf", "legal": tmp_path / "legal.gguf"},
        collection_adapters={"default": "sales"},
    )
    model = ScriptedModel(adapters=frozenset(settings.llm_lora_adapters))
    app = RagApp(settings, embedder=HashEmbedder(), model=model)
    app.indexer.sync([scan_path(docs, 10**6)], "default")
    yield app, model
    app.close()


def test_a_collection_answers_with_its_adapter_unless_the_request_names_one(adapted) -> None:
    app, model = adapted
    model.replies += [ANSWER, ANSWER]
    by_default = app.answers.ask(app.ask_request(QUESTION, "default", 4))
    chosen = app.answers.ask(app.ask_request(QUESTION, "default", 4, adapter="legal"))
    assert model.adapters_used == ["sales", "legal"]
    assert by_default.to_json()["adapter"] == "sales" and chosen.adapter == "legal"


def test_the_api_takes_an_adapter_and_refuses_an_unknown_one(adapted) -> None:
    app, model = adapted
    model.replies += [ANSWER, ANSWER]
    with TestClient(create_app(app.settings, app)) as client:
        query = client.post("/v1/query", json={"question": QUESTION, "adapter": "legal"})
        chat = client.post(
            "/v1/chat/completions",
            json={"messages": [{"role": "user", "content": QUESTION}], "adapter": "legal"},
        )
        unknown = client.post("/v1/query", json={"question": QUESTION, "adapter": "nope"})
    assert query.json()["adapter"] == chat.json()["rag"]["adapter"] == "legal"
    assert unknown.status_code == 400
    assert "unknown LoRA adapter 'nope' (known: legal, sales)" in unknown.text
    assert model.adapters_used == ["legal", "legal"]


def test_a_collection_default_must_name_a_configured_adapter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RAG_COLLECTION_ADAPTERS", '{"default": "missing"}')
    with pytest.raises(ConfigError, match="missing"):
        load_settings()
