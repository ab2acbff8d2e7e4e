"""The Sources panel in headless Chromium: a healthy folder source and a failing mailbox (its
server does not answer), each with its state; saved as docs/screenshots/sources-panel.png."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from rag.api import create_app
from rag.app import RagApp
from rag.settings import Settings
from tests.conftest import SAMPLE_DOCS
from tests.fakes import HashEmbedder, ScriptedModel
from tests.integration.test_ui_browser import (
    SCREENSHOTS,
    _button,
    _sidebar,
    _wait_until,
    browser,  # noqa: F401 - the module's Chromium fixture
    ui_for,
)
from tests.live import free_port, serving

pytestmark = pytest.mark.integration

PASSWORD = "never-Shown-0412"  # noqa: S105


def test_sources_panel_shows_a_healthy_and_a_failing_source(
    browser: Browser,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = tmp_path / "handbook"
    shutil.copytree(SAMPLE_DOCS, docs)
    closed = free_port()  # nothing listens there: the mailbox's sync fails with its reason
    monkeypatch.setenv("RAG_SECRET_MAIL", PASSWORD)
    settings = Settings(
        data_dir=tmp_path / "data",
        chunk_size=64,
        chunk_overlap=8,
        web_allowed_hosts=[f"127.0.0.1:{closed}"],
    )
    core = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    api = create_app(settings, core)
    try:
        with serving(api, free_port()) as api_url, ui_for(api_url, tmp_path) as ui_url:
            sources = api.state.sources
            healthy = sources.add(str(docs), schedule="every 1h")
            failing = sources.add(
                f"imaps://ana@127.0.0.1:{closed}/INBOX", schedule="every 15m", secret="MAIL"
            )
            # The server's schedule syncs both at once (they are due when added).
            _wait_until(lambda: all(sources.get(s.id).last_sync for s in (healthy, failing)))

            page = browser.new_page(viewport={"width": 1400, "height": 2200})
            page.goto(ui_url)
            panel = _sidebar(page).locator("details", has_text="Sources kept in sync")
            panel.get_by_text("1 failing").wait_for(timeout=60_000)
            panel.get_by_text("healthy").wait_for()
            panel.get_by_text("cannot reach the server").wait_for()
            assert panel.get_by_text("11 added").is_visible()
            assert PASSWORD not in page.content()
            panel.scroll_into_view_if_needed()
            panel.screenshot(path=str(SCREENSHOTS / "sources-panel.png"))

            _button(panel, "Sync").first.click()  # the healthy one: still healthy
            panel.get_by_text("0 changed").first.wait_for(timeout=60_000)
            assert panel.get_by_text("healthy").is_visible()
    finally:
        core.close()
