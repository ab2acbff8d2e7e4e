"""The source viewer: spans placed on another reading of the page, the views of each format
over REST (PDF pages as PNG with the span's characters marked, text as escaped HTML, sheets as
tables), their bounds, their cache, and the CLI's `file:page [start, end)`."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from rag import cli
from rag.access.keys import KeyStore, Role
from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.ingest.chunking import document_id
from rag.view.cache import BoundedCache
from rag.view.html import Row, table_html, text_html
from rag.view.image import lines_of
from rag.view.spans import CitedSpan, align, words
from rag.view.viewer import View, ViewLimits, view_url
from tests.fakes import ScriptedModel


def _keys(text: str) -> list[str]:
    return [w.key for w in words(text)]


def _span(page: str, quote: str, occurrence: int = 0) -> CitedSpan:
    start = -1
    for _ in range(occurrence + 1):
        start = page.index(quote, start + 1)
    return CitedSpan(page, start, start + len(quote))


# Placing a span on another reading of the page


def test_a_span_is_found_word_for_word_despite_spacing_case_and_ligatures() -> None:
    indexed = "The warranty does not cover damage from floods, fire or lightning."
    pdfium = "The\r\nwarranty does not cover damage from ﬂoods,  FIRE or lightning."
    placed = align(_span(indexed, "from floods, fire"), _keys(pdfium))
    assert placed is not None and placed.match == "exact"
    assert _keys(pdfium)[placed.first : placed.last + 1] == ["from", "floods", "fire"]


def test_a_repeated_phrase_is_placed_at_the_same_occurrence() -> None:
    page = "Filing a claim. The claim is opened by the installer. Filing a claim takes a day."
    placed = align(_span(page, "Filing a claim", occurrence=1), _keys(page))
    assert placed is not None and (placed.first, placed.last) == (10, 12)


def test_a_page_that_reads_differently_places_the_span_approximately() -> None:
    indexed = "Price: 250 euros; Product: Aurora K2 swap fee paid to the installer"
    other = "Aurora K2 swap fee 250 euros paid to the installer"
    placed = align(_span(indexed, "swap fee paid to the installer"), _keys(other))
    assert placed is not None and placed.match == "approximate"
    assert _keys(other)[placed.first : placed.last + 1] == _keys(
        "swap fee 250 euros paid to the installer"
    )


def test_a_span_with_nothing_in_common_is_placed_nowhere() -> None:
    indexed = "Battery capacity measured at 92 percent."
    assert (
        align(_span(indexed, "capacity measured"), _keys("Lorem ipsum dolor the sit amet")) is None
    )
    assert align(CitedSpan(indexed, 5, 5), _keys(indexed)) is None  # an empty span


def test_stray_common_words_do_not_stretch_the_highlight() -> None:
    indexed = "the inverter was replaced in march after the fault"
    other = (
        "the "
        + "noise " * 50
        + "inverter was swapped in march after a fault "
        + "noise " * 50
        + "the"
    )
    placed = align(_span(indexed, indexed), _keys(other))
    assert placed is not None
    assert placed.last - placed.first < 12


def test_character_boxes_merge_into_one_band_a_line() -> None:
    boxes = [(10, 10, 18, 30), (18, 11, 26, 29), (26, 10, 34, 30), (10, 40, 18, 60)]
    assert lines_of(boxes) == [(10, 10, 34, 30), (10, 40, 18, 60)]


# HTML views


def test_text_html_escapes_everything_and_marks_the_span() -> None:
    text = "Intro <script>alert(1)</script> and the cited <b>part</b> then the end."
    page = text_html("notes.md", text, text.index("the cited"), text.index(" then"), 10_000)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<mark>the cited &lt;b&gt;part&lt;/b&gt;</mark>" in page
    assert "default-src 'none'" in page


def test_text_html_opens_a_few_lines_above_the_mark() -> None:
    text = "".join(f"line {n}\n" for n in range(100))
    start = text.index("line 50")
    page = text_html("notes.txt", text, start, start + 7, 10_000)
    assert 'line 46\n<i id="cited"></i>line 47\nline 48\nline 49\n<mark>line 50</mark>' in page
    prose = "word " * 1000
    page = text_html("prose.txt", prose, 4000, 4004, 10_000)
    before = page[page.index('<i id="cited">') : page.index("<mark>")]
    assert 250 < len(before) < 350


def test_text_html_past_its_bound_shows_the_part_around_the_mark() -> None:
    text = "a" * 50_000 + "NEEDLE" + "b" * 50_000
    page = text_html("big.txt", text, 50_000, 50_006, max_chars=1_000)
    assert "<mark>NEEDLE</mark>" in page
    assert len(page) < 3_000
    assert "characters before not shown" in page and "characters after not shown" in page


def test_table_html_marks_the_cited_row_and_bounds_the_rows() -> None:
    rows = [Row(n * 20, n * 20 + 19, {"Quarter": f"Q{n}", "Units": str(n)}) for n in range(1000)]
    page = table_html("sales.xlsx · sheet 1", rows, 700 * 20, 700 * 20 + 5, max_rows=50)
    assert '<tr class="cited"><td>Q700</td><td>700</td></tr>' in page
    assert '<tr id="cited"><td>Q697</td>' in page  # the page opens a few rows above the mark
    assert page.count("<tr") == 51  # the header and 50 rows
    assert "rows before not shown" in page and "rows after not shown" in page


# The cache


def test_the_cache_drops_the_least_recently_used_past_its_entries_and_bytes() -> None:
    cache: BoundedCache[View] = BoundedCache(max_entries=3, max_bytes=100)
    for n in range(3):
        cache.put(n, View("text/html", b"x" * 30, "exact"))
    cache.get(0)  # used: now the most recent
    cache.put(3, View("text/html", b"x" * 30, "exact"))
    assert cache.get(1) is None and cache.get(0) is not None
    cache.put(4, View("image/png", b"x" * 60, "exact"))
    assert cache.bytes <= 100 and len(cache) <= 3
    cache.put(5, View("image/png", b"x" * 101, "exact"))  # larger than the whole cache
    assert cache.get(5) is None


# Over REST


@pytest.fixture
def served(rag_app: RagApp, docs: Path) -> TestClient:
    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        yield client


def _doc(docs: Path, name: str) -> str:
    return document_id(str((docs / name).resolve()))


def _page_text(client: TestClient, doc: str, page: int | None = None) -> str:
    pages = client.get(f"/v1/documents/{doc}/text").json()["pages"]
    return next(p["text"] for p in pages if page is None or p["page"] == page)


def _marked_pixels(png: bytes) -> list[tuple[int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = image.load()
    return [
        (x, y)
        for y in range(0, image.height, 2)
        for x in range(0, image.width, 2)
        if _yellow(*pixels[x, y])
    ]


def _yellow(red: int, green: int, blue: int) -> bool:
    """The marker multiplied into paper (white, or a scan's grey): yellow, whatever the grey."""
    return red > 150 and green > 120 and red - blue > 100


def _view(client: TestClient, doc: str, **params: Any):
    return client.get(f"/v1/documents/{doc}/view", params=params)


def test_a_pdf_page_is_a_png_with_the_cited_words_marked(served: TestClient, docs: Path) -> None:
    doc = _doc(docs, "warranty-claims.pdf")
    text = _page_text(served, doc, 3)
    first = text.index("opened by the owner")
    second = text.index("Capacity loss")

    top = _view(served, doc, page=3, start=first, end=first + 19)
    lower = _view(served, doc, page=3, start=second, end=second + 13)
    plain = _view(served, doc, page=3)

    assert top.status_code == 200 and top.headers["content-type"] == "image/png"
    assert top.headers["x-highlight"] == "exact"
    marked, below = _marked_pixels(top.content), _marked_pixels(lower.content)
    assert marked and below
    # "Capacity loss" stands on a line below "opened by the owner": so do their marks.
    assert min(y for _, y in below) > max(y for _, y in marked) - 5
    assert _marked_pixels(plain.content) == [] and plain.headers["x-highlight"] == "none"


def test_text_formats_are_escaped_html_with_the_span_marked(served: TestClient, docs: Path) -> None:
    doc = _doc(docs, "onboarding-guide.docx")
    text = _page_text(served, doc)
    start = text.index("IT hands out the laptop")

    shown = _view(served, doc, start=start, end=start + 23)

    assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/html")
    assert "<mark>IT hands out the laptop</mark>" in shown.text
    policy = shown.headers["content-security-policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy
    assert shown.headers["x-content-type-options"] == "nosniff"


def test_a_sheet_is_a_table_with_the_cited_row_marked(served: TestClient, docs: Path) -> None:
    doc = _doc(docs, "sales-2025.xlsx")
    text = _page_text(served, doc, 1)
    start = text.index("Quarter: Q3")

    shown = _view(served, doc, page=1, start=start, end=start + 11)

    assert "<th>Quarter</th>" in shown.text
    assert '<tr class="cited"><td>Q3</td>' in shown.text
    assert shown.text.count('class="cited"') == 1


def test_a_slide_is_its_text_under_its_slide_number(served: TestClient, docs: Path) -> None:
    doc = _doc(docs, "roadmap-2026.pptx")
    text = _page_text(served, doc, 2)

    shown = _view(served, doc, page=2, start=0, end=10)

    assert "roadmap-2026.pptx · slide 2</header>" in shown.text
    assert f"<mark>{text[:10]}</mark>" in shown.text


def test_a_pdf_whose_file_is_gone_shows_its_indexed_text(served: TestClient, docs: Path) -> None:
    doc = _doc(docs, "warranty-claims.pdf")
    (docs / "warranty-claims.pdf").unlink()

    shown = _view(served, doc, page=1, start=0, end=10)

    assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/html")
    assert "the original file is not available" in shown.text and "<mark" in shown.text


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page": 9}, 404),  # no such page
        ({"start": 5}, 400),  # start without end
        ({"start": 9, "end": 3}, 400),  # end before start
        ({"start": 10**6, "end": 10**6 + 1}, 400),  # past the page's text
        ({"start": -1, "end": 3}, 422),
        ({"page": 0}, 422),
    ],
)
def test_bad_requests_are_refused_with_the_error_shape(
    served: TestClient, docs: Path, params: dict[str, int], status: int
) -> None:
    shown = _view(served, _doc(docs, "warranty-claims.pdf"), **params)
    assert shown.status_code == status
    assert set(shown.json()["error"]) == {"type", "message"}


