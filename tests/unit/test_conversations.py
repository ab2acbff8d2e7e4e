"""Saved conversations: the store, the REST routes, and conversation ids on /v1/query, chat
completions and `rag ask --conversation`."""

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rag.api import create_app
from rag.app import RagApp
from rag.cli import cli
from rag.connectors.files import scan_path
from rag.conversations import HISTORY_TURNS, ConversationStore
from rag.errors import NotFoundError
from tests.fakes import ScriptedModel

QUESTION = "What discount for two batteries?"
REPLY = "Customers get 8% off when they buy two or more batteries."


@pytest.fixture
def client(rag_app: RagApp, docs: Path):
    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        yield client


def test_the_store_keeps_turns_in_order_and_titles_a_conversation_by_its_first_question(
    tmp_path: Path,
) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    conversation = store.create("default")
    assert conversation["title"] == "" and conversation["collection"] == "default"
    for n in range(HISTORY_TURNS + 2):
        store.append(conversation["id"], f"question {n}", "default", {"answer": f"answer {n}"})
    stored = store.get(conversation["id"])
    assert stored["title"] == "question 0"
    assert [t["question"] for t in stored["turns"]][:2] == ["question 0", "question 1"]
    history = store.history(conversation["id"])
    assert len(history) == 2 * HISTORY_TURNS  # only the last turns go back to the model
    assert history[-2:] == [
        {"role": "user", "content": f"question {HISTORY_TURNS + 1}"},
        {"role": "assistant", "content": f"answer {HISTORY_TURNS + 1}"},
    ]
    store.close()

    reopened = ConversationStore(tmp_path / "c.sqlite3")
    assert len(reopened.get(conversation["id"])["turns"]) == HISTORY_TURNS + 2
    reopened.delete(conversation["id"])
    with pytest.raises(NotFoundError):
        reopened.history(conversation["id"])
    reopened.close()


def test_rest_routes_create_list_read_rename_and_delete(client: TestClient) -> None:
    created = client.post("/v1/conversations", json={"collection": "default"})
    assert created.status_code == 201
    conversation_id = created.json()["id"]
    listed = client.get("/v1/conversations").json()["conversations"]
    assert [c["id"] for c in listed] == [conversation_id]
    assert set(listed[0]) == {"id", "title", "collection", "created_at", "updated_at", "owner"}

    renamed = client.patch(f"/v1/conversations/{conversation_id}", json={"title": " Batteries "})
    assert renamed.json()["title"] == "Batteries"
    assert (
        client.patch(f"/v1/conversations/{conversation_id}", json={"title": "  "}).status_code
        == 422
    )
    assert client.get(f"/v1/conversations/{conversation_id}").json()["turns"] == []

    assert client.delete(f"/v1/conversations/{conversation_id}").json() == {
        "deleted": conversation_id
    }
    for response in (
        client.get(f"/v1/conversations/{conversation_id}"),
        client.delete(f"/v1/conversations/{conversation_id}"),
        client.patch(f"/v1/conversations/{conversation_id}", json={"title": "x"}),
    ):
        assert response.status_code == 404
        assert "does not exist" in response.json()["error"]["message"]


def test_an_invalid_collection_name_is_refused(client: TestClient) -> None:
    response = client.post("/v1/conversations", json={"collection": "My Notes"})
    assert response.status_code == 400 and "invalid collection name" in response.text
    assert client.get("/v1/conversations").json()["conversations"] == []


def test_query_in_a_conversation_appends_a_turn_and_sends_the_stored_turns_as_history(
    client: TestClient, model: ScriptedModel
) -> None:
    conversation_id = client.post("/v1/conversations", json={}).json()["id"]
    model.replies += [REPLY, "The discount is 8%."]
    body = {"question": QUESTION, "conversation_id": conversation_id}
    first = client.post("/v1/query", json=body).json()
    assert first["conversation_id"] == conversation_id and first["turn_id"]

    follow_up = {"question": "And for three?", "conversation_id": conversation_id}
    client.post("/v1/query", json=follow_up)
    second_prompt = " ".join(m["content"] for m in model.prompts[1])
    assert QUESTION in second_prompt and "8% off" in second_prompt

    stored = client.get(f"/v1/conversations/{conversation_id}").json()
    assert stored["title"] == QUESTION
    [turn, _] = stored["turns"]
    assert turn["id"] == first["turn_id"] and turn["question"] == QUESTION
    assert turn["answer"] == first["answer"] and turn["collection"] == "default"
    assert turn["citations"] == first["citations"] and "timings" in turn


def test_without_a_conversation_nothing_is_stored(
    client: TestClient, rag_app: RagApp, model: ScriptedModel
) -> None:
    model.replies.append(REPLY)
    body = client.post("/v1/query", json={"question": QUESTION}).json()
    assert body["conversation_id"] is None and "turn_id" not in body
    assert client.get("/v1/conversations").json()["conversations"] == []


