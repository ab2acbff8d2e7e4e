"""The sync run over a real Qdrant Edge shard, with the fake embedder."""

from pathlib import Path

from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.ingest.ledger import delete_pending
from rag.settings import Settings
from tests.conftest import N_SAMPLE_DOCS
from tests.fakes import HashEmbedder


def _ingest(app: RagApp, *paths: Path):
    scans = [scan_path(p, app.settings.max_file_bytes) for p in paths]
    return app.indexer.sync(scans, "default")


def _indexed_ids(app: RagApp) -> set[str]:
    return {cid for record in app.ledger.sources("default") for cid in record.chunk_ids}


def test_first_run_adds_every_file_and_second_run_writes_nothing(rag_app: RagApp, docs: Path):
    first = _ingest(rag_app, docs)
    count = rag_app.store.count("default")

    second = _ingest(rag_app, docs)

    assert len(first.added) == N_SAMPLE_DOCS and first.failed == []
    assert first.chunks_written == count > N_SAMPLE_DOCS
    assert second.added == second.updated == second.deleted == []
    assert second.unchanged == N_SAMPLE_DOCS and second.chunks_written == 0
    assert rag_app.store.count("default") == count


def test_modified_file_replaces_exactly_its_own_chunks(rag_app: RagApp, docs: Path) -> None:
    _ingest(rag_app, docs)
    faq = docs / "support-faq.txt"
    other_ids = _indexed_ids(rag_app) - set(rag_app.ledger.get("default", str(faq)).chunk_ids)

    faq.write_text("Support moved. Call +32 9 555 99 99 from now on.\n")
    report = _ingest(rag_app, docs)

    assert report.updated == [str(faq)] and report.unchanged == N_SAMPLE_DOCS - 1
    new_ids = set(rag_app.ledger.get("default", str(faq)).chunk_ids)
    assert _indexed_ids(rag_app) == other_ids | new_ids
    assert rag_app.store.count("default") == len(other_ids | new_ids)
    assert rag_app.store.count("default", {"source": str(faq)}) == len(new_ids)


def test_file_removed_from_a_synced_folder_loses_its_chunks(rag_app: RagApp, docs: Path):
    _ingest(rag_app, docs)
    (docs / "price-list.md").unlink()

    report = _ingest(rag_app, docs)

    assert report.deleted == [str(docs / "price-list.md")]
    assert rag_app.store.count("default", {"source": str(docs / "price-list.md")}) == 0
    assert rag_app.store.count("default") == len(_indexed_ids(rag_app))


def test_bad_file_is_reported_and_the_rest_indexed(rag_app: RagApp, docs: Path) -> None:
    (docs / "broken.md").write_bytes(b"\x00\x01binary\x00")
    (docs / "empty.txt").write_text("")

    report = _ingest(rag_app, docs)

    failed = {Path(f["source"]).name: f["error"] for f in report.failed}
    assert set(failed) == {"broken.md", "empty.txt"}
    assert "binary" in failed["broken.md"]
    assert len(report.added) == N_SAMPLE_DOCS


def test_a_failed_update_keeps_the_previous_version(rag_app: RagApp, docs: Path) -> None:
    _ingest(rag_app, docs)
    faq = docs / "support-faq.txt"
    before = rag_app.ledger.get("default", str(faq))

    faq.write_bytes(b"\x00garbage\x00")
    report = _ingest(rag_app, docs)

    assert report.failed[0]["source"] == str(faq)
    assert rag_app.ledger.get("default", str(faq)) == before
    assert rag_app.store.count("default", {"source": str(faq)}) == len(before.chunk_ids)


