"""A client that goes away before its answer is complete frees the model at once: the next
user does not wait out a generation nobody will read (live server, slow scripted model)."""

import json
import socket
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import pytest

from rag.app import RagApp
from tests.fakes import SlowModel

QUESTION = "What discount for two batteries?"
REPLY = "Customers get 8% off when they buy two or more batteries."
CHAT = {"model": "rag:default", "messages": [{"role": "user", "content": QUESTION}]}
WHOLE_ANSWER = 160  # words the long reply streams when nobody stops it (its token limit)


def _until(condition: Callable[[], bool], what: str, limit_s: float = 30.0) -> None:
    """Wait for `condition`; the limit only keeps a broken build from hanging the suite."""
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.02)


def _leave_mid_answer(url: str, route: str, body: dict[str, object], slow: SlowModel) -> None:
    """Send the request, wait until the model has written its first word, then hang up."""
    address = urlsplit(url)
    payload = json.dumps(body).encode()
    head = (
        f"POST {route} HTTP/1.1\r\nHost: {address.hostname}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port)) as connection:
        connection.sendall(head.encode() + payload)
        _until(lambda: slow.words > 0, "the first word")


@pytest.mark.parametrize(
    ("route", "body"), [("/v1/query", {"question": QUESTION}), ("/v1/chat/completions", CHAT)]
)
def test_a_client_leaving_mid_answer_stops_the_generation(
    slow_app: tuple[RagApp, str], slow: SlowModel, route: str, body: dict[str, object]
) -> None:
    core, url = slow_app
    slow.replies += [" ".join([REPLY] * 100), REPLY]  # 160 tokens at 0.05 s: 8 s to read out
    _leave_mid_answer(url, route, body, slow)
    _until(lambda: core.model_worker.running == 0, "the model to be freed")
    assert slow.words < WHOLE_ANSWER  # stopped, not read out to nobody

    answered = httpx.post(url + route, json=body, timeout=10)  # the model is free again
    assert answered.status_code == 200, answered.text
