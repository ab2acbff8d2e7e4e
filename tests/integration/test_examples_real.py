"""Example questions with the bundled models on sample_docs (issue 36): every question the
first screen offers is answered with support by the whole pipeline, the model included, and the
first screen shows them in Chromium (docs/screenshots/example-questions.png)."""

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

from rag.settings import Settings
from tests.conftest import SAMPLE_DOCS
from tests.integration.test_ui_browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    SCREENSHOTS,
    _new_page,
    _real_api,
    ui_for,
)

pytestmark = pytest.mark.integration


def test_every_offered_example_is_answered_with_support_by_the_real_pipeline(
    tmp_path: Path, settings: Settings
) -> None:
    api_url, api = _real_api(tmp_path, SAMPLE_DOCS)
    with api:
        listed = httpx.get(f"{api_url}/v1/examples", timeout=600)
        assert listed.status_code == 200, listed.text
        offered = listed.json()["questions"]
        assert len(offered) == 3
        for question in offered:
            answer = httpx.post(
                f"{api_url}/v1/query", json={"question": question}, timeout=300
            ).json()
            assert not answer["abstained"], (question, answer["answer"])
            assert answer["sentences"], question
            assert all(s["supported"] for s in answer["sentences"]), (question, answer["answer"])
            assert answer["citations"], question

        with ui_for(api_url, tmp_path) as ui_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            page = _new_page(browser)
            page.goto(ui_url)
            for question in offered:
                page.get_by_role("button", name=question).wait_for(timeout=120_000)
            page.screenshot(path=SCREENSHOTS / "example-questions.png")
            browser.close()
