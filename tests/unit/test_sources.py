"""Sources kept in sync (rag/sources/): a folder source through the ledger sync, and the
schedule on a fake clock (due at once, jitter, back-off on failure, catch-up after a restart)."""

import random
import shutil
from pathlib import Path

import pytest

from rag.app import RagApp
from rag.errors import InvalidInputError, NotFoundError
from rag.settings import Settings
from rag.sources.schedule import Schedule
from rag.sources.scheduler import SourceScheduler
from rag.sources.service import SourceService
from tests.conftest import N_SAMPLE_DOCS
from tests.fakes import HashEmbedder


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def service(rag_app: RagApp):
    service = SourceService(rag_app)
    yield service
    service.close()


def test_schedules_parse_and_refuse_what_they_cannot_mean() -> None:
    assert Schedule.parse(" Every 15m ").period_s == 900
    assert Schedule.parse("daily 02:00").daily_at == (2, 0)
    assert Schedule.parse("manual").period_s is None
    for bad in ("every 10s", "every", "daily 25:00", "hourly", "every 5 weeks"):
        with pytest.raises(InvalidInputError):
            Schedule.parse(bad)


def test_next_sync_has_bounded_jitter_and_backs_off_after_failures() -> None:
    every = Schedule.parse("every 15m")
    rng = random.Random(1)
    times = [every.next_after(0, rng=rng) for _ in range(50)]
    assert all(900 <= t <= 990 for t in times) and len(set(times)) > 1  # spread, ≤ 10%
    retries = [every.next_after(0, failures=n, rng=random.Random(0)) - 0 for n in (1, 2, 3)]
    assert 60 <= retries[0] < 150 and 240 <= retries[1] < 330 and 900 <= retries[2] <= 990
    daily = Schedule.parse("daily 02:00")
    one_am = 1_800_000_000 - 1_800_000_000 % 86400 + 3600  # 01:00 UTC
    assert 3600 <= daily.next_after(one_am, rng=random.Random(0)) - one_am <= 3600 + 300


def test_folder_source_adds_changes_removes_and_resyncs_nothing(
    service: SourceService, rag_app: RagApp, docs: Path
) -> None:
    source = service.add(str(docs), schedule="manual")
    assert source.next_sync is None and service.to_json(source)["status"] == "new"

    first = service.sync(source.id)
    assert (first.added, first.changed, first.removed, first.last_error) == (
        N_SAMPLE_DOCS,
        0,
        0,
        None,
    )
    chunks = rag_app.store.count("default")

    (docs / "support-faq.txt").write_text("Support moved. Call +32 9 555 99 99.\n")
    (docs / "price-list.md").unlink()
    second = service.sync(source.id)
    assert (second.added, second.changed, second.removed) == (0, 1, 1)

    third = service.sync(source.id)
    assert (third.added, third.changed, third.removed) == (0, 0, 0)
    ids = {record.source_id for record in rag_app.ledger.sources("default")}
    assert len(ids) == N_SAMPLE_DOCS - 1 and str(docs / "price-list.md") not in ids
    assert rag_app.store.count("default") != chunks  # the changed and removed files


