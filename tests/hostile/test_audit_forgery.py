"""Issue 39, item 3: the audit log can be neither forged nor wiped without a key. A request path
with a newline, tabs, an escape code or a Unicode line separator stays inside its own entry (one
JSON object per line, every field escaped), `rag audit` prints no control character, and
unauthenticated traffic has a budget of its own, so it cannot rotate keyed entries away."""

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rag.access.audit import read_audit
from rag.access.keys import KeyStore, Role
from rag.app import RagApp
from rag.cli import cli
from rag.settings import Settings
from tests.conftest import ReliabilityLog
from tests.fakes import HashEmbedder, ScriptedModel
from tests.hostile.clients import recorded_client

ROW = "audit log forgery and flooding"
NOTES = (
    "paths with %0a, tabs, %1b[2J, U+2028 and U+0085 forging an admin entry; 10,000 "
    "unauthenticated requests with 2 kB paths after 1,000 keyed ones (1 MiB x 2 parts)"
)
FORGED_ENTRY = "2026-12-06T10:00:00.000+00:00\tadmin1\tDELETE /v1/collections/beta\t-\t200"
FORGED_JSON = json.dumps(
    {
        "time": "2026-12-06T10:00:00.000+00:00",
        "key": "admin1",
        "method": "DELETE",
        "route": "/v1/collections/beta",
        "collection": "beta",
        "status": 200,
    }
)
HOSTILE_PATHS = [
    "/v1/x\n" + FORGED_ENTRY,
    "/v1/x\r\n" + FORGED_ENTRY,
    "/v1/\x1b[2J\x1b[31mcleared",
    "/v1/x\u2028" + FORGED_JSON,
    "/v1/x\x85" + FORGED_JSON,
    "/v1/x\u202e1nimda",
]


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RagApp]:
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    settings = Settings(data_dir=tmp_path / "data", audit_max_bytes=1024 * 1024, audit_backups=2)
    with RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        yield app


@pytest.fixture
def client(app: RagApp, reliability: ReliabilityLog) -> Iterator[TestClient]:
    with recorded_client(app, reliability, ROW, NOTES) as client:
        yield client


def _quoted(path: str) -> str:
    safe = "/-."
    return "".join(c if c.isalnum() or c in safe else f"%{b:02X}" for c in path for b in c.encode())


def _controls(text: str) -> list[str]:
    """Control, format and separator characters, but for the lines and the columns' tabs."""
    return [repr(c) for c in text if unicodedata.category(c)[0] in "CZ" and c not in " \n\t"]


def test_a_hostile_path_cannot_forge_an_entry_nor_reach_the_terminal(
    client: TestClient, app: RagApp, reliability: ReliabilityLog
) -> None:
    token = KeyStore(app.data_dir.root).create("ana", Role.reader, ("default",))
    for path in HOSTILE_PATHS:
        for headers in ({}, {"Authorization": f"Bearer {token}"}):
            response = client.get(_quoted(path), headers=headers)
            assert response.status_code in (401, 404), response.text
    root = app.data_dir.root
    raw = b"".join(part.read_bytes() for part in sorted(root.glob("audit*.jsonl*")))
    lines = raw.split(b"\n")[:-1]
    assert len(lines) == 2 * len(HOSTILE_PATHS) and raw.isascii()
    assert [json.loads(line)["route"] for line in lines if b'"ana"' in line] == HOSTILE_PATHS
    entries = list(read_audit(root))
    assert sorted(e["route"] for e in entries) == sorted(HOSTILE_PATHS * 2)
    assert {e["key"] for e in entries} == {"-", "ana"}
    printed = CliRunner().invoke(cli, ["audit"])
    assert printed.exit_code == 0, printed.output
    assert len(printed.stdout.splitlines()) == 2 * len(HOSTILE_PATHS)
    columns = [line.split("\t") for line in printed.stdout.splitlines()]
    forged = [row for row in columns if len(row) != 5 or row[1] not in ("-", "ana")]
    forged += CliRunner().invoke(cli, ["audit", "--key", "admin1"]).stdout.splitlines()
    leaks = [*forged, *_controls(printed.stdout)]  # a forged entry, or a code for the terminal
    assert leaks == []
    reliability.add(ROW, escapes=0, leaks=len(leaks))


def test_an_unauthenticated_burst_leaves_the_keyed_entries(
    client: TestClient, app: RagApp, reliability: ReliabilityLog
) -> None:
    token = KeyStore(app.data_dir.root).create("ana", Role.reader, ("default",))
    keyed = {"Authorization": f"Bearer {token}"}
    for i in range(1000):
        assert client.get(f"/v1/collections?i={i}", headers=keyed).status_code == 200
    long_path = "/v1/" + "a" * 2000
    for i in range(10_000):
        headers = {"Authorization": "Bearer wrong"} if i % 2 else {}
        assert client.get(f"{long_path}{i}", headers=headers).status_code == 401
    entries = list(read_audit(app.data_dir.root, key="ana"))
    assert all(e["route"] == "/v1/collections" and e["status"] == 200 for e in entries)
    pushed_out = 1000 - len(entries)
    assert pushed_out == 0
    reliability.add(ROW, escapes=0, leaks=pushed_out)
