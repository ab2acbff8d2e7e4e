"""Git sources against real repositories: a local one (git+file://) and one served by
`git daemon` (git://): add, change, delete and re-sync, each file cited by path and commit."""

import subprocess
import time
from pathlib import Path

import pytest

from rag.errors import InvalidInputError
from tests.live import free_port
from tests.source_servers import indexed, process, silent_server, source_app

pytestmark = pytest.mark.integration


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        text=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "HOME": str(repo),
        },
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "served" / "handbook"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "docs").mkdir()
    (repo / "docs" / "leave.md").write_text("# Leave\n\nStaff get 31 days of paid leave.\n")
    (repo / "notes.txt").write_text("The server room door code is 4471.\n")
    (repo / "logo.bin").write_bytes(b"\x00\x01")  # no reader: not a source
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    return repo


def _change(repo: Path) -> None:
    (repo / "docs" / "leave.md").write_text("# Leave\n\nStaff get 33 days of paid leave.\n")
    (repo / "notes.txt").unlink()
    (repo / "travel.md").write_text("# Travel\n\nTrains are booked in second class.\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "second")


def _sync_cycle(app, service, uri: str, repo: Path) -> None:
    source = service.add(uri, schedule="manual")
    first = service.sync(source.id)
    assert first.last_error is None, first.last_error
    assert (first.added, first.changed, first.removed) == (2, 0, 0)
    branch = f"{uri}#main:"
    assert set(indexed(app)) == {branch + "docs/leave.md", branch + "notes.txt"}
    record = app.ledger.get("default", branch + "docs/leave.md")
    payload = app.store.retrieve("default", list(record.chunk_ids))[0].payload
    head = _git(repo, "rev-parse", "HEAD")
    assert payload["metadata"] == {
        "commit": head,
        "path": "docs/leave.md",
        "location": f"docs/leave.md at {head[:12]}",
    }

    _change(repo)
    second = service.sync(source.id)
    assert (second.added, second.changed, second.removed) == (1, 1, 1)
    assert set(indexed(app)) == {branch + "docs/leave.md", branch + "travel.md"}

    third = service.sync(source.id)
    assert (third.added, third.changed, third.removed, third.last_error) == (0, 0, 0, None)

    _, deleted = service.remove(source.id)
    assert deleted == 2 and indexed(app) == {}


def test_local_repository_syncs_its_branch(tmp_path: Path, repo: Path) -> None:
    with source_app(tmp_path / "data") as (app, service):
        _sync_cycle(app, service, f"git+file://{repo}", repo)


def test_repository_over_git_daemon(tmp_path: Path, repo: Path) -> None:
    port = free_port()
    daemon = [
        "git",
        "daemon",
        "--reuseaddr",
        "--export-all",
        f"--port={port}",
        "--listen=127.0.0.1",
        f"--base-path={repo.parent}",
        str(repo.parent),
    ]
    with process(daemon, port, tmp_path / "daemon.log"):
        allowed = [f"127.0.0.1:{port}"]
        with source_app(tmp_path / "data", web_allowed_hosts=allowed) as (app, service):
            _sync_cycle(app, service, f"git://127.0.0.1:{port}/handbook", repo)
        with (
            source_app(tmp_path / "other") as (app, service),  # not allowed: refused
            pytest.raises(InvalidInputError, match="non-public"),
        ):
            service.add(f"git://127.0.0.1:{port}/handbook")


def test_a_git_server_that_never_answers_fails_alone(tmp_path: Path, repo: Path) -> None:
    with silent_server() as port:
        allowed = [f"127.0.0.1:{port}"]
        settings = {"web_allowed_hosts": allowed, "web_timeout_s": 0.5}
        with source_app(tmp_path / "data", **settings) as (app, service):
            local = service.add(f"git+file://{repo}", schedule="manual")
            stuck = service.add(f"git://127.0.0.1:{port}/handbook", schedule="manual")
            started = time.monotonic()
            failed = service.sync(stuck.id)
            assert time.monotonic() - started < 30
            assert "no repository within 3 s" in failed.last_error
            assert service.sync(local.id).added == 2  # the other source is not held up