def test_an_unknown_conversation_is_404_and_asks_nothing(
    client: TestClient, model: ScriptedModel
) -> None:
    for path, body in (
        ("/v1/query", {"question": QUESTION, "conversation_id": "nope"}),
        (
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": QUESTION}], "conversation_id": "nope"},
        ),
    ):
        response = client.post(path, json=body)
        assert response.status_code == 404, path
        assert response.json()["error"]["message"] == "conversation 'nope' does not exist"
    assert model.prompts == []


@pytest.mark.parametrize("stream", [False, True])
def test_chat_completions_in_a_conversation_store_the_turn_and_use_stored_history(
    client: TestClient, model: ScriptedModel, stream: bool
) -> None:
    conversation_id = client.post("/v1/conversations", json={}).json()["id"]
    model.replies += [REPLY, "The discount is 8%."]
    for question in (QUESTION, "And for three?"):
        body = {
            "messages": [{"role": "user", "content": question}],  # no history from the client
            "conversation_id": conversation_id,
            "stream": stream,
        }
        response = client.post("/v1/chat/completions", json=body)
        assert response.status_code == 200
    if stream:
        events = [
            json.loads(line[len("data: ") :])
            for line in response.text.splitlines()
            if line.startswith("data: {")
        ]
        shown = events[-1]["rag"]
    else:
        shown = response.json()["rag"]
    turns = client.get(f"/v1/conversations/{conversation_id}").json()["turns"]
    assert [t["question"] for t in turns] == [QUESTION, "And for three?"]
    assert shown["turn_id"] == turns[1]["id"]
    assert "8% off" in " ".join(m["content"] for m in model.prompts[1])


def test_a_conversation_keeps_its_collection_when_a_request_names_none(
    client: TestClient, rag_app: RagApp, model: ScriptedModel
) -> None:
    client.post("/v1/collections", json={"name": "contracts"})
    conversation_id = client.post("/v1/conversations", json={"collection": "contracts"}).json()[
        "id"
    ]
    request = rag_app.ask_request(QUESTION, conversation_id=conversation_id)
    assert request.collection == "contracts"


def test_rag_ask_conversation_continues_a_saved_conversation(
    cli_on_fakes: Path, model: ScriptedModel, docs: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(docs)]).exit_code == 0
    unknown = runner.invoke(cli, ["ask", QUESTION, "--conversation", "nope", "--json"])
    assert isinstance(unknown.exception, NotFoundError)  # `rag` prints it as one line, exit 1

    store = ConversationStore(cli_on_fakes / "conversations.sqlite3")
    conversation_id = store.create("default")["id"]
    model.replies += [REPLY, "The discount is 8%."]
    for question in (QUESTION, "And for three?"):
        result = runner.invoke(cli, ["ask", question, "--conversation", conversation_id, "--json"])
        assert result.exit_code == 0, result.output
    assert json.loads(result.output)["conversation_id"] == conversation_id
    assert "8% off" in " ".join(m["content"] for m in model.prompts[-1])
    assert [t["question"] for t in store.get(conversation_id)["turns"]] == [
        QUESTION,
        "And for three?",
    ]
    store.close()


def test_a_vote_on_a_turn_is_stored_once_and_a_later_vote_replaces_it(
    client: TestClient, rag_app: RagApp, model: ScriptedModel
) -> None:
    conversation_id = client.post("/v1/conversations", json={}).json()["id"]
    model.replies.append(REPLY)
    body = {"question": QUESTION, "conversation_id": conversation_id}
    turn_id = client.post("/v1/query", json=body).json()["turn_id"]

    first = client.post("/v1/feedback", json={"turn_id": turn_id, "rating": -1})
    assert first.status_code == 201
    second = client.post(
        "/v1/feedback", json={"turn_id": turn_id, "rating": 1, "comment": "right after all"}
    )
    assert second.status_code == 201 and second.json()["id"] == first.json()["id"]
    [entry] = rag_app.feedback.entries()
    assert entry["rating"] == 1 and entry["comment"] == "right after all"
    assert entry["turn_id"] == turn_id and entry["question"] == QUESTION
    assert "8% off" in entry["answer"] and entry["sources"][0]["source"].endswith("price-list.md")
    turn = client.get(f"/v1/conversations/{conversation_id}").json()["turns"][0]
    assert turn["feedback"] == {"rating": 1, "comment": "right after all"}


def test_a_vote_on_an_unknown_turn_is_404_and_a_rating_must_be_one_or_minus_one(
    client: TestClient, rag_app: RagApp
) -> None:
    response = client.post("/v1/feedback", json={"turn_id": "nope", "rating": 1})
    assert response.status_code == 404 and "turn 'nope' does not exist" in response.text
    assert client.post("/v1/feedback", json={"turn_id": "nope", "rating": 2}).status_code == 422
    assert client.post("/v1/feedback", json={"rating": 1}).status_code == 422
    assert rag_app.feedback.entries() == []
