"""Keys, callers and the audit log at their edges: exact messages and shapes, the order of many
rotated parts, damaged lines, time zones. Each test fails when the guard it names is removed
(the mutation run, tests/mutation.py, checks that)."""

import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rag.access.audit import AUDIT_FILE, AuditLog, parse_since, read_audit
from rag.access.auth import Authenticator
from rag.access.caller import Caller, anonymous
from rag.access.keys import ApiKey, KeyStore, Role, check_key_name, key_hash, parse_scope
from rag.errors import ForbiddenError, InvalidInputError, NotFoundError, UnauthorizedError


def test_rag_api_key_alone_closes_the_server_and_is_an_admin(tmp_path: Path) -> None:
    auth = Authenticator(KeyStore(tmp_path), api_key="s3cret", local_token=None)
    assert not auth.open
    with pytest.raises(UnauthorizedError) as refused:
        auth.caller(None)
    assert str(refused.value) == "this server needs an API key: send Authorization: Bearer <key>"
    assert auth.caller("Bearer s3cret") == Caller("RAG_API_KEY", Role.admin)


def test_an_open_server_answers_as_an_anonymous_admin() -> None:
    assert anonymous() == Caller("anonymous", Role.admin)


def test_a_thing_found_by_id_needs_the_role_as_well_as_the_scope() -> None:
    reader = Caller("ana", Role.reader, frozenset({"hr"}))
    with pytest.raises(ForbiddenError) as refused:
        reader.allow_found("hr", "document 'd1' does not exist", Role.writer)
    assert str(refused.value) == "key 'ana' has role reader; this needs writer"
    with pytest.raises(NotFoundError) as missing:
        reader.allow_found("finance", "document 'd1' does not exist")
    assert str(missing.value) == "document 'd1' does not exist"


def test_a_conversation_in_another_collection_does_not_exist_for_the_caller() -> None:
    class Conversations:
        def summary(self, conversation_id: str) -> dict[str, str]:
            return {"owner": "ana", "collection": "finance"}

    reader = Caller("ana", Role.reader, frozenset({"hr"}))
    with pytest.raises(NotFoundError) as missing:
        reader.allow_conversation(Conversations(), "c1")  # type: ignore[arg-type]
    assert str(missing.value) == "conversation 'c1' does not exist"


def test_a_key_lists_as_its_name_role_scope_and_state_never_its_hash() -> None:
    key = ApiKey("ana", Role.writer, ("hr",), "sha256:ab", 1.5, revoked_at=2.5)
    assert key.to_json() == {
        "name": "ana",
        "role": "writer",
        "collections": ["hr"],
        "created_at": 1.5,
        "revoked": True,
    }
    every = ApiKey("bob", Role.admin, None, "sha256:cd", 1.5)
    assert every.to_json()["collections"] == "all" and not every.to_json()["revoked"]


