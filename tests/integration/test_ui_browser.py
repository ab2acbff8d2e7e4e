"""The chat UI in headless Chromium (Debian's, driven by Playwright) against live servers.

1. With the real API (bundled models): upload a file, ask, open the citation; on sample_docs,
   the first screen, an answer citing a table row, a reload that reopens the chat, the saved
   chats in the sidebar and a computed answer with its rows as a small table, saved as the
   README's screenshots (docs/screenshots/).
2. With the scripted model: Stop frees the model and a question asked meanwhile is answered;
   one vote per answer; delete asks first; collection names are checked and an empty
   collection can be asked.
3. XSS: a document and an answer full of HTML, script, `javascript:` links and an external
   Markdown image: no dialog opens, no request leaves 127.0.0.1, no such element exists.

Every test stops the servers it starts, Streamlit's child process included, even on failure.
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.conftest import N_SAMPLE_DOCS, SAMPLE_DOCS
from tests.fakes import HashEmbedder, ScriptedModel, SlowModel
from tests.live import free_port, running, serving
from tests.unit.test_ui import QUESTION, REPLY

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
# Where the browser tests save what they show: docs/screenshots/ only when asked (`make
# screenshots`), so that `make test` leaves the checkout as it found it.
SCREENSHOTS = Path(
    os.environ.get("RAG_TEST_SCREENSHOTS") or Path(tempfile.gettempdir()) / "rag-test-screenshots"
)
SCREENSHOTS.mkdir(parents=True, exist_ok=True)
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
    url = f"http://127.0.0.1:{port}"
    try:
        with running(
            [RAG, "ui"], _ui_env(api_url, port), f"{url}/_stcore/health", tmp_path / "ui.log"
        ):
            yield url
    finally:
        # Whatever `rag ui` may have left behind, even when the test failed.
        _stop_all(_processes_marked(_port_marker(url)))


def _ui_env(api_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "RAG_API_URL": api_url,
        "RAG_UI_HOST": "127.0.0.1",
        "STREAMLIT_SERVER_PORT": str(port),
    }


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


def test_stopping_rag_ui_stops_streamlit(tmp_path: Path) -> None:
    """`rag ui` becomes the Streamlit server, so stopping it stops the UI (its Streamlit child
    used to keep serving after `rag ui` was stopped)."""
    port = free_port()
    url, marker = f"http://127.0.0.1:{port}", f"STREAMLIT_SERVER_PORT={port}"
    env = _ui_env(f"http://127.0.0.1:{free_port()}", port)
    try:
        with running([RAG, "ui"], env, f"{url}/_stcore/health", tmp_path / "ui.log"):
            assert _processes_marked(marker)
        deadline = time.monotonic() + 20
        while _processes_marked(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_marked(marker) == []
    finally:
        _stop_all(_processes_marked(marker))


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


def _new_page(browser: Browser) -> Page:
    return browser.new_page(viewport={"width": 1400, "height": 900})


def _messages(page: Page) -> Locator:
    return page.locator("[data-testid=stMainBlockContainer] [data-testid=stChatMessage]")


def _sidebar(page: Page) -> Locator:
    return page.locator("[data-testid=stSidebar]")


def _button(scope: Page | Locator, label: str) -> Locator:
    """A Streamlit button by its text (its Material icon's name is text in the DOM too)."""
    return scope.locator("button", has_text=re.compile(re.escape(label))).first


def _settled(page: Page, timeout_s: float = 120) -> None:
    """Wait until the page's script run is over, as a person waits for "Running…" to go.

    Call it once an action's outcome shows, before the next click: the outcome is drawn
    mid-run, and a click landing while the run still redraws the page can be dropped in the
    browser (a Create click was: the server got no rerun, the typed name stayed in the box)."""
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(
        timeout=timeout_s * 1000
    )


def _wait_until(condition: Callable[[], bool], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.1)


def _real_api(tmp_path: Path, documents: Path | None = None) -> tuple[str, AbstractContextManager]:
    """`rag serve` with the bundled models on a fresh data dir, `documents` ingested first."""
    env = {**os.environ, "RAG_DATA_DIR": str(tmp_path / "data")}
    if documents is not None:
        ingested = subprocess.run(
            [RAG, "ingest", str(documents)], env=env, capture_output=True, text=True, timeout=600
        )
        assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    serve = [RAG, "serve", "--port", str(port)]
    return url, running(serve, env, f"{url}/health", tmp_path / "api.log")


def test_upload_ask_and_open_a_citation_with_the_real_api(browser: Browser, tmp_path: Path) -> None:
    note = tmp_path / "zephyr-x9.md"
    note.write_text(
        "# Zephyr X9 drone\n\nThe Zephyr X9 drone flies for 42 minutes on one charge. "
        "It weighs 1.3 kg and folds to the size of a book.\n"
    )
    api_url, api = _real_api(tmp_path)
    with api, ui_for(api_url, tmp_path) as ui_url:
        page = _new_page(browser)
        page.goto(ui_url)
        page.locator("input[type=file]").set_input_files(str(note))
        _button(page, "Index 1 file(s)").click()
        page.get_by_text("zephyr-x9.md: indexed").wait_for(timeout=60_000)

        _ask(page, "How long does the Zephyr X9 drone fly on one charge?")
        answer = _messages(page).nth(1)
        # What the pipeline guarantees, whatever words the model chose on this CPU: a citation
        # of the note, which opens on the cited sentence, and that sentence states the fact.
        citation = answer.locator("summary", has_text="zephyr-x9.md").first
        citation.wait_for(timeout=180_000)
        citation.click()
        quote = answer.locator("strong", has_text="42 minutes")
        quote.first.wait_for(timeout=10_000)
        assert _button(answer, "Download zephyr-x9.md").is_visible()


def test_sample_docs_first_screen_table_citation_and_saved_chats_with_the_real_api(
    browser: Browser, tmp_path: Path
) -> None:
    """The README's screenshots, and a reload that reopens the chat."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    api_url, api = _real_api(tmp_path, SAMPLE_DOCS)
    with api, ui_for(api_url, tmp_path) as ui_url:
        page = _new_page(browser)
        page.goto(ui_url)
        main = page.locator("[data-testid=stMainBlockContainer]")
        main.get_by_text(f"{N_SAMPLE_DOCS} documents").wait_for(timeout=60_000)
        assert main.get_by_text("SmolLM2").count() == 1  # the model's name
        examples = main.locator("button", has_text="?")
        _wait_until(lambda: examples.count() == 3)
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / "first-screen.png"))

        _ask(page, "How much does the Aurora K2 wall bracket cost?")
        answer = _messages(page).nth(1)
        citation = answer.locator("summary", has_text="price-list.md").first
        citation.wait_for(timeout=180_000)
        citation.click()
        answer.locator("[data-testid=stDataFrame]").first.wait_for(timeout=10_000)
        page.wait_for_timeout(1000)  # the expander's opening animation, the table's drawing
        _messages(page).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "answer-table-citation.png"))

        page.reload()
        _messages(page).nth(1).locator("summary", has_text="price-list.md").first.wait_for(
            timeout=60_000
        )
        assert "chat=" in page.url and _messages(page).count() == 2

        _button(_sidebar(page), "New chat").click()
        _wait_until(lambda: _messages(page).count() == 0)
        _ask(page, "How do I contact support?")
        _button(_messages(page).nth(1), "Regenerate").wait_for(timeout=180_000)
        chats = _sidebar(page).locator("button", has_text="chat")  # the chat icon's name
        _wait_until(lambda: chats.count() >= 3)  # New chat and the two saved chats
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / "conversation-list.png"))

        _button(_sidebar(page), "New chat").click()
        _wait_until(lambda: _messages(page).count() == 0)
        _ask(page, "What were the total sales in 2025?")
        answer = _messages(page).nth(1)
        answer.get_by_text("19,360").first.wait_for(timeout=180_000)
        rows = answer.locator("[data-testid=stDataFrame]").first  # the computed answer's rows
        rows.wait_for(timeout=10_000)
        assert answer.locator("summary", has_text="sales-2025.xlsx").count() == 4
        page.wait_for_timeout(1000)
        _messages(page).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "table-computed-answer.png"))
    names = ("first-screen", "answer-table-citation", "conversation-list", "table-computed-answer")
    for name in names:
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 20_000


def test_stop_frees_the_model_and_a_question_asked_meanwhile_is_answered(
    browser: Browser, settings: Settings, docs: Path, tmp_path: Path
) -> None:
    slow = SlowModel()
    core = RagApp(settings, embedder=HashEmbedder(), model=slow)
    core.indexer.sync([scan_path(docs, settings.max_file_bytes)], "default")
    slow.replies += [" ".join([REPLY] * 100), REPLY, "The discount is 8%."]
    try:
        api = serving(create_app(settings, core), free_port())
        with api as api_url, ui_for(api_url, tmp_path) as ui_url:
            page = _new_page(browser)
            page.goto(ui_url)
            _ask(page, QUESTION)
            stop = _button(_messages(page).nth(1), "Stop")
            stop.wait_for(timeout=30_000)
            _wait_until(lambda: slow.words > 0)
            stop.click()
            page.get_by_text("Stopped before the answer was complete").wait_for(timeout=30_000)
            _wait_until(lambda: core.model_worker.running == 0, timeout_s=5)
            assert slow.words < 500 and core.model_worker.queue_depth == 0  # of 1000 words

            slow.seconds_per_word = 0.5  # time to ask the next question while this one streams
            _ask(page, QUESTION)
            _button(_messages(page).nth(3), "Stop").wait_for(timeout=30_000)
            _ask(page, "And for three batteries?")  # while the answer streams
            page.get_by_text("Asked next").wait_for(timeout=10_000)
            _messages(page).nth(5).get_by_text("8%").first.wait_for(timeout=60_000)
            assert "8% off" in _messages(page).nth(3).inner_text()
            assert len(slow.prompts) == 3
    finally:
        core.close()


def test_collections_delete_confirmation_and_one_vote_in_the_browser(
    browser: Browser, rag_app: RagApp, model: ScriptedModel, docs: Path, tmp_path: Path
) -> None:
    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    model.replies.append(REPLY)
    api = serving(create_app(rag_app.settings, rag_app), free_port())
    with api as api_url, ui_for(api_url, tmp_path) as ui_url:
        page = _new_page(browser)
        page.goto(ui_url)
        sidebar = _sidebar(page)

        _ask(page, QUESTION)
        answer = _messages(page).nth(1)
        _button(answer, "thumb_down").wait_for()
        _settled(page)
        _button(answer, "thumb_down").click()
        _wait_until(lambda: [e["rating"] for e in rag_app.feedback.entries()] == [-1])
        _settled(page)
        _button(answer, "thumb_up").click()
        _wait_until(lambda: [e["rating"] for e in rag_app.feedback.entries()] == [1])
        _settled(page)

        sidebar.locator("summary", has_text="Documents in default").click()
        # A document's Delete is its icon (the Material name is its text), the name its tooltip.
        sidebar.locator("[data-testid=stExpander] button", has_text="delete").first.click()
        sidebar.get_by_text("from default? Its answers lose this source").wait_for()
        _settled(page)
        assert len(rag_app.catalog.documents("default")) == N_SAMPLE_DOCS
        sidebar.locator("[data-testid=stBaseButton-primary]", has_text="Delete").click()
        sidebar.get_by_text(re.compile(r"Deleted .* from default\.")).wait_for()
        _settled(page)
        assert len(rag_app.catalog.documents("default")) == N_SAMPLE_DOCS - 1

        sidebar.locator("summary", has_text="New collection").click()
        assert sidebar.get_by_text("letters, digits").is_visible()  # the rules, before a try
        name = sidebar.get_by_label("Name", exact=True)
        name.fill("My Notes")
        _button(sidebar, "Create").click()
        sidebar.get_by_text("is not a valid name").wait_for()
        _settled(page)
        assert page.get_by_placeholder("Ask a question about your documents").is_visible()

        name.fill("my-notes")
        _button(sidebar, "Create").click()
        sidebar.get_by_text("Documents in my-notes (0)").wait_for()
        _settled(page)
        _ask(page, "What is in here?")
        _messages(page).nth(1).get_by_text("my-notes is empty").wait_for()


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
        page = _new_page(browser)
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

        chat = page.locator("[data-testid=stMainBlockContainer]")
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