def test_chunks_written_before_a_crash_are_removed_on_next_open(
    settings: Settings, docs: Path
) -> None:
    app = RagApp(settings, embedder=HashEmbedder())
    _ingest(app, docs)
    good = app.store.count("default")
    # Simulate a run killed between writing new chunks and committing them to the ledger.
    point_ids = ["00000000-0000-0000-0000-000000000001"]
    app.ledger.stage("default", point_ids)
    _upsert_orphan(app, point_ids[0])
    assert app.store.count("default") == good + 1
    app.close()

    reopened = RagApp(settings, embedder=HashEmbedder())
    try:
        assert reopened.store.count("default") == good
        assert reopened.ledger.pending_deletes("default") == []
        delete_pending(reopened.ledger, reopened.store, "default")  # idempotent
        assert reopened.store.count("default") == good
    finally:
        reopened.close()


def _upsert_orphan(app: RagApp, point_id: str) -> None:
    from rag.embed import SparseVector
    from rag.store import ChunkPoint

    vector = HashEmbedder().embed_query("orphan chunk")
    payload = {"text": "orphan", "source": "/nowhere", "document_id": "d", "start": 0, "end": 6}
    point = ChunkPoint(point_id, vector, SparseVector([1], [1.0]), payload)
    app.store.upsert("default", [point])


class CountingEmbedder(HashEmbedder):
    def __init__(self) -> None:
        self.embedded = 0

    def embed_documents(self, texts):
        self.embedded += len(texts)
        return super().embed_documents(texts)


def _store_state(app: RagApp) -> dict[str, tuple[str, str]]:
    """chunk id → (source, text), read from the store itself."""
    ids = [cid for record in app.ledger.sources("default") for cid in record.chunk_ids]
    return {
        p.id: (p.payload["source"], p.payload["text"]) for p in app.store.retrieve("default", ids)
    }


def test_sync_scenario_on_the_store(settings: Settings, docs: Path) -> None:
    embedder = CountingEmbedder()
    app = RagApp(settings, embedder=embedder)
    try:
        _ingest(app, docs)
        initial = _store_state(app)
        assert app.store.count("default") == len(initial)

        assert _ingest(app, docs).chunks_written == 0  # re-ingest: nothing written
        assert _store_state(app) == initial

        faq = docs / "support-faq.txt"
        faq.write_text("Support now answers in Dutch, French and English.\n")
        _ingest(app, docs)
        after_modify = _store_state(app)
        unchanged = {k: v for k, v in initial.items() if v[0] != str(faq)}
        assert {k: v for k, v in after_modify.items() if v[0] != str(faq)} == unchanged
        assert [v[1] for v in after_modify.values() if v[0] == str(faq)] == [
            "Support now answers in Dutch, French and English."
        ]

        (docs / "price-list.md").unlink()
        _ingest(app, docs)
        after_delete = _store_state(app)
        assert all(source != str(docs / "price-list.md") for source, _ in after_delete.values())

        old, new = docs / "employee-handbook.md", docs / "handbook" / "staff-handbook.md"
        new.parent.mkdir()
        old.rename(new)
        embedded_before = embedder.embedded
        report = _ingest(app, docs)

        assert report.moved == [{"from": str(old), "to": str(new)}]
        assert report.added == [] and report.deleted == []
        assert embedder.embedded == embedded_before  # vectors reused, embedder not called
        after_move = _store_state(app)
        moved_texts = sorted(t for s, t in after_move.values() if s == str(new))
        assert moved_texts == sorted(t for s, t in after_delete.values() if s == str(old))
        assert all(source != str(old) for source, _ in after_move.values())
        assert app.store.count("default") == len(after_move)
        assert app.store.count("default", {"title": "staff-handbook.md"}) == len(moved_texts)
        assert app.store.count(
            "default", {"document_id": app.ledger.get("default", str(new)).document_id}
        ) == len(moved_texts)
    finally:
        app.close()


def test_progress_callback_hears_every_source_once(rag_app: RagApp, docs: Path) -> None:
    seen: list[str] = []
    (docs / "broken.md").write_bytes(b"\x00")
    scan = scan_path(docs, 10**6)
    rag_app.indexer.sync([scan], "default", on_source_done=seen.append)
    assert sorted(seen) == sorted(s.source_id for s in scan.sources)