@pytest.mark.parametrize(("length", "shown"), [(80, "é" * 80), (81, "é" * 80 + "…")])
def test_a_long_bad_key_name_is_shown_cut_at_80(length: int, shown: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        check_key_name("é" * length)
    assert str(refused.value) == (
        f"invalid key name {shown!r}: use 1-64 ASCII letters, digits, '.', '-' or '_', "
        "starting with a letter or digit"
    )


def test_an_empty_scope_says_what_to_give() -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_scope(" , ")
    assert str(refused.value) == "give --collections a,b or --collections all"


def test_many_rotated_parts_are_read_oldest_first(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, max_bytes=1, backups=11, content=False)  # a part an entry
    for n in range(12):
        log.record(f"key{n}", "GET", "/v1/collections", [], 200)
    assert (tmp_path / f"{AUDIT_FILE}.11").exists()  # .10 and .11 sort after .1 by name
    assert [e["key"] for e in read_audit(tmp_path)] == [f"key{n}" for n in range(1, 12)]
    (tmp_path / f"{AUDIT_FILE}.bak").write_text('{"key": "stray"}\n')  # not a numbered part
    assert [e["key"] for e in read_audit(tmp_path)][-2:] == ["key11", "stray"]


def test_a_damaged_or_undated_line_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    now = datetime.now(UTC).isoformat()
    (tmp_path / AUDIT_FILE).write_bytes(
        b'{"key": "cut-sho\n'
        b'{"key": "undated"}\n'
        + f'{{"key": "b\xff", "time": "{now}"}}\n'.encode("latin-1")
        + f'{{"key": "ana", "time": "{now}"}}\n'.encode()
    )
    # the log is written as ASCII: a line that is not UTF-8 is damaged too
    assert [e["key"] for e in read_audit(tmp_path)] == ["undated", "ana"]
    assert [e["key"] for e in read_audit(tmp_path, since=0.5)] == ["ana"]


def test_since_keeps_the_entries_from_that_moment_on(tmp_path: Path) -> None:
    (tmp_path / AUDIT_FILE).write_text(
        '{"key": "old", "time": "2026-11-30T09:59:59+00:00"}\n'
        '{"key": "at", "time": "2026-11-30T10:00:00+00:00"}\n'
        '{"key": "new", "time": "2026-11-30T10:00:01+00:00"}\n'
    )
    since = parse_since("2026-11-30T10:00")
    assert [e["key"] for e in read_audit(tmp_path, since=since)] == ["at", "new"]


def test_a_time_without_a_zone_is_utc_whatever_the_machine_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        assert parse_since("2026-11-30T10:00") == datetime(2026, 11, 30, 10, tzinfo=UTC).timestamp()
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_bad_since_says_the_forms() -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_since("yesterday")
    assert str(refused.value) == (
        "--since 'yesterday': give a duration such as 30m, 2h or 7d, or an ISO date/time "
        "such as 2026-11-30 or 2026-11-30T10:00"
    )


def test_rotation_keeps_each_part_in_its_place(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, max_bytes=1, backups=3, content=False)
    for n in range(5):
        log.record(f"key{n}", "GET", "/v1/collections", [], 200)
    parts = {n: json.loads((tmp_path / f"{AUDIT_FILE}.{n}").read_text())["key"] for n in (1, 2, 3)}
    assert parts == {1: "key4", 2: "key3", 3: "key2"}
    assert not (tmp_path / AUDIT_FILE).exists()


def test_keys_live_in_keys_json_beside_their_lock(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    store.create("ana", Role.reader, ("hr",))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keys.json", "keys.lock"]
    [key] = KeyStore(tmp_path).entries()
    assert isinstance(key.created_at, float) and key.created_at <= time.time()


def test_a_refused_key_says_why(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    store.create("ana", Role.reader, None)
    store.create("bob", Role.reader, None)
    store.revoke("bob")
    refusals = {
        ("boss", Role.admin, ("hr",)): "an admin key reaches every collection: use "
        "--collections all",
        ("ana", Role.reader, None): "a key named 'ana' exists; choose another name",
        ("bob", Role.reader, None): "a key named 'bob' was revoked (its name stays taken); "
        "choose another name",
    }
    for (name, role, scope), message in refusals.items():
        with pytest.raises(InvalidInputError) as refused:
            store.create(name, role, scope)
        assert str(refused.value) == message


def test_an_audit_line_is_utc_ascii_and_names_each_collection_once(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, max_bytes=10**6, backups=1, content=True)
    log.record("ana", "POST", "/v1/query", ["hr", "hr", "finance"], 200, content="Qué?")
    line = (tmp_path / AUDIT_FILE).read_bytes()
    assert line.isascii() and b"Qu\\u00e9?" in line  # escaped: no byte a terminal acts on
    [entry] = read_audit(tmp_path)
    assert entry["content"] == "Qué?"
    assert entry["collection"] == "hr,finance" and entry["time"].endswith("+00:00")


def test_the_log_rotates_once_it_reaches_its_size(tmp_path: Path) -> None:
    def record(folder: Path, max_bytes: int) -> None:
        folder.mkdir()
        AuditLog(folder, max_bytes, backups=1, content=False).record("ana", "GET", "/", [], 200)

    record(tmp_path / "measure", 10**6)
    size = (tmp_path / "measure" / AUDIT_FILE).stat().st_size
    record(tmp_path / "exact", size)
    assert (tmp_path / "exact" / f"{AUDIT_FILE}.1").exists()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "Bearer a b",
            "malformed API key: keys are 'rag_' and 43 more characters, as `rag keys "
            "create` printed them",
        ),
        (
            "Bearer " + "x" * 505,
            "malformed API key: keys are 'rag_' and 43 more characters, as "
            "`rag keys create` printed them",
        ),  # a header of exactly 512 characters
        ("Bearer " + "x" * 506, "malformed Authorization header: send 'Bearer <key>'"),
        ("Bearer rag_" + "A" * 43, "unknown API key"),
    ],
)
def test_a_refused_header_says_why(tmp_path: Path, header: str, message: str) -> None:
    store = KeyStore(tmp_path)
    store.create("ana", Role.reader, None)
    with pytest.raises(UnauthorizedError) as refused:
        Authenticator(store, api_key=None, local_token=None).caller(header)
    assert str(refused.value) == message


def test_a_scoped_caller_sees_only_its_collections() -> None:
    reader = Caller("ana", Role.reader, frozenset({"hr"}))
    assert reader.readable(["hr", "finance"]) == ["hr"]
    with pytest.raises(NotFoundError) as missing:
        reader.allow("finance")
    assert str(missing.value) == "collection 'finance' does not exist"


def test_a_key_is_stored_as_its_labelled_sha256() -> None:
    assert key_hash("rag_x") == "sha256:" + hashlib.sha256(b"rag_x").hexdigest()