def test_an_unknown_document_is_404(served: TestClient) -> None:
    assert _view(served, "no-such-document").status_code == 404


def test_a_key_outside_the_collection_gets_the_404_of_a_missing_document(
    rag_app: RagApp, docs: Path
) -> None:
    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "private")
    keys = KeyStore(rag_app.data_dir.root)
    outsider = keys.create("outsider", Role.reader, ("public",))
    insider = keys.create("insider", Role.reader, ("private",))
    doc = _doc(docs, "warranty-claims.pdf")
    with TestClient(create_app(rag_app.settings, rag_app)) as client:

        def view(token: str, collection: str):
            return client.get(
                f"/v1/documents/{doc}/view",
                params={"collection": collection, "page": 1, "start": 0, "end": 5},
                headers={"Authorization": f"Bearer {token}"},
            )

        denied, ghost, allowed = (
            view(outsider, "private"),
            view(outsider, "ghost"),
            view(insider, "private"),
        )

    assert allowed.status_code == 200
    assert denied.status_code == 404 and denied.content.startswith(b"{")
    assert denied.json()["error"]["message"] == ghost.json()["error"]["message"].replace(
        "ghost", "private"
    )


def test_views_are_bounded_in_pixels_and_characters(rag_app: RagApp, docs: Path) -> None:
    (docs / "long.txt").write_text("word " * 40_000 + "NEEDLE " + "word " * 40_000)
    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    rag_app.viewer.limits = ViewLimits(max_pixels=200_000, max_html_chars=5_000)
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        page = _view(client, _doc(docs, "warranty-claims.pdf"), page=1, start=0, end=20)
        long_doc = _doc(docs, "long.txt")
        start = _page_text(client, long_doc).index("NEEDLE")
        text = _view(client, long_doc, start=start, end=start + 6)

    image = Image.open(io.BytesIO(page.content))
    assert image.width * image.height <= 200_000
    assert _marked_pixels(page.content)
    assert len(text.content) < 5_000 + 2_000 and "<mark>NEEDLE</mark>" in text.text


