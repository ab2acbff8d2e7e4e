from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.errors import ModelBusyError
from tests.conftest import N_SAMPLE_DOCS
from tests.fakes import ScriptedModel

# The `rag ask --json` shape (README, "The REST API"): /v1/query's body, chat completions' `rag`.
ASK_KEYS = set(
    "answer abstained conversation_id citations sentences closest_sources tool_calls support "
    "adapter timings".split()
)
CITATION_KEYS = set(
    "id document_id source page start end text score context context_start chunk".split()
)
CITATION_OPTIONAL_KEYS = {"ocr", "ocr_confidence", "record", "view_url"}


@pytest.fixture
def client(rag_app: RagApp, docs: Path):
    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        yield client


def test_health_lists_collections(client: TestClient) -> None:
    body = client.get("/health").json()
    plugins = body.pop("plugins")
    assert body == {
        "status": "ok",
        "store": "ok",
        "collections": ["default"],
        "model": {"loaded": False, "id": None},  # tests load the model on first use
    }
    builtin = {"kind": "reader", "name": "pdf", "distribution": "rag-local", "status": "ok"}
    assert builtin in plugins


def test_health_is_503_when_the_store_fails(
    client: TestClient, rag_app: RagApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> list[str]:
        raise OSError("disk gone")

    monkeypatch.setattr(rag_app.store, "collections", broken)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "store": "unreachable: OSError: disk gone"}


def test_query_returns_the_ask_shape(client: TestClient, model: ScriptedModel) -> None:
    reply = "Customers get 8% off when they buy two or more batteries."
    model.replies.append(reply)
    response = client.post("/v1/query", json={"question": "What discount for two batteries?"})
    assert response.status_code == 200
    assert client.get("/health").json()["model"] == {"loaded": True, "id": "scripted"}
    body = response.json()
    assert set(body) == ASK_KEYS
    assert (body["answer"], body["abstained"], body["conversation_id"]) == (reply, False, None)
    assert body["sentences"] == [{"text": reply, "citations": ["c1"], "supported": True}]
    [citation] = body["citations"]
    assert CITATION_KEYS <= set(citation) <= CITATION_KEYS | CITATION_OPTIONAL_KEYS
    assert citation["id"] == "c1" and citation["source"].endswith("price-list.md")
    start, end = (citation[k] - citation["context_start"] for k in ("start", "end"))
    assert citation["context"][start:end] == citation["text"]
    assert (body["closest_sources"], body["tool_calls"], body["adapter"]) == ([], [], None)
    assert 0 < body["support"] <= 1
    assert all(isinstance(value, int | float) for value in body["timings"].values())


def test_server_records_itself_while_running(rag_app: RagApp, client: TestClient) -> None:
    assert rag_app.data_dir.server_record_path.is_file()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"question": ""}, 422),
        ({"question": "x", "collection": "../etc"}, 400),
        ({"question": "x", "collection": "nope"}, 404),
    ],
)
def test_bad_requests_are_4xx_with_a_message(client: TestClient, body: dict, status: int) -> None:
    response = client.post("/v1/query", json=body)
    assert response.status_code == status
    assert set(response.json()["error"]) == {"type", "message"}


def test_collections_and_documents_routes(client: TestClient) -> None:
    assert client.post("/v1/collections", json={"name": "notes"}).status_code == 201
    names = [c["name"] for c in client.get("/v1/collections").json()["collections"]]
    assert names == ["default", "notes"]

    documents = client.get("/v1/documents", params={"limit": 2}).json()
    assert documents["total"] == N_SAMPLE_DOCS and len(documents["documents"]) == 2

    deleted = client.delete(f"/v1/documents/{documents['documents'][0]['id']}")
    assert deleted.status_code == 200
    assert client.get("/v1/documents").json()["total"] == N_SAMPLE_DOCS - 1
    assert client.delete("/v1/documents/nope").status_code == 404
    assert client.delete("/v1/collections/notes").status_code == 200
    assert client.delete("/v1/collections/notes").status_code == 404


def test_api_key_guards_every_route_but_health(rag_app: RagApp) -> None:
    from pydantic import SecretStr

    settings = rag_app.settings.model_copy(update={"api_key": SecretStr("s3cret")})
    with TestClient(create_app(settings, rag_app)) as client:
        assert client.get("/health").status_code == 200
        denied = client.get("/v1/collections")
        assert denied.status_code == 401 and denied.json()["error"]["type"] == "Unauthorized"
        assert (
            client.get("/v1/collections", headers={"Authorization": "Bearer nope"}).status_code
            == 401
        )
        allowed = client.get("/v1/collections", headers={"Authorization": "Bearer s3cret"})
        assert allowed.status_code == 200


