"""Feedback that must not break the feedback store: every stored field is bounded (depth, length,
count) at the schema, the export is paginated, a record can be deleted, and a database that
already holds a record from before the bounds is repaired once, when it is opened."""

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app
from rag.app import RagApp
from rag.settings import Settings
from tests.conftest import ReliabilityLog
from tests.fakes import HashEmbedder, ScriptedModel
from tests.hostile.clients import recorded_client

ROW = "feedback abuse (REST)"
NOTES = (
    "sources nested 900 and 100,000 deep, 50 MB and 500 kB strings, 10,000 sources, oversized "
    "question and comment, paging, deleting; a database already holding such records is "
    "repaired once on open and its export answers"
)
GOOD = {
    "rating": 1,
    "question": "What discount for two batteries?",
    "answer": "8% off.",
    "sources": [{"source": "price-list.md", "start": 10, "end": 20, "record": {"item": "AA"}}],
}


def _nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def client(settings: Settings, reliability: ReliabilityLog) -> Iterator[TestClient]:
    with (
        RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel()) as app,
        recorded_client(app, reliability, ROW, NOTES, raise_server_exceptions=False) as client,
    ):
        yield client
    reliability.add(ROW, escapes=0)


def _export(client: TestClient, **params: int) -> dict:
    response = client.get("/v1/feedback", params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("sources", "status"),
    [
        ([{"source": _nested(900)}], 422),
        ([{"source": "x" * 500_000}], 422),
        ([{"source": "x"}] * 10_000, 422),
        ([{f"k{i}": 1 for i in range(1000)}], 422),
        ([{"score": float("nan")}], 422),
    ],
    ids=["900-deep", "500kB-string", "10000-sources", "1000-keys", "nan"],
)
def test_feedback_over_any_bound_is_refused_and_the_export_still_answers(
    client: TestClient, sources: list, status: int
) -> None:
    body = json.dumps({**GOOD, "sources": sources}, allow_nan=True)
    headers = {"content-type": "application/json"}
    response = client.post("/v1/feedback", content=body, headers=headers)
    assert response.status_code == status, response.text[:300]
    assert set(response.json()) == {"error"}
    assert _export(client)["feedback"] == []


def _with(**fields: object) -> str:
    return json.dumps({**GOOD, **fields})


OVERSIZED = {
    "50MB-string": lambda: _with(sources=[{"source": "x" * 50_000_000}]),
    # Too deep for any JSON parser's recursion: written as text.
    "100000-deep": lambda: _with(sources=[{"source": "@"}]).replace(
        '"@"', "[" * 100_000 + "]" * 100_000
    ),
    "long-question": lambda: _with(question="q" * 5000),
    "long-comment": lambda: _with(comment="c" * 5000),
    "long-answer": lambda: _with(answer="a" * 30_000),
}


@pytest.mark.parametrize("make_body", OVERSIZED.values(), ids=OVERSIZED.keys())
def test_oversized_or_unparsable_feedback_is_a_4xx(client: TestClient, make_body) -> None:
    headers = {"content-type": "application/json"}
    response = client.post("/v1/feedback", content=make_body(), headers=headers)
    assert 400 <= response.status_code < 500, response.text[:300]
    assert set(response.json()) == {"error"}
    assert _export(client)["feedback"] == []


def test_the_export_is_paginated_and_a_record_can_be_deleted(client: TestClient) -> None:
    ids = [client.post("/v1/feedback", json=GOOD).json()["id"] for _ in range(5)]
    first = _export(client, limit=2)
    assert [e["id"] for e in first["feedback"]] == ids[:2] and first["total"] == 5
    assert [e["id"] for e in _export(client, limit=2, offset=4)["feedback"]] == ids[4:]
    assert client.get("/v1/feedback", params={"limit": 100_000}).status_code == 422
    assert client.delete(f"/v1/feedback/{ids[0]}").json() == {"deleted": ids[0]}
    assert client.delete(f"/v1/feedback/{ids[0]}").status_code == 404
    assert [e["id"] for e in _export(client)["feedback"]] == ids[1:]


def _old_database(path: Path) -> None:
    """A feedback database as the unbounded API wrote it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE feedback (id TEXT PRIMARY KEY, created_at REAL NOT NULL, rating INTEGER "
        "NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, sources TEXT NOT NULL, comment "
        "TEXT, conversation_id TEXT)"
    )
    rows = [
        ("deep", [{"source": _nested(900)}], "fine"),
        ("huge", [{"source": "x" * 5_000_000}], "c" * 9000),
        ("good", GOOD["sources"], None),
    ]
    for n, (feedback_id, sources, comment) in enumerate(rows):
        db.execute(
            "INSERT INTO feedback VALUES (?, ?, 1, 'q', 'a', ?, ?, NULL)",
            (feedback_id, float(n), json.dumps(sources), comment),
        )
    db.commit()
    db.close()


def test_a_database_already_holding_bad_records_is_repaired_once(
    settings: Settings, reliability: ReliabilityLog
) -> None:
    path = settings.data_dir / "feedback.sqlite3"
    _old_database(path)
    assert path.stat().st_size > 5_000_000
    with (
        RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel()) as app,
        TestClient(create_app(settings, app)) as client,
    ):
        entries = {e["id"]: e for e in _export(client)["feedback"]}
    assert set(entries) == {"deep", "huge", "good"}  # nothing dropped
    assert entries["good"]["sources"] == GOOD["sources"]
    for repaired in ("deep", "huge"):
        assert entries[repaired]["sources"] == []
        assert "repaired" in entries[repaired]["comment"]
    assert len(entries["huge"]["comment"]) <= 4000
    assert path.stat().st_size < 1_000_000  # the space is given back
    reliability.add(ROW, inputs=3, crashes=0, escapes=0)


# Issue 39, item 6: 150 records of 1 MB stored in 1.6 s, and one export page of 152 MB.
BIG = {
    **GOOD,
    "answer": "a" * 20_000,
    "sources": [{"source": f"s{i}.md", "text": "t" * 10_000} for i in range(50)],
}


def test_a_keys_feedback_volume_and_an_export_page_are_bounded_in_bytes(
    client: TestClient,
) -> None:
    from rag.feedback import MAX_PAGE_BYTES, MAX_VOTER_BYTES

    statuses = [client.post("/v1/feedback", json=BIG).status_code for _ in range(150)]
    stored = statuses.count(201)
    assert set(statuses) == {201, 413} and stored * len(json.dumps(BIG)) <= MAX_VOTER_BYTES * 1.1
    refused = client.post("/v1/feedback", json=BIG)
    assert refused.status_code == 413 and refused.json()["error"]["type"] == "TooLargeError"
    page = client.get("/v1/feedback", params={"limit": 1000})
    assert len(page.content) <= MAX_PAGE_BYTES * 1.1
    entries, offset = [], 0
    while offset < page.json()["total"]:
        more = _export(client, offset=offset, limit=1000)["feedback"]
        assert more
        entries += more
        offset += len(more)
    assert len(entries) == stored
