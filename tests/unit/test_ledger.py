from pathlib import Path

import pytest

from rag.errors import RecipeMismatchError
from rag.ingest.ledger import Ledger, SourceRecord


def _record(source: str, content_hash: str, ids: tuple[str, ...]) -> SourceRecord:
    return SourceRecord(source, "doc-" + source, content_hash, ids, "md", 0.0)


@pytest.fixture
def ledger(tmp_path: Path):
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    yield ledger
    ledger.close()


def test_staged_chunks_stay_deletable_until_committed(ledger: Ledger) -> None:
    ledger.stage("c", ["n1", "n2"])
    assert sorted(ledger.pending_deletes("c")) == ["n1", "n2"]

    ledger.commit_source("c", _record("/a", "h1", ("n1", "n2")))

    assert ledger.pending_deletes("c") == []
    assert ledger.get("c", "/a").chunk_ids == ("n1", "n2")


def test_replacing_a_source_makes_its_old_chunks_deletable(ledger: Ledger) -> None:
    ledger.commit_source("c", _record("/a", "h1", ("o1", "o2")))
    ledger.stage("c", ["n1"])
    ledger.commit_source("c", _record("/a", "h2", ("n1",)))

    assert sorted(ledger.pending_deletes("c")) == ["o1", "o2"]
    assert ledger.get("c", "/a").content_hash == "h2"


def test_removed_source_chunks_become_deletable(ledger: Ledger) -> None:
    ledger.commit_source("c", _record("/a", "h1", ("o1",)))
    ledger.remove_source("c", "/a")
    assert ledger.get("c", "/a") is None
    assert ledger.pending_deletes("c") == ["o1"]


def test_ledger_survives_reopen(tmp_path: Path) -> None:
    first = Ledger(tmp_path / "l.sqlite3")
    first.commit_source("c", _record("/a", "h1", ("x",)))
    first.close()
    second = Ledger(tmp_path / "l.sqlite3")
    assert second.get("c", "/a").content_hash == "h1"
    second.close()


def test_a_changed_recipe_is_refused_with_the_fix(ledger: Ledger) -> None:
    ledger.check_recipe("c", {"embedder": "a", "chunk_size": 200})
    ledger.check_recipe("c", {"embedder": "a", "chunk_size": 200})
    with pytest.raises(RecipeMismatchError, match=r"chunk_size changed.*rag reindex"):
        ledger.check_recipe("c", {"embedder": "a", "chunk_size": 300})
