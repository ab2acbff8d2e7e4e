"""Stop while searching (issue 36): a client that hangs up before its answer's generation
starts stops the work still ahead (ranking, the model), and the question stays in its
conversation marked stopped; a regenerated answer replaces the last one and keeps it."""

import json
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.fakes import HashEmbedder, SlowModel
from tests.live import free_port, serving
from tests.unit.test_api_disconnect import QUESTION, REPLY, _until


class GatedEmbedder(HashEmbedder):
    """Once `hold` is set, every batch of documents waits for `gate`: a search held in its
    ranking step for as long as the test needs."""

    def __init__(self) -> None:
        self.hold = False
        self.gate = threading.Event()
        self.batches = 0

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if self.hold:
            self.batches += 1
            self.gate.wait(30)
        return super().embed_documents(texts)


@pytest.fixture
def gated() -> GatedEmbedder:
    return GatedEmbedder()


@pytest.fixture
def served(
    settings: Settings, gated: GatedEmbedder, slow: SlowModel, docs: Path
) -> Iterator[tuple[RagApp, str]]:
    core = RagApp(settings, embedder=gated, model=slow)
    core.indexer.sync([scan_path(docs, settings.max_file_bytes)], "default")
    try:
        with serving(create_app(settings, core), free_port()) as url:
            yield core, url
    finally:
        gated.gate.set()
        core.close()


def _hang_up_when(url: str, route: str, body: dict[str, object], ready: Callable[[], bool]):
    address = urlsplit(url)
    payload = json.dumps(body).encode()
    head = (
        f"POST {route} HTTP/1.1\r\nHost: {address.hostname}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port)) as connection:
        connection.sendall(head.encode() + payload)
        _until(ready, "the search to start ranking")


def _turns(url: str, conversation_id: str) -> list[dict[str, object]]:
    return httpx.get(f"{url}/v1/conversations/{conversation_id}").json()["turns"]


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("/v1/query", {"question": QUESTION}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": QUESTION}]}),
        (
            "/v1/chat/completions",
            {"messages": [{"role": "user", "content": QUESTION}], "stream": True},
        ),
    ],
)
def test_hanging_up_while_searching_stops_the_search_and_keeps_a_stopped_turn(
    served: tuple[RagApp, str],
    gated: GatedEmbedder,
    slow: SlowModel,
    route: str,
    body: dict[str, object],
) -> None:
    core, url = served
    conversation = httpx.post(f"{url}/v1/conversations", json={}).json()["id"]
    slow.replies.append(REPLY)
    gated.hold = True
    _hang_up_when(url, route, {**body, "conversation_id": conversation}, lambda: gated.batches)
    # The server notices the hang-up while the search is held, before it could go on.
    _until(lambda: _turns(url, conversation), "the stopped turn")
    gated.gate.set()
    _until(lambda: core.model_worker.running == 0, "the answer's thread to end")
    [turn] = _turns(url, conversation)
    assert turn["stopped"] is True and turn["question"] == QUESTION
    assert turn["answer"] == ""
    assert gated.batches == 1  # the ranking stopped at its next step
    assert slow.words == 0 and slow.prompts == []  # the model never ran


def test_hanging_up_mid_answer_keeps_what_was_shown_marked_stopped(
    served: tuple[RagApp, str], slow: SlowModel
) -> None:
    core, url = served
    conversation = httpx.post(f"{url}/v1/conversations", json={}).json()["id"]
    slow.replies.append(" ".join([REPLY] * 100))
    body = {
        "messages": [{"role": "user", "content": QUESTION}],
        "stream": True,
        "conversation_id": conversation,
    }
    _hang_up_when(url, "/v1/chat/completions", body, lambda: slow.words > 0)
    _until(lambda: _turns(url, conversation), "the stopped turn")
    _until(lambda: core.model_worker.running == 0, "the model to be freed")
    [turn] = _turns(url, conversation)
    assert turn["stopped"] is True


def test_regenerate_replaces_the_last_answer_and_keeps_the_earlier_one(
    served: tuple[RagApp, str], slow: SlowModel
) -> None:
    _, url = served
    slow.seconds_per_word = 0
    conversation = httpx.post(f"{url}/v1/conversations", json={}).json()["id"]
    body = {"question": QUESTION, "conversation_id": conversation}
    slow.replies.append(REPLY)
    first = httpx.post(f"{url}/v1/query", json=body, timeout=30).json()
    slow.replies.append(REPLY)
    again = httpx.post(f"{url}/v1/query", json={**body, "regenerate": True}, timeout=30)
    assert again.status_code == 200, again.text
    [turn] = _turns(url, conversation)  # no second copy of the question
    assert turn["id"] == again.json()["turn_id"] != first["turn_id"]
    assert [e["answer"] for e in turn["earlier"]] == [first["answer"]]
    # Asked again as the first time: the answer it replaces is not in its history.
    assert len(slow.prompts) == 2 and slow.prompts[1] == slow.prompts[0]


def test_regenerate_refuses_a_question_that_is_not_the_last(served: tuple[RagApp, str]) -> None:
    _, url = served
    conversation = httpx.post(f"{url}/v1/conversations", json={}).json()["id"]
    body = {"question": QUESTION, "conversation_id": conversation, "regenerate": True}
    refused = httpx.post(f"{url}/v1/query", json=body, timeout=30)
    assert refused.status_code == 400
    assert "last question" in refused.json()["error"]["message"]
    stateless = httpx.post(f"{url}/v1/query", json={"question": QUESTION, "regenerate": True})
    assert stateless.status_code == 400
