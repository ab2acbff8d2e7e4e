"""WebDAV sources against a real WsgiDAV server (with basic auth): add, change, delete and
re-sync, change detection by ETag."""

import json
import sys
import time
from pathlib import Path

import pytest

from tests.live import free_port
from tests.source_servers import indexed, process, source_app

pytestmark = pytest.mark.integration

PASSWORD = "dav-Secret-9920"  # noqa: S105 - the test server's own user


@pytest.fixture
def dav(tmp_path: Path):
    share = tmp_path / "share"
    (share / "team" / "policies").mkdir(parents=True)
    (share / "team" / "policies" / "leave.md").write_text("# Leave\n\n31 days of leave.\n")
    (share / "team" / "phones.txt").write_text("Reception is extension 100.\n")
    (share / "team" / ".hidden.txt").write_text("not listed\n")
    port = free_port()
    config = {
        "host": "127.0.0.1",
        "port": port,
        "provider_mapping": {"/": str(share)},
        "simple_dc": {"user_mapping": {"*": {"carol": {"password": PASSWORD}}}},
        "http_authenticator": {
            "accept_basic": True,
            "accept_digest": False,
            "default_to_digest": False,
        },
        "verbose": 1,
    }
    (tmp_path / "wsgidav.json").write_text(json.dumps(config))
    command = [
        sys.executable,
        "-m",
        "wsgidav.server.server_cli",
        "-c",
        str(tmp_path / "wsgidav.json"),
    ]
    with process(command, port, tmp_path / "wsgidav.log"):
        yield port, share


def test_folder_syncs_by_etag(dav, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port, share = dav
    monkeypatch.setenv("RAG_SECRET_DAV", PASSWORD)
    allowed = [f"127.0.0.1:{port}"]
    with source_app(tmp_path / "data", web_allowed_hosts=allowed) as (app, service):
        uri = f"webdav://carol@127.0.0.1:{port}/team"
        source = service.add(uri, schedule="manual", secret="DAV")
        first = service.sync(source.id)
        assert first.last_error is None, first.last_error
        assert (first.added, first.changed, first.removed) == (2, 0, 0)
        assert set(indexed(app)) == {f"{uri}/policies/leave.md", f"{uri}/phones.txt"}

        time.sleep(1.1)  # a new modification time, so a new ETag
        (share / "team" / "policies" / "leave.md").write_text("# Leave\n\n33 days of leave.\n")
        (share / "team" / "phones.txt").unlink()
        (share / "team" / "travel.md").write_text("# Travel\n\nSecond class.\n")
        second = service.sync(source.id)
        assert (second.added, second.changed, second.removed) == (1, 1, 1)
        assert len(indexed(app)) == 2

        third = service.sync(source.id)
        assert (third.added, third.changed, third.removed) == (0, 0, 0)

        bad = service.add(uri, schedule="manual")  # no password: the server says no
        refused = service.sync(bad.id)
        assert "401" in refused.last_error and PASSWORD not in refused.last_error
        assert len(indexed(app)) == 2  # a failed listing deletes nothing
