import json
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rag.access.audit import AuditLog, parse_since, read_audit
from rag.access.keys import KeyStore, Role
from rag.api import create_app
from rag.app import RagApp
from rag.cli import cli
from rag.connectors.files import scan_path
from rag.errors import InvalidInputError

QUESTION = "What does the Aurora K2 warranty cover?"


def _client(rag_app: RagApp, docs: Path, **settings: object) -> tuple[TestClient, str]:
    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    token = KeyStore(rag_app.data_dir.root).create("ana", Role.reader, ("default",))
    app = create_app(rag_app.settings.model_copy(update=settings), rag_app)
    return TestClient(app), token


def test_each_request_is_one_line_without_the_question(rag_app: RagApp, docs: Path) -> None:
    client, token = _client(rag_app, docs)
    headers = {"Authorization": f"Bearer {token}"}
    with client:
        client.post("/v1/search", json={"query": QUESTION}, headers=headers)
        client.post("/v1/search", json={"query": QUESTION, "collection": "hr"}, headers=headers)
        client.get("/v1/collections")
    log = rag_app.data_dir.root / "audit.jsonl"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert QUESTION not in log.read_text()
    entries = list(read_audit(rag_app.data_dir.root))
    shown = [(e["key"], e["method"], e["route"], e["collection"], e["status"]) for e in entries]
    assert shown == [
        ("ana", "POST", "/v1/search", "default", 200),
        ("ana", "POST", "/v1/search", "hr", 404),
        ("-", "GET", "/v1/collections", None, 401),
    ]


def test_the_question_is_kept_only_when_asked_for(rag_app: RagApp, docs: Path) -> None:
    client, token = _client(rag_app, docs, audit_content=True)
    with client:
        client.post(
            "/v1/search", json={"query": QUESTION}, headers={"Authorization": f"Bearer {token}"}
        )
    assert [e.get("content") for e in read_audit(rag_app.data_dir.root)] == [QUESTION]


def test_the_log_is_rotated_by_size(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, max_bytes=1024, backups=2, content=False)
    for i in range(100):
        log.record(f"key{i}", "GET", "/v1/collections", [], 200)
    parts = sorted(p.name for p in tmp_path.iterdir())
    assert parts == ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"]
    assert all(p.stat().st_size <= 1024 + 200 for p in tmp_path.iterdir())
    keys = [e["key"] for e in read_audit(tmp_path)]
    assert keys == sorted(keys, key=lambda k: int(k[3:]))  # oldest first, across the parts
    assert keys[-1] == "key99"


def test_rag_audit_filters_by_key_and_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = AuditLog(tmp_path, max_bytes=10**6, backups=1, content=False)
    log.record("ana", "POST", "/v1/query", ["hr"], 200)
    log.record("bob", "GET", "/v1/documents", ["finance"], 404)
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    only_bob = runner.invoke(cli, ["audit", "--key", "bob", "--json"])
    assert [json.loads(line)["collection"] for line in only_bob.stdout.splitlines()] == ["finance"]
    assert runner.invoke(cli, ["audit", "--since", "1h"]).stdout.count("\n") == 2
    assert runner.invoke(cli, ["audit", "--since", "2999-01-01"]).stdout == ""


def test_since_forms() -> None:
    assert parse_since("2h", now=10_000.0) == 10_000.0 - 7200
    assert parse_since("2026-11-30T10:00") == parse_since("2026-11-30T10:00+00:00")
    for bad in ("yesterday", "5w", ""):
        with pytest.raises(InvalidInputError, match="--since"):
            parse_since(bad)
