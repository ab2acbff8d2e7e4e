"""A client that goes away before its answer is complete frees the model at once: the next
user does not wait out a generation nobody will read (live server, slow scripted model)."""

import time

import httpx
import pytest

from rag.app import RagApp
from tests.fakes import SlowModel

QUESTION = "What discount for two batteries?"
REPLY = "Customers get 8% off when they buy two or more batteries."
CHAT = {"model": "rag:default", "messages": [{"role": "user", "content": QUESTION}]}


@pytest.mark.parametrize(
    ("route", "body"), [("/v1/query", {"question": QUESTION}), ("/v1/chat/completions", CHAT)]
)
def test_a_client_leaving_mid_answer_stops_the_generation(
    slow_app: tuple[RagApp, str], slow: SlowModel, route: str, body: dict[str, object]
) -> None:
    core, url = slow_app
    slow.replies += [" ".join([REPLY] * 100), REPLY]  # 160 tokens at 0.05 s: 8 s to read out
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(url + route, json=body, timeout=httpx.Timeout(10, read=0.5))
    deadline = time.monotonic() + 3
    while core.model_worker.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert core.model_worker.running == 0 and slow.words < 80

    answered = httpx.post(url + route, json=body, timeout=10)  # the model is free again
    assert answered.status_code == 200, answered.text
