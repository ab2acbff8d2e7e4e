import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag.access.auth import (
    Authenticator,
    read_local_token,
    write_local_token,
)
from rag.access.keys import KeyStore, Role, key_hash, new_key, parse_scope
from rag.cli import cli
from rag.errors import InvalidInputError, NotFoundError, UnauthorizedError


@pytest.fixture
def store(tmp_path: Path) -> KeyStore:
    return KeyStore(tmp_path)


def test_a_key_is_stored_only_as_its_sha256_in_a_private_file(store: KeyStore) -> None:
    key = store.create("alice", Role.reader, ("hr",))
    text = store.path.read_text()
    assert key not in text and key_hash(key) in text
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    found = store.lookup(key)
    assert found is not None and found.name == "alice" and found.collections == ("hr",)


def test_a_revoked_key_is_known_as_revoked_and_its_name_stays_taken(store: KeyStore) -> None:
    key = store.create("alice", Role.reader, None)
    store.revoke("alice")
    revoked = store.lookup(key)
    assert revoked is not None and revoked.revoked_at is not None
    with pytest.raises(InvalidInputError, match="was revoked"):
        store.create("alice", Role.reader, None)
    with pytest.raises(NotFoundError, match="no active key"):
        store.revoke("alice")


def test_another_process_writing_the_file_is_seen_at_the_next_lookup(tmp_path: Path) -> None:
    server, cli_side = KeyStore(tmp_path), KeyStore(tmp_path)
    key = cli_side.create("bob", Role.writer, None)
    assert server.lookup(key) is not None
    cli_side.revoke("bob")
    assert server.lookup(key).revoked_at is not None


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "invalid key name"),
        ("a" * 65, "invalid key name"),
        ("x" * 100_000, "invalid key name"),
        ("élodie", "invalid key name"),
        ("a b", "invalid key name"),
        ("../etc", "invalid key name"),
        ("local", "reserved"),
    ],
)
def test_bad_key_names_are_refused(store: KeyStore, name: str, problem: str) -> None:
    with pytest.raises(InvalidInputError, match=problem) as refused:
        store.create(name, Role.reader, None)
    assert len(str(refused.value)) < 300  # a very long name is not echoed whole
    assert not store.path.exists()


def test_scopes() -> None:
    assert parse_scope("hr, finance,hr") == ("finance", "hr")
    assert parse_scope("all") is None
    for bad in ("", "all,hr", "../x", "a" * 65):
        with pytest.raises(InvalidInputError):
            parse_scope(bad)


def _auth(store: KeyStore, api_key: str | None = None, local: str | None = None):
    return Authenticator(store, api_key, local)


def test_an_open_server_until_the_first_key(store: KeyStore) -> None:
    assert _auth(store).caller(None).name == "anonymous"
    store.create("alice", Role.reader, ("hr",))
    with pytest.raises(UnauthorizedError, match="needs an API key"):
        _auth(store).caller(None)


def test_revoking_the_last_key_does_not_open_the_server(store: KeyStore) -> None:
    store.create("alice", Role.reader, None)
    store.revoke("alice")
    with pytest.raises(UnauthorizedError):
        _auth(store).caller(None)


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("rag_abc", "malformed Authorization header"),
        ("Basic dXNlcjpwYXNz", "malformed Authorization header"),
        ("Bearer ", "malformed Authorization header"),
        ("Bearer " + "x" * 10_000, "malformed Authorization header"),
        ("Bearer not-a-key", "malformed API key"),
        ("Bearer rag_" + "A" * 43, "unknown API key"),
        ("Bearer rag_ünïcode", "malformed API key"),
    ],
)
def test_bad_keys_are_a_clear_401(store: KeyStore, header: str, problem: str) -> None:
    store.create("alice", Role.reader, None)
    with pytest.raises(UnauthorizedError, match=problem):
        _auth(store).caller(header)


def test_rag_api_key_and_the_local_token_are_admins(store: KeyStore, tmp_path: Path) -> None:
    token = new_key()
    write_local_token(tmp_path, token)
    assert read_local_token(tmp_path) == token
    assert stat.S_IMODE((tmp_path / "local-token").stat().st_mode) == 0o600
    auth = _auth(store, "s3cret", token)
    assert auth.caller("Bearer s3cret").role is Role.admin
    assert auth.caller(f"Bearer {token}").name == "local"
    key = store.create("carol", Role.writer, ("a", "b"))
    caller = auth.caller(f"bearer {key}")
    assert (caller.name, caller.role, caller.collections) == ("carol", Role.writer, {"a", "b"})


