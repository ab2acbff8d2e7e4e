"""The chat UI in headless Chromium (Debian's, driven by Playwright) against live servers.

1. End to end with the real API (bundled models): upload a file in the sidebar, ask about it,
   see the answer and open its citation; a screenshot is saved in the test's tmp dir.
2. XSS: a document and an answer full of HTML, script, `javascript:` links and an external
   Markdown image: no dialog opens, no request leaves 127.0.0.1, no such element exists.
"""

import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from tests.fakes import ScriptedModel
from tests.live import free_port, running, serving

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google on a closed network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RAG = str(Path(sys.executable).with_name("rag"))
PAYLOADS = (
    "<img src=x onerror=alert(1)> <script>alert(2)</script> "
    "[click me](javascript:alert(3)) ![pixel](https://tracker.example/pixel.png)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian chromium is missing: `make install-dev` installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@contextmanager
def ui_for(api_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "RAG_API_URL": api_url,
        "RAG_UI_HOST": "127.0.0.1",
        "STREAMLIT_SERVER_PORT": str(port),
    }
    url = f"http://127.0.0.1:{port}"
    try:
        with running([RAG, "ui"], env, f"{url}/_stcore/health", tmp_path / "ui.log"):
            yield url
    finally:
        # `rag ui` runs Streamlit as its child, which outlives it when only `rag ui` is stopped.
        _stop_all(_processes_marked(_port_marker(url)))


def _port_marker(url: str) -> str:
    """What the environment of `rag ui` and of the Streamlit process it starts holds."""
    return f"STREAMLIT_SERVER_PORT={url.rsplit(':', 1)[1]}"


def _processes_marked(marker: str) -> list[int]:
    """Processes whose environment holds `marker` (read from /proc; a child whose parent is
    gone is found too)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker.encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def test_the_ui_server_stops_when_its_block_ends_even_on_failure(tmp_path: Path) -> None:
    marker = ""
    with pytest.raises(KeyError), ui_for(f"http://127.0.0.1:{free_port()}", tmp_path) as url:
        marker = _port_marker(url)
        assert _processes_marked(marker), "the UI should be running inside the block"
        raise KeyError("a failing test")
    assert _processes_marked(marker) == []


def _stop_all(pids: list[int]) -> None:
    def signal_all(signum: int) -> None:
        for pid in pids:
            with suppress(ProcessLookupError):  # it ended by itself meanwhile
                os.kill(pid, signum)

    signal_all(signal.SIGTERM)
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    signal_all(signal.SIGKILL)


def _ask(page: Page, question: str) -> None:
    box = page.get_by_placeholder("Ask a question about your documents")
    box.fill(question)
    box.press("Enter")


def test_upload_ask_and_open_a_citation_with_the_real_api(browser: Browser, tmp_path: Path) -> None:
    note = tmp_path / "zephyr-x9.md"
    note.write_text(
        "# Zephyr X9 drone\n\nThe Zephyr X9 drone flies for 42 minutes on one charge. "
        "It weighs 1.3 kg and folds to the size of a book.\n"
    )
    api_port = free_port()
    env = {**os.environ, "RAG_DATA_DIR": str(tmp_path / "data")}
    api_url = f"http://127.0.0.1:{api_port}"
    api = running(
        [RAG, "serve", "--port", str(api_port)], env, f"{api_url}/health", tmp_path / "api.log"
    )
    with api, ui_for(api_url, tmp_path) as ui_url:
        page = browser.new_page()
        page.goto(ui_url)
        page.locator("input[type=file]").set_input_files(str(note))
        page.get_by_role("button", name="Index 1 file(s)").click()
        page.get_by_text("zephyr-x9.md: indexed").wait_for(timeout=60_000)

        _ask(page, "How long does the Zephyr X9 drone fly on one charge?")
        answer = page.locator("[data-testid=stChatMessage]").nth(1)
        answer.get_by_text("42 minutes").first.wait_for(timeout=120_000)
        citation = answer.locator("summary", has_text="zephyr-x9.md")
        citation.first.click()
        quote = answer.locator("strong", has_text="42 minutes")
        quote.first.wait_for(timeout=10_000)
        assert answer.get_by_role("button", name="Download zephyr-x9.md").is_visible()
        page.wait_for_timeout(500)  # the expander's opening animation
        page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
    assert (tmp_path / "chat.png").stat().st_size > 10_000


def test_html_scripts_links_and_images_in_documents_and_answers_stay_inert(
    browser: Browser, rag_app: RagApp, model: ScriptedModel, docs: Path, tmp_path: Path
) -> None:
    (docs / "hostile.md").write_text(
        f"# Hostile note\n\nThe hostile note lists a refund window of 30 days.\n\n{PAYLOADS}\n"
    )
    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    model.replies.append(f"The hostile note lists a refund window of 30 days. {PAYLOADS}")

    api = serving(create_app(rag_app.settings, rag_app), free_port())
    with api as api_url, ui_for(api_url, tmp_path) as ui_url:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(ui_url)

        _ask(page, "What refund window does the hostile note list?")
        answer = page.locator("[data-testid=stChatMessage]").nth(1)
        answer.locator("summary", has_text="hostile.md").first.wait_for(timeout=60_000)
        answer.locator("summary", has_text="hostile.md").first.click()
        answer.get_by_text("<script>alert(2)</script>").first.wait_for(timeout=10_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(tmp_path / "xss.png"), full_page=True)

        chat = page.locator("[data-testid=stMain]")
        assert chat.locator("img[src='x'], img[src*='tracker.example']").count() == 0
        assert chat.locator("script").count() == 0
        assert page.locator("a[href^='javascript:'], a[href*='tracker.example']").count() == 0
        # The hostile text is shown, as text, in the quoted source; the answer never holds
        # markup (the answer stage drops the model's sentence that repeats it).
        assert answer.get_by_text("onerror=alert(1)").count() >= 1
        assert (
            "onerror" not in answer.locator("[data-testid=stMarkdownContainer]").first.inner_text()
        )
    assert dialogs == []
    assert [url for url in requests if not url.startswith(("http://127.0.0.1", "data:"))] == []
