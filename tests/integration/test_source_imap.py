"""IMAP sources against a real Dovecot: messages and their attachments as documents, expunged
messages lose their chunks, a changed UIDVALIDITY leaves no duplicates, a refused login fails
that source alone, and the password is nowhere it must not be."""

import logging
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from imapclient import IMAPClient

from rag.api import create_app
from rag.app import RagApp
from rag.settings import Settings
from tests.fakes import HashEmbedder
from tests.source_servers import dovecot, indexed, silent_server, source_app

pytestmark = pytest.mark.integration

PASSWORD = "Tr0ub4dor-and-3-horses"  # noqa: S105 - the test's own mailbox
WRONG = "wrong-Pa55word-7351"  # noqa: S105


def mail(subject: str, body: str, attachment: tuple[str, bytes] | None = None) -> bytes:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "Bob Builder <bob@example.org>"
    message["To"] = "alice@example.org"
    message["Date"] = format_datetime(datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    message.set_content(body)
    if attachment is not None:
        name, data = attachment
        message.add_attachment(data, maintype="text", subtype="markdown", filename=name)
    return message.as_bytes()


@pytest.fixture(scope="module")
def server():
    with dovecot({"alice": PASSWORD}) as port:
        yield port


def _imap(port: int) -> IMAPClient:
    client = IMAPClient("127.0.0.1", port=port, ssl=False, timeout=10)
    client.login("alice", PASSWORD)
    return client


def test_messages_attachments_expunge_and_resync(
    server: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAG_SECRET_MAIL", PASSWORD)
    with _imap(server) as imap:
        imap.create_folder("Projects")
        imap.append("Projects", mail("Budget 2027", "The budget is 42,000 euros."))
        imap.append(
            "Projects",
            mail("Minutes", "See the minutes.", ("minutes.md", b"# Minutes\n\nWe chose oak.\n")),
        )
        imap.append("Projects", mail("Lunch", "Pizza on Friday."))
    allowed = [f"127.0.0.1:{server}"]
    with source_app(tmp_path / "data", web_allowed_hosts=allowed) as (app, service):
        source = service.add(f"imap://alice@127.0.0.1:{server}/Projects", secret="MAIL")
        first = service.sync(source.id)
        assert first.last_error is None, first.last_error
        assert (first.added, first.changed, first.removed) == (4, 0, 0)  # 3 messages, 1 file
        ids = indexed(app)
        attachment = next(i for i in ids if i.endswith("/;SECTION=2"))
        record = app.ledger.get("default", attachment)
        payload = app.store.retrieve("default", list(record.chunk_ids))[0].payload
        assert payload["metadata"]["subject"] == "Minutes"
        assert payload["metadata"]["from"] == "Bob Builder <bob@example.org>"
        assert payload["metadata"]["attachment"] == "minutes.md"
        assert payload["metadata"]["date"].startswith("2026-12-01T09:30")
        assert "We chose oak." in payload["text"]

        with _imap(server) as imap:  # the minutes leave, a new mail arrives
            imap.select_folder("Projects")
            minutes = imap.search(["SUBJECT", "Minutes"])
            imap.delete_messages(minutes)
            imap.expunge()
            imap.append("Projects", mail("Holidays", "The office closes on 24 December."))
        second = service.sync(source.id)
        assert (second.added, second.changed, second.removed) == (1, 0, 2)
        assert len(indexed(app)) == 3 and attachment not in indexed(app)

        third = service.sync(source.id)
        assert (third.added, third.changed, third.removed, third.last_error) == (0, 0, 0, None)


def test_a_new_uidvalidity_leaves_no_duplicates(
    server: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAG_SECRET_MAIL", PASSWORD)
    messages = [mail("Roof", "The roof was fixed."), mail("Boiler", "The boiler is new.")]
    with _imap(server) as imap:
        imap.create_folder("Archive")
        for message in messages:
            imap.append("Archive", message)
    allowed = [f"127.0.0.1:{server}"]
    with source_app(tmp_path / "data", web_allowed_hosts=allowed) as (app, service):
        source = service.add(f"imap://alice@127.0.0.1:{server}/Archive", secret="MAIL")
        assert service.sync(source.id).added == 2
        before = set(indexed(app))
        with _imap(server) as imap:  # the folder is made again: a new UIDVALIDITY
            imap.delete_folder("Archive")
            imap.create_folder("Archive")
            for message in messages:
                imap.append("Archive", message)
        again = service.sync(source.id)
        assert again.last_error is None
        after = indexed(app)
        assert len(after) == 2 and not set(after) & before
        assert again.removed + again.changed == 2  # moved by content: nothing embedded twice


def test_a_refused_login_fails_alone_and_the_secret_shows_nowhere(
    server: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("RAG_SECRET_MAIL", PASSWORD)
    monkeypatch.setenv("RAG_SECRET_BAD", WRONG)
    with _imap(server) as imap:
        imap.create_folder("Notes")
        imap.append("Notes", mail("Code", "The gate code is 1234."))
    settings = Settings(
        data_dir=tmp_path / "data",
        chunk_size=64,
        chunk_overlap=8,
        web_allowed_hosts=[f"127.0.0.1:{server}"],
        audit_content=True,
    )
    core = RagApp(settings, embedder=HashEmbedder())
    shown: list[str] = []
    caplog.set_level(logging.DEBUG)
    try:
        with TestClient(create_app(settings, core)) as client:
            uri = f"imap://alice@127.0.0.1:{server}/Notes"
            good = client.post(
                "/v1/sources", json={"uri": uri, "secret": "MAIL", "schedule": "manual"}
            )
            # In another collection: a second add of a URI to the same one updates that source.
            bad = client.post(
                "/v1/sources",
                json={"uri": uri, "secret": "BAD", "schedule": "manual", "collection": "other"},
            )
            assert good.status_code == bad.status_code == 201
            assert good.json()["id"] != bad.json()["id"]
            synced_bad = client.post(f"/v1/sources/{bad.json()['id']}/sync")
            synced_good = client.post(f"/v1/sources/{good.json()['id']}/sync")
            listed = client.get("/v1/sources")
            shown += [r.text for r in (good, bad, synced_bad, synced_good, listed)]
            assert "login refused" in synced_bad.json()["last_error"]
            assert synced_bad.json()["status"] == "failed"
            assert synced_good.json()["last_error"] is None and synced_good.json()["added"] == 1
            assert good.json()["secret"] == "MAIL"
    finally:
        core.close()
    for secret in (PASSWORD, WRONG):
        for text in [*shown, caplog.text]:
            assert secret not in text
        for path in (tmp_path / "data").rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path


def test_a_mail_server_that_never_answers_times_out_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAG_SECRET_MAIL", PASSWORD)
    with silent_server() as port:
        settings = {"web_allowed_hosts": [f"127.0.0.1:{port}"], "web_timeout_s": 0.5}
        with source_app(tmp_path / "data", **settings) as (app, service):
            source = service.add(
                f"imap://alice@127.0.0.1:{port}/INBOX", schedule="every 15m", secret="MAIL"
            )
            failed = service.sync(source.id)
            assert "cannot reach the server" in failed.last_error
            assert "timed out" in failed.last_error and PASSWORD not in failed.last_error
            assert failed.failures == 1 and failed.next_sync is not None  # retried later
