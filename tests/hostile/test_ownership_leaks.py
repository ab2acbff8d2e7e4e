"""Issue 39, item 5: what one key did is not another's to learn of or undo. Feedback on another
key's turn reads like feedback on a turn that does not exist (it named the conversation's id);
another key cannot end an MCP session given its id; `/mcp` answers errors in the API's format
(`error.type`, `error.message`), JSON-RPC's fields kept beside it for MCP clients."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from rag.access.keys import KeyStore, Role
from rag.app import RagApp
from rag.settings import Settings
from tests.conftest import ReliabilityLog
from tests.fakes import HashEmbedder, ScriptedModel
from tests.hostile.clients import recorded_client

ROW = "other keys' conversations and MCP sessions"
NOTES = (
    "feedback on another key's turn and on an unknown one; DELETE and use of another key's MCP "
    "session; /mcp without a session, with a bad body, with an unknown session"
)
MCP_ACCEPT = "application/json, text/event-stream"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "probe", "version": "1"},
    },
}
TOOLS_LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}


@pytest.fixture
def app(tmp_path: Path) -> Iterator[RagApp]:
    settings = Settings(data_dir=tmp_path / "data")
    with RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        yield app


@pytest.fixture
def client(app: RagApp, reliability: ReliabilityLog) -> Iterator[TestClient]:
    # A loopback host: the MCP SDK checks Host against DNS rebinding.
    with recorded_client(app, reliability, ROW, NOTES, base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.fixture
def keys(app: RagApp) -> dict[str, dict[str, str]]:
    store = KeyStore(app.data_dir.root)
    return {
        name: {"Authorization": f"Bearer {store.create(name, Role.reader, ('default',))}"}
        for name in ("ana", "bob")
    }


def _message(refused: httpx.Response, turn_id: str) -> str:
    return refused.json()["error"]["message"].replace(turn_id, "X")


def test_feedback_on_another_keys_turn_does_not_name_its_conversation(
    client: TestClient, keys: dict[str, dict[str, str]], reliability: ReliabilityLog
) -> None:
    admin = KeyStore(client.app.state.rag.data_dir.root).create("root", Role.admin, None)
    client.post(
        "/v1/documents",
        files={"files": ("parking.txt", b"Visitors park in bay C next to the dock.\n")},
        headers={"Authorization": f"Bearer {admin}"},
    )
    conversation = client.post(
        "/v1/conversations", json={"collection": "default"}, headers=keys["ana"]
    ).json()
    asked = client.post(
        "/v1/query",
        json={"question": "Where do visitors park?", "conversation_id": conversation["id"]},
        headers=keys["ana"],
    )
    assert asked.status_code == 200, asked.text
    turns = client.get(f"/v1/conversations/{conversation['id']}", headers=keys["ana"]).json()
    turn_id = turns["turns"][0]["id"]
    theirs = client.post(
        "/v1/feedback", json={"turn_id": turn_id, "rating": 1}, headers=keys["bob"]
    )
    unknown = client.post(
        "/v1/feedback", json={"turn_id": "no-such-turn", "rating": 1}, headers=keys["bob"]
    )
    assert unknown.status_code == 404, unknown.text
    like_unknown = theirs.status_code == 404 and _message(theirs, turn_id) == _message(
        unknown, "no-such-turn"
    )
    told = {
        "its conversation's id": conversation["id"] in theirs.text,
        "an answer unlike an unknown turn's": not like_unknown,
    }
    leaks = [what for what, leaked in told.items() if leaked]
    assert leaks == [], (leaks, theirs.text)
    reliability.add(ROW, escapes=0, leaks=len(leaks))


def _open_session(client: TestClient, headers: dict[str, str]) -> str:
    opened = client.post("/mcp", json=INITIALIZE, headers={**headers, "Accept": MCP_ACCEPT})
    assert opened.status_code == 200, opened.text
    return opened.headers["mcp-session-id"]


def test_another_key_can_neither_end_nor_use_an_mcp_session(
    client: TestClient, keys: dict[str, dict[str, str]], reliability: ReliabilityLog
) -> None:
    session = _open_session(client, keys["ana"])
    as_bob = {**keys["bob"], "Accept": MCP_ACCEPT, "mcp-session-id": session}
    ended = client.delete("/mcp", headers=as_bob)
    used = client.post("/mcp", json=TOOLS_LIST, headers=as_bob)
    unknown = client.delete("/mcp", headers={**as_bob, "mcp-session-id": "0" * 32})
    assert unknown.status_code == 404, unknown.text
    as_ana = {**keys["ana"], "Accept": MCP_ACCEPT, "mcp-session-id": session}
    still = client.post("/mcp", json=TOOLS_LIST, headers=as_ana)
    # Bob's requests must read like requests on a session that does not exist, and change nothing.
    leaks = [
        refused.text
        for refused in (ended, used)
        if refused.status_code != 404 or refused.json() != unknown.json()
    ] + ([] if still.status_code == 200 and "search" in still.text else [still.text])
    assert leaks == []
    assert client.delete("/mcp", headers=as_ana).status_code == 200
    assert client.post("/mcp", json=TOOLS_LIST, headers=as_ana).status_code == 404
    reliability.add(ROW, escapes=0, leaks=len(leaks))


@pytest.mark.parametrize(
    ("method", "body", "session", "status"),
    [
        ("POST", TOOLS_LIST, None, 400),  # no session
        ("POST", b"{bad", None, 400),  # not JSON
        ("GET", None, None, 400),
        ("POST", TOOLS_LIST, "0" * 32, 404),  # an unknown session
        ("PUT", TOOLS_LIST, None, 405),
    ],
    ids=["no-session", "bad-json", "get-no-session", "unknown-session", "put"],
)
def test_mcp_errors_are_in_the_apis_format(
    client: TestClient,
    keys: dict[str, dict[str, str]],
    method: str,
    body: object,
    session: str | None,
    status: int,
) -> None:
    headers = {**keys["ana"], "Accept": MCP_ACCEPT, "content-type": "application/json"}
    if session:
        headers["mcp-session-id"] = session
    content = body if isinstance(body, bytes) else None
    json_body = None if isinstance(body, bytes) else body
    response = client.request(method, "/mcp", json=json_body, content=content, headers=headers)
    assert response.status_code == status, response.text
    error = response.json()["error"]  # JSON-RPC's jsonrpc, id and error.code beside it
    assert isinstance(error["type"], str) and error["message"], error
