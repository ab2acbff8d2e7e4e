"""`rag doctor`: finds lost, orphan and duplicate chunks, and --repair brings the index back to
exactly what a clean ingest of the same files gives."""

import json
import time
import uuid
from pathlib import Path

from typer.testing import CliRunner

from rag import cli
from rag.app import RagApp
from rag.embed import SparseVector
from rag.ingest.ledger import SourceRecord
from rag.settings import Settings
from rag.store import ChunkPoint
from tests.fakes import HashEmbedder

runner = CliRunner()


def _doctor(*args: str) -> tuple[int, list[dict]]:
    result = runner.invoke(cli.cli, ["doctor", "--json", *args])
    return result.exit_code, json.loads(result.output)


def _index(data_dir: Path) -> tuple[set[str], set[str]]:
    """(chunk ids the ledger names, point ids the store holds) of the default collection."""
    with RagApp(Settings(data_dir=data_dir), embedder=HashEmbedder()) as app:
        named = {c for r in app.ledger.sources("default") for c in r.chunk_ids}
        return named, set(app.store.point_sources("default"))


def test_a_clean_index_is_healthy(cli_on_fakes: Path, docs: Path) -> None:
    assert runner.invoke(cli.cli, ["ingest", str(docs)]).exit_code == 0
    code, (health,) = _doctor()
    assert code == 0 and health["healthy"]
    assert health["chunks"] == health["points"] > 0
    assert health["lost"] == {} and health["orphans"] == 0 and health["duplicates"] == {}


def test_damage_is_found_and_repaired_to_a_clean_run(cli_on_fakes: Path, docs: Path) -> None:
    runner.invoke(cli.cli, ["ingest", str(docs)])
    clean = _index(cli_on_fakes)
    price_list, faq, ghost = (
        str(docs / n) for n in ("price-list.md", "support-faq.txt", "ghost.md")
    )
    with RagApp(Settings(data_dir=cli_on_fakes), embedder=HashEmbedder()) as app:
        app.store.delete("default", [app.ledger.get("default", price_list).chunk_ids[0]])
        stray = ChunkPoint(
            str(uuid.uuid4()), [0.5] * app.embedder.dimension, SparseVector([1], [1.0]), {}
        )
        app.store.upsert("default", [stray])
        shared = app.ledger.get("default", faq).chunk_ids[0]
        app.ledger.commit_source(
            "default", SourceRecord(ghost, "doc-ghost", "hash", (shared,), "md", time.time())
        )

    code, (health,) = _doctor()
    assert code == 1 and not health["healthy"]
    assert health["lost"] == {price_list: 1} and health["orphans"] == 1
    assert health["duplicates"] == {shared: sorted([faq, ghost])}

    code, (health,) = _doctor("--repair")
    assert code == 0 and health["healthy"]  # the state after the repair
    assert health["repairs"] == [
        "deleted 1 orphan chunks",
        f"dropped {ghost}: no such file or folder",
        f"indexed {price_list} again",
        f"indexed {faq} again",
    ]
    assert _index(cli_on_fakes) == clean
    code, (health,) = _doctor()
    assert code == 0 and health["healthy"] and health["repairs"] == []
