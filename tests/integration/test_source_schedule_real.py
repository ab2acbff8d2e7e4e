"""A real schedule on the real clock (make test-long): a folder source synced every 2 minutes by
the API server's own schedule thread picks up a changed file with no one asking."""

import time
from pathlib import Path

import httpx
import pytest

from rag.api import create_app
from rag.app import RagApp
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.live import free_port, serving

pytestmark = [pytest.mark.integration, pytest.mark.long]


def test_a_two_minute_schedule_syncs_a_change_by_itself(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "door.md").write_text("# Door\n\nThe door code is 1111.\n")
    settings = Settings(
        data_dir=tmp_path / "data", chunk_size=64, chunk_overlap=8, api_ingest_roots=[tmp_path]
    )
    core = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    try:
        with serving(create_app(settings, core), free_port()) as url:
            added = httpx.post(
                f"{url}/v1/sources", json={"uri": str(folder), "schedule": "every 2m"}
            ).json()

            def state() -> dict:
                return httpx.get(f"{url}/v1/sources/{added['id']}").json()

            deadline = time.monotonic() + 30
            while state()["last_sync"] is None:  # due when added: synced at once
                assert time.monotonic() < deadline
                time.sleep(0.5)
            first = state()
            assert (first["added"], first["status"]) == (1, "ok")

            (folder / "door.md").write_text("# Door\n\nThe door code is 2222.\n")
            (folder / "gate.md").write_text("# Gate\n\nThe gate opens at 7.\n")
            deadline = time.monotonic() + 2 * 60 + 12 + 30  # period, jitter (10%), slack
            while state()["last_sync"] == first["last_sync"]:
                assert time.monotonic() < deadline, "the schedule did not sync again"
                time.sleep(2)
            second = state()
            assert (second["added"], second["changed"], second["removed"]) == (1, 1, 0)
            found = core.store.count("default", {"source": str(folder / "gate.md")})
            assert found >= 1
    finally:
        core.close()