def test_removing_a_source_deletes_its_documents_unless_kept(
    service: SourceService, rag_app: RagApp, docs: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(docs / "support-faq.txt", other / "faq.txt")
    kept = service.add(str(other), schedule="manual")
    dropped = service.add(str(docs), schedule="manual")
    service.sync(kept.id)
    service.sync(dropped.id)

    _, deleted = service.remove(dropped.id)
    _, none = service.remove(kept.id, keep_documents=True)

    assert deleted == N_SAMPLE_DOCS and none == 0
    assert [r.source_id for r in rag_app.ledger.sources("default")] == [str(other / "faq.txt")]
    with pytest.raises(NotFoundError):
        service.get(dropped.id)


def test_bad_sources_are_refused_with_the_reason(service: SourceService) -> None:
    for uri, reason in [
        ("imaps://me:hunter2@mail.example.com/INBOX", "password"),
        ("ftp://example.com/x", "no connector"),
        ("file:///etc", "path"),
    ]:
        with pytest.raises(InvalidInputError, match=reason):
            service.add(uri)
    with pytest.raises(InvalidInputError, match="non-public"):
        service.add("imap://me@127.0.0.1/INBOX", secret="MAIL")
    with pytest.raises(InvalidInputError, match="secret name"):
        service.add("imaps://me@mail.example.com/INBOX", secret="../../etc/passwd")
    assert service.all() == []


def test_schedule_on_a_fake_clock(settings: Settings, docs: Path) -> None:
    clock = FakeClock()
    app = RagApp(settings, embedder=HashEmbedder())
    service = SourceService(app, clock=clock)
    schedule = SourceScheduler(service, clock=clock)
    good = service.add(str(docs), schedule="every 15m")
    missing = docs.parent / "missing"
    missing.mkdir()
    bad = service.add(str(missing), schedule="every 1h")
    missing.rmdir()  # the folder is gone when the sync comes: a failure of this source alone

    assert sorted(schedule.run_due()) == sorted([good.id, bad.id])  # due at once
    assert service.get(good.id).added == N_SAMPLE_DOCS
    failing = service.get(bad.id)
    assert failing.failures == 1 and "no such file or folder" in failing.last_error
    assert 60 <= failing.next_sync - clock.now <= 60 + 360  # retried soon, not in an hour

    clock.advance(10 * 60)
    assert schedule.run_due() == [bad.id]  # retried; the healthy one is not due yet
    assert service.get(bad.id).failures == 2
    clock.advance(7 * 60)  # past 15 min and its jitter (at most 10%: 90 s)
    assert good.id in schedule.run_due()
    assert service.get(good.id).added == 0  # nothing changed

    # The server is down for a day: at restart each overdue source syncs once, not 96 times.
    failures = service.get(bad.id).failures  # 2, or 3 when its retry came by minute 17
    service.close()
    app.close()
    clock.advance(86400)
    app = RagApp(settings, embedder=HashEmbedder())
    service = SourceService(app, clock=clock)
    schedule = SourceScheduler(service, clock=clock)
    assert sorted(schedule.run_due()) == sorted([good.id, bad.id])
    assert schedule.run_due() == []
    assert service.get(bad.id).failures == failures + 1
    service.close()
    app.close()


def test_rest_server_side_paths_need_an_admin_and_the_ingest_roots(tmp_path: Path, docs: Path):
    from fastapi.testclient import TestClient

    from rag.access.keys import KeyStore, Role
    from rag.api import create_app
    from tests.fakes import ScriptedModel

    settings = Settings(
        data_dir=tmp_path / "data",
        chunk_size=64,
        chunk_overlap=8,
        api_ingest_roots=[docs],
        web_allowed_hosts=["127.0.0.1:9"],
    )
    core = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    keys = KeyStore(core.data_dir.root)
    tokens = {
        role.name: {"Authorization": f"Bearer {keys.create(role.name, role, None)}"}
        for role in (Role.reader, Role.writer, Role.admin)
    }
    try:
        with TestClient(create_app(settings, core)) as client:

            def add(role: str, uri: str, **body: str) -> tuple[int, str]:
                response = client.post(
                    "/v1/sources", json={"uri": uri, **body}, headers=tokens[role]
                )
                return response.status_code, response.text

            assert add("writer", str(docs))[0] == 403
            assert add("writer", f"git+file://{docs}")[0] == 403
            assert add("admin", str(tmp_path))[0] == 400  # outside RAG_API_INGEST_ROOTS
            assert add("admin", str(docs), schedule="manual")[0] == 201
            status, text = add("writer", "imap://ana@10.1.2.3/INBOX", secret="MAIL")
            assert status == 400 and "non-public" in text
            status, text = add("writer", "http://127.0.0.1:9/page", schedule="manual")
            assert status == 201, text
            assert client.get("/v1/sources", headers=tokens["reader"]).status_code == 403
            listed = client.get("/v1/sources", headers=tokens["writer"]).json()["sources"]
            assert [s["uri"] for s in listed] == [str(docs), "http://127.0.0.1:9/page"]
    finally:
        core.close()