def test_keys_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    made = runner.invoke(
        cli, ["keys", "create", "ops", "--role", "writer", "--collections", "a,b", "--json"]
    )
    assert made.exit_code == 0, made.output
    shown = json.loads(made.stdout)
    assert shown["name"] == "ops" and shown["role"] == "writer"
    assert shown["collections"] == ["a", "b"] and shown["key"].startswith("rag_")
    listed = runner.invoke(cli, ["keys", "list", "--json"])
    assert shown["key"] not in listed.output
    assert json.loads(listed.stdout)["keys"][0]["revoked"] is False
    assert runner.invoke(cli, ["keys", "revoke", "ops"]).exit_code == 0
    assert json.loads(runner.invoke(cli, ["keys", "list", "--json"]).stdout)["keys"][0]["revoked"]


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["create", "é", "--collections", "a"], "error: invalid key name 'é': use 1-64 ASCII"),
        (["create", "x", "--collections", "all,a"], "error: --collections all cannot be combined"),
    ],
)
def test_keys_cli_bad_input_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    argv: list[str],
    error: str,
) -> None:
    from rag.cli import main

    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.argv", ["rag", "keys", *argv, "--role", "reader"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    [line] = err.splitlines()
    assert line.startswith(error) and out == ""
    assert not (tmp_path / "keys.json").exists()


def test_an_admin_key_reaches_every_collection(store: KeyStore) -> None:
    with pytest.raises(InvalidInputError, match="--collections all"):
        store.create("boss", Role.admin, ("hr",))


def test_the_cli_reaches_a_keyed_server_with_its_local_token(
    tmp_path: Path, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rag.api import create_app
    from rag.app import RagApp
    from rag.connectors.files import scan_path
    from rag.settings import Settings
    from tests.fakes import HashEmbedder, ScriptedModel
    from tests.live import free_port, serving

    port = free_port()
    settings = Settings(data_dir=tmp_path / "data", api_url=f"http://127.0.0.1:{port}")
    core = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    core.indexer.sync([scan_path(docs, 10**6)], "default")
    KeyStore(core.data_dir.root).create("someone", Role.reader, ("default",))
    monkeypatch.setenv("RAG_DATA_DIR", str(settings.data_dir))
    token_file = core.data_dir.root / "local-token"
    try:
        with serving(create_app(settings, core), port) as url:
            assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
            import httpx

            assert httpx.get(f"{url}/v1/collections").status_code == 401
            result = CliRunner().invoke(cli, ["search", "warranty cycles", "--json"])
            assert result.exit_code == 0, result.output
            assert json.loads(result.output)["results"]
        assert not token_file.exists()  # withdrawn when the server stops
    finally:
        core.close()


def test_rag_ui_gets_the_local_token_when_no_key_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    token = new_key()
    write_local_token(tmp_path, token)
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path))
    started: list[dict[str, str]] = []
    # `rag ui` becomes the Streamlit server: catch the exec instead.
    monkeypatch.setattr(os, "execve", lambda path, command, env: started.append(env))
    assert CliRunner().invoke(cli, ["ui"]).exit_code == 0
    assert "RAG_API_KEY" not in started[0]
    assert Path(started[0]["RAG_LOCAL_TOKEN_FILE"]).read_text() == token
    monkeypatch.setenv("RAG_API_KEY", "mine")
    CliRunner().invoke(cli, ["ui"])
    assert started[1]["RAG_API_KEY"] == "mine"


def test_a_damaged_key_file_refuses_every_key_in_one_line(
    rag_app, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from rag.api import create_app

    store = KeyStore(rag_app.data_dir.root)
    key = store.create("ana", Role.reader, None)
    store.path.write_text('{"keys": [{"name": "ana"')  # cut short
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        refused = client.get("/v1/collections", headers={"Authorization": f"Bearer {key}"})
    assert refused.status_code == 500
    assert refused.json()["error"]["message"] == "the server cannot read its key file"
    monkeypatch.setenv("RAG_DATA_DIR", str(rag_app.data_dir.root))
    listed = CliRunner().invoke(cli, ["keys", "list"])
    assert listed.exit_code != 0 and "is damaged" in str(listed.exception)