def test_a_view_is_drawn_once_and_drawn_again_when_the_document_changes(
    rag_app: RagApp, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rag.view import viewer

    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    drawn = []
    original = viewer.SourceViewer._draw
    monkeypatch.setattr(
        viewer.SourceViewer, "_draw", lambda self, *a: drawn.append(a) or original(self, *a)
    )
    doc = _doc(docs, "support-faq.txt")
    with TestClient(create_app(rag_app.settings, rag_app)) as client:
        first = _view(client, doc, start=0, end=8)
        again = _view(client, doc, start=0, end=8)
        (docs / "support-faq.txt").write_text("Changed: the support line opens at 08:00.\n")
        rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
        changed = _view(client, doc, start=0, end=8)

    assert first.content == again.content and len(drawn) == 2
    assert "<mark>Changed:</mark>" in changed.text


def test_view_url_names_the_collection_page_and_span() -> None:
    citation = {"document_id": "d1", "page": 3, "start": 10, "end": 42}
    assert view_url("my docs", citation) == (
        "/v1/documents/d1/view?collection=my+docs&page=3&start=10&end=42#cited"
    )


# The CLI


def test_the_cli_prints_each_citation_as_file_page_and_span(
    cli_on_fakes: Path, model: ScriptedModel, docs: Path
) -> None:
    runner = CliRunner()
    runner.invoke(cli.cli, ["ingest", str(docs)])
    model.replies.append("An installation takes about five hours.")

    shown = runner.invoke(cli.cli, ["ask", "How long does an installation take?"])
    model.replies.append("An installation takes about five hours.")
    body = json.loads(
        runner.invoke(cli.cli, ["ask", "--json", "How long does an installation take?"]).output
    )

    first = body["citations"][0]
    page = f":{first['page']}" if first["page"] else ""
    assert f"] {first['source']}{page} [{first['start']}, {first['end']}): " in shown.output


def test_an_answers_citations_carry_a_view_url_that_opens_the_cited_place(
    served: TestClient, model: ScriptedModel
) -> None:
    model.replies.append("An installation takes about five hours.")

    answer = served.post("/v1/query", json={"question": "How long does an installation take?"})

    citation = answer.json()["citations"][0]
    assert citation["view_url"] == view_url("default", citation)
    shown = served.get(citation["view_url"].removesuffix("#cited"))
    assert shown.status_code == 200 and f"<mark>{citation['text']}" in shown.text.replace(
        "&#x27;", "'"
    )


@pytest.mark.parametrize("turn", [0, 90, 180])
def test_a_turned_pdf_page_marks_its_span_where_the_page_shows_it(turn: int) -> None:
    from pypdf import PdfReader, PdfWriter

    from rag.ingest.ocr import OcrConfig
    from rag.ingest.pdf import read_pdf
    from rag.view.pdf import marked_pdf_page
    from tests.scans import text_pdf

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(text_pdf("Alpha beta. The cited words stand here. Omega."))))
    if turn:
        writer.pages[0].rotate(turn)
    out = io.BytesIO()
    writer.write(out)
    text = read_pdf(out.getvalue(), OcrConfig(enabled=False))[0].text

    marked = marked_pdf_page(out.getvalue(), 1, _span(text, "cited words"), OcrConfig(), 10**6)

    image = Image.open(io.BytesIO(marked.png))
    xs, ys = zip(*_marked_pixels(marked.png), strict=True)
    # The text's first line runs along the top edge of the unturned page: after a quarter turn
    # clockwise it stands down the right edge, after a half turn along the bottom.
    edge = {
        0: max(ys) < image.height / 4,
        90: min(xs) > image.width * 3 / 4,
        180: min(ys) > image.height * 3 / 4,
    }
    assert marked.match == "exact" and edge[turn]
