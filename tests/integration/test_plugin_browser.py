"""The example currency tool plugin in headless Chromium against `rag serve` with the bundled
models: the answer's tool trace names the plugin's tool, saved as
docs/screenshots/plugin-tool-trace.png."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.integration.test_ui_browser import (
    SCREENSHOTS,
    _ask,
    _messages,
    _new_page,
    _real_api,
    browser,  # noqa: F401 - the module's Chromium fixture
    ui_for,
)

pytestmark = pytest.mark.integration


def test_the_tool_trace_names_the_plugin_tool(
    browser: Browser,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,rate\nEUR,1\nUSD,1.0825\nGBP,0.8512\n")
    monkeypatch.setitem(os.environ, "RAG_PLUGINS", "rag-currency-tool")
    monkeypatch.setitem(os.environ, "RAG_PLUGIN_OPTIONS", f"rag-currency-tool.rates_file={rates}")
    documents = tmp_path / "documents"  # the UI asks only a collection that has documents
    documents.mkdir()
    (documents / "travel-policy.md").write_text(
        "# Travel policy\n\nExpenses abroad are reimbursed in euros at the day's rate.\n"
    )
    api_url, api = _real_api(tmp_path, documents)
    with api, ui_for(api_url, tmp_path) as ui_url:
        page = _new_page(browser)
        page.goto(ui_url)
        _ask(page, "convert 100 EUR to USD")
        answer = _messages(page).nth(1)
        trace = answer.locator("[data-testid=stCaptionContainer]", has_text="rag-currency-tool")
        trace.first.wait_for(timeout=120_000)
        assert "currency_convert" in trace.first.inner_text()
        assert "108.25 USD" in answer.inner_text()
        page.wait_for_timeout(500)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "plugin-tool-trace.png"))