def test_cors_is_off_by_default_and_allows_only_configured_origins(
    client: TestClient, rag_app: RagApp
) -> None:
    page = {"Origin": "https://evil.example"}
    assert "access-control-allow-origin" not in client.get("/v1/collections", headers=page).headers

    from pydantic import SecretStr

    settings = rag_app.settings.model_copy(
        update={"api_cors_origins": ["https://app.example"], "api_key": SecretStr("k")}
    )
    with TestClient(create_app(settings, rag_app)) as configured:
        preflight = configured.options(
            "/v1/query",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
        other = configured.get("/v1/collections", headers={**page, "Authorization": "Bearer k"})
        assert other.status_code == 200
        assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("stream", [False, True])
def test_a_full_model_queue_is_429_with_retry_after(
    client: TestClient, rag_app: RagApp, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    def busy(*args: object, **kwargs: object) -> None:
        raise ModelBusyError("the model is busy", retry_after_s=7)

    monkeypatch.setattr(rag_app.model_worker, "submit", busy)
    body = {"messages": [{"role": "user", "content": "What discount for two batteries?"}]}
    response = client.post("/v1/chat/completions", json={**body, "stream": stream})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.json()["error"]["type"] == "ModelBusyError"


def test_feedback_is_stored_with_question_answer_and_sources(
    client: TestClient, rag_app: RagApp
) -> None:
    body = {
        "rating": -1,
        "question": "What discount for two batteries?",
        "answer": "8% off.",
        "sources": [{"source": "price-list.md", "start": 10, "end": 20}],
        "comment": "right number, wrong product",
    }
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == 201
    [entry] = rag_app.feedback.entries()
    assert entry["id"] == response.json()["id"]
    assert {k: entry[k] for k in body} == body
    assert client.post("/v1/feedback", json={**body, "rating": 5}).status_code == 422
    assert client.get("/v1/feedback").json() == {"feedback": [entry], "total": 1, "offset": 0}


def test_metrics_count_requests_by_route_answer_stages_and_tokens(
    client: TestClient, model: ScriptedModel
) -> None:
    model.replies.append("Customers get 8% off when they buy two or more batteries.")
    client.post("/v1/query", json={"question": "What discount for two batteries?"})
    client.get("/v1/documents/nope")

    text = client.get("/metrics").text

    assert 'rag_http_requests_total{method="POST",route="/v1/query",status="200"} 1.0' in text
    assert 'route="/v1/documents/{document_id}",status="404"' in text
    assert 'rag_answer_stage_seconds_count{stage="generate"} 1.0' in text
    assert "rag_tokens_generated_total 11.0" in text  # one per streamed word
    assert "rag_model_queue_depth 0.0" in text


def test_questions_and_document_text_stay_out_of_info_logs(
    client: TestClient, model: ScriptedModel, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    caplog.set_level(logging.INFO)
    model.replies.append("Customers get 8% off when they buy two or more batteries.")
    question = "What discount applies to two batteries for Ms Quillfeather?"
    assert client.post("/v1/query", json={"question": question}).status_code == 200
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "Quillfeather" not in logged and "8% off" not in logged


def test_a_new_empty_collection_can_be_asked_and_searched(
    client: TestClient, model: ScriptedModel
) -> None:
    assert client.post("/v1/collections", json={"name": "my-notes"}).status_code == 201
    response = client.post(
        "/v1/query", json={"question": "What is in here?", "collection": "my-notes"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["abstained"] and "empty" in body["answer"] and body["citations"] == []
    assert model.prompts == []  # nothing to read, so the model is not asked
    search = client.post("/v1/search", json={"query": "anything", "collection": "my-notes"})
    assert search.status_code == 200 and search.json()["results"] == []
    missing = client.post("/v1/query", json={"question": "Hi?", "collection": "nowhere"})
    assert missing.status_code == 404


def test_a_fresh_server_answers_on_its_default_collection(rag_app: RagApp) -> None:
    """/v1/models lists rag:default before any ingest, so asking it is not an error: nothing
    indexed is nothing found."""
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        response = client.post("/v1/query", json={"question": "What is the K2's warranty?"})
        chat = client.post(
            "/v1/chat/completions",
            json={"model": "rag:default", "messages": [{"role": "user", "content": "Hi?"}]},
        )
    assert response.status_code == 200, response.text
    assert response.json()["abstained"] and not response.json()["citations"]
    assert chat.status_code == 200, chat.text
