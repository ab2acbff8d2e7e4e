"""`GET /v1/models`: the card of the generator, and the configured vs the loaded model."""

from pathlib import Path

from fastapi.testclient import TestClient

from rag.access.keys import KeyStore, Role
from rag.api import create_app
from rag.app import RagApp
from rag.models.choice import use_model
from rag.settings import Settings
from tests.fakes import HashEmbedder
from tests.tiny_gguf import write_tiny_llama

GIB = 1 << 30


def test_models_carry_the_card_and_a_switch_shows_until_restart(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    app = RagApp(settings, embedder=HashEmbedder())
    app.catalog.create("handbook")
    app.model  # noqa: B018 - built (not loaded: weights load on first use), as the server does
    try:
        with TestClient(create_app(settings, app)) as client:
            before = client.get("/v1/models").json()
            tiny = write_tiny_llama(tmp_path / "tiny.gguf")
            use_model(settings, str(tiny), accept_licence=False, memory_available=lambda: GIB)
            after = client.get("/v1/models").json()
    finally:
        app.close()
    assert [m["id"] for m in before["data"]] == ["rag:default", "rag:handbook"]
    card = before["data"][0]["card"]
    assert (card["name"], card["quantization"], card["licence_class"]) == (
        "bundled",
        "Q4_1",
        "permissive",
    )
    assert card["context_length"] == 8192 and card["ram_bytes"] > card["file_bytes"]
    assert before["loaded"]["name"] == before["configured"]["name"] == "bundled"
    assert before["restart_needed"] is False
    assert after["configured"]["name"] == "tiny" and after["configured"]["origin"] == "chosen"
    assert after["loaded"]["name"] == "bundled"
    assert after["restart_needed"] is True
    assert after["data"][0]["card"]["name"] == "bundled"  # what answers now


def test_a_model_not_yet_built_shows_as_configured_only(rag_app: RagApp) -> None:
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        body = client.get("/v1/models").json()
    assert body["loaded"] is None and body["restart_needed"] is False
    assert body["configured"]["name"] == "bundled"


def test_a_remote_model_is_named_with_its_server(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", llm_url="http://127.0.0.1:9/v1")
    app = RagApp(settings, embedder=HashEmbedder())
    try:
        with TestClient(create_app(settings, app)) as client:
            body = client.get("/v1/models").json()
    finally:
        app.close()
    assert body["configured"] == {"name": "default", "remote": "http://127.0.0.1:9/v1"}


def test_a_fresh_server_lists_the_default_collection_with_the_card(rag_app: RagApp) -> None:
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        body = client.get("/v1/models").json()
    assert rag_app.catalog.collections() == []  # nothing ingested, nothing created
    assert [m["id"] for m in body["data"]] == ["rag:default"]
    assert body["data"][0]["card"]["name"] == "bundled"


def test_a_scoped_key_lists_only_the_collections_it_may_read(rag_app: RagApp) -> None:
    for name in ("handbook", "payroll"):
        rag_app.catalog.create(name)
    keys = KeyStore(rag_app.data_dir.root)
    handbook = keys.create("reader", Role.reader, ("handbook",))
    default = keys.create("default-reader", Role.reader, ("default",))
    admin = keys.create("admin", Role.admin, None)

    def listed(key: str | None) -> list[str] | int:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        reply = client.get("/v1/models", headers=headers)
        return [m["id"] for m in reply.json()["data"]] if reply.is_success else reply.status_code

    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        assert listed(handbook) == ["rag:handbook"]
        assert listed(default) == ["rag:default"]
        assert listed(admin) == ["rag:default", "rag:handbook", "rag:payroll"]
        assert listed(None) == 401
