"""The source viewer in headless Chromium: a citation opened from the chat UI shows its place
in its document with the span marked, for a PDF, a scan (real Tesseract), a DOCX and a sheet
(the screenshots in docs/screenshots/viewer-*.png); and the REST view itself in the browser:
the mark scrolled into sight without script, a hostile document's markup inert.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.ingest.chunking import document_id
from tests.fakes import ScriptedModel
from tests.integration.test_ui_browser import (
    SCREENSHOTS,
    _ask,
    _button,
    _messages,
    _new_page,
    browser,  # noqa: F401 - the module's Chromium fixture
    ui_for,
)
from tests.live import free_port, serving
from tests.scans import image_bytes, render_page

pytestmark = pytest.mark.integration

SCAN = "service-report-scan.png"
SCAN_LINES = [
    "Aurora K2 service report, site visit of 14 March 2026.",
    "The inverter was replaced and the firmware updated to 4.2.1.",
    "Battery capacity measured at 92 percent of the rated value.",
    "Next inspection is due in September; the owner was informed.",
]
# (screenshot, cited file, question, the scripted model's reply)
CITED = [
    (
        "viewer-pdf",
        "warranty-claims.pdf",
        "How fast does Brightwater answer a warranty claim?",
        "Brightwater Labs answers every claim within three working days.",
    ),
    (
        "viewer-scan",
        SCAN,
        "What battery capacity did the service report measure?",
        "Battery capacity was measured at 92 percent of the rated value.",
    ),
    (
        "viewer-docx",
        "onboarding-guide.docx",
        "When does IT hand out the laptop on the first day?",
        "On the first day, IT hands out the laptop at 09:00.",
    ),
    (
        "viewer-sheet",
        "sales-2025.xlsx",
        "How many K2 units were sold in Q3 2025?",
        "In Q3, 610 K2 units were sold.",
    ),
]
HOSTILE = (
    "Intro line.\n<img src=x onerror=alert(1)> <script>alert(2)</script> "
    "<a href=javascript:alert(3)>click</a> <iframe src=https://tracker.example/></iframe>\n"
)


@pytest.fixture
def api(rag_app: RagApp, docs: Path) -> Iterator[str]:
    (docs / SCAN).write_bytes(image_bytes([render_page(SCAN_LINES, 300, noise=0.2)], "PNG"))
    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    with serving(create_app(rag_app.settings, rag_app), free_port()) as url:
        yield url


def test_a_citation_opens_its_source_with_the_span_marked_in_the_ui(
    browser: Browser,  # noqa: F811
    api: str,
    model: ScriptedModel,
    tmp_path: Path,
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with ui_for(api, tmp_path) as ui_url:
        page = _new_page(browser)
        page.goto(ui_url)
        for turn, (shot, source, question, reply) in enumerate(CITED):
            model.replies.append(reply)
            _ask(page, question)
            answer = _messages(page).nth(2 * turn + 1)
            citation = answer.locator("summary", has_text=source).first
            citation.wait_for(timeout=120_000)
            citation.click()
            _button(answer, "Show in the source").click()
            panel = page.get_by_role("dialog")
            panel.wait_for(timeout=30_000)
            if source.endswith((".pdf", ".png")):
                image = panel.locator("img")
                image.wait_for(timeout=60_000)  # a scan is read by Tesseract first
                _wait_loaded(page, image)
            else:
                frame = panel.frame_locator("iframe")
                mark = frame.locator("mark, tr.cited").first
                mark.wait_for(timeout=30_000)
                assert _in_sight(mark.bounding_box(), panel.locator("iframe").bounding_box())
            page.wait_for_timeout(800)  # the panel's opening animation
            page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"))
            page.keyboard.press("Escape")
            panel.wait_for(state="hidden")
    for shot, *_ in CITED:
        assert (SCREENSHOTS / f"{shot}.png").stat().st_size > 20_000


def _wait_loaded(page: Page, image) -> None:
    handle = image.element_handle()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=handle)


def _in_sight(box: dict | None, frame: dict | None) -> bool:
    """Whether the marked element's box lies within the frame's."""
    assert box and frame
    return frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]


def _view_url(api: str, doc: Path, start: int, end: int, page: int | None = None) -> str:
    query = {"start": start, "end": end, **({"page": page} if page else {})}
    return f"{api}/v1/documents/{document_id(str(doc.resolve()))}/view?{urlencode(query)}"


def test_a_long_text_opens_scrolled_to_its_mark_by_css_alone(
    browser: Browser,  # noqa: F811
    rag_app: RagApp,
    docs: Path,
) -> None:
    long_text = docs / "long-notes.txt"
    long_text.write_text("".join(f"Line {n} of the notes.\n" for n in range(2000)))
    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    start = long_text.read_text().index("Line 1500 of")
    with serving(create_app(rag_app.settings, rag_app), free_port()) as api:
        page = _new_page(browser)
        page.goto(_view_url(api, long_text, start, start + 21))  # no #cited: CSS scrolls
        mark = page.locator("main mark")
        assert mark.inner_text() == "Line 1500 of the note"
        assert page.evaluate("window.scrollY") > 10_000
        assert _in_sight(mark.bounding_box(), {"y": 0, "height": 900})


def test_a_hostile_documents_markup_stays_text_in_the_browser(
    browser: Browser,  # noqa: F811
    rag_app: RagApp,
    docs: Path,
) -> None:
    hostile = docs / "hostile.md"
    hostile.write_text(HOSTILE)
    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    with serving(create_app(rag_app.settings, rag_app), free_port()) as api:
        page = _new_page(browser)
        dialogs: list[str] = []
        requests: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        start = HOSTILE.index("<img")
        response = page.goto(_view_url(api, hostile, start, start + 30))
        page.wait_for_timeout(500)

        assert response is not None and "sandbox" in response.headers["content-security-policy"]
        assert page.locator("img, script, a, iframe").count() == 0
        assert "<script>alert(2)</script>" in page.locator("main").inner_text()
        assert dialogs == []
        assert all(re.match(re.escape(api), url) for url in requests), requests
