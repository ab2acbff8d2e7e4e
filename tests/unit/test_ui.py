"""The Streamlit app driven by AppTest against a live API on 127.0.0.1 (scripted model, hash
embedder): chat, citations, upload, feedback, and the error states a user meets."""

import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pydantic import SecretStr
from streamlit.testing.v1 import AppTest

from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.errors import ModelBusyError
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.live import free_port, serving

APP = Path(__file__).resolve().parents[2] / "ui" / "app.py"
QUESTION = "What discount for two batteries?"
REPLY = "Customers get 8% off when they buy two or more batteries."


@pytest.fixture
def api_url(rag_app: RagApp, docs: Path) -> Iterator[str]:
    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    with serving(create_app(rag_app.settings, rag_app), free_port()) as url:
        yield url


def _page(url: str, monkeypatch: pytest.MonkeyPatch, key: str | None = None) -> AppTest:
    monkeypatch.setenv("RAG_API_URL", url)
    if key:
        monkeypatch.setenv("RAG_API_KEY", key)
    page = AppTest.from_file(str(APP), default_timeout=60)
    page.run()
    assert not page.exception, page.exception
    return page


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _ask(page: AppTest, question: str) -> AppTest:
    page.chat_input[0].set_value(question).run()
    assert not page.exception, page.exception
    return page


def test_a_question_gets_a_streamed_answer_with_citation_chips_and_quotes(
    api_url: str, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.replies.append(REPLY)
    page = _ask(_page(api_url, monkeypatch), QUESTION)
    user, assistant = page.chat_message
    assert user.markdown[0].value == "What discount for two batteries?"
    answer = assistant.markdown[0].value
    assert "8% off" in answer and ":blue-badge[c1]" in answer
    [citation] = assistant.expander
    assert "price" in citation.label and "list" in citation.label
    quote = citation.markdown[0].value
    assert "**" in quote and "8%" in quote
    assert citation.get("download_button")


def test_follow_up_questions_send_the_conversation(
    api_url: str, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.replies += [REPLY, "The discount is 8%."]
    page = _ask(_ask(_page(api_url, monkeypatch), QUESTION), "And for three?")
    assert len(page.chat_message) == 4
    second_prompt = " ".join(m["content"] for m in model.prompts[1])
    assert "8% off" in second_prompt  # the earlier answer went along as history

    [new_chat] = [b for b in page.sidebar.button if b.label == "New chat"]
    new_chat.click().run()
    assert len(page.chat_message) == 0


def test_an_unsupported_sentence_is_never_shown_and_an_abstention_lists_closest_sources(
    api_url: str, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.replies.append("Customers get 8% off. The moon is made of basalt cheese.")
    page = _ask(_page(api_url, monkeypatch), QUESTION)
    shown = page.chat_message[1].markdown[0].value
    assert "8% off" in shown and "moon" not in shown

    page = _ask(_page(api_url, monkeypatch), "zebra quantum tango?")
    abstained = page.chat_message[-1]
    assert "do not contain" in abstained.info[0].value
    assert abstained.expander and abstained.expander[0].label.startswith("Closest source 1")


def test_upload_reports_each_file_and_lists_it(
    api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(api_url, monkeypatch)
    before = page.sidebar.expander[1].label
    page.sidebar.file_uploader[0].set_value(
        [
            (
                "parking.md",
                b"# Parking\n\nVisitors park on level -2 of the east garage.\n",
                "text/markdown",
            ),
            ("broken.pdf", b"%PDF-1.7 this is not a pdf", "application/pdf"),
        ]
    ).run()
    [index] = [b for b in page.sidebar.button if b.label.startswith("Index 2")]
    index.click().run()
    assert not page.exception, page.exception
    assert [_plain(s.value) for s in page.sidebar.success] == ["parking.md: indexed (1 chunks)"]
    assert _plain(page.sidebar.error[0].value).startswith("broken.pdf: ")
    assert "PDF cannot be read" in page.sidebar.error[0].value
    after = page.sidebar.expander[1].label
    assert before != after and after.endswith(f"({int(before.split('(')[1][:-1]) + 1})")


def test_a_web_page_is_added_through_a_job_and_documents_can_be_deleted(
    settings: Settings, model: ScriptedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "pumps.html").write_text(
        "<html><body><main><h1>Heat pumps</h1><p>Service every 2 years.</p></main></body></html>"
    )
    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    pages = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{pages.server_port}"
    allowed = settings.model_copy(update={"web_allowed_hosts": [host]})
    core = RagApp(allowed, embedder=HashEmbedder(), model=model)
    try:
        with serving(create_app(allowed, core), free_port()) as url:
            page = _page(url, monkeypatch)
            page.sidebar.text_input[1].input(f"http://{host}/pumps.html")
            [add] = [b for b in page.sidebar.button if b.label == "Add"]
            add.click().run()
            assert not page.exception, page.exception
            assert page.sidebar.success[0].value == "1 page(s) indexed, 0 unchanged"
            documents = page.sidebar.expander[1]
            assert documents.label == "Documents in default (1)"

            documents.button[0].click().run()
            assert page.sidebar.expander[1].label == "Documents in default (0)"
            assert core.catalog.documents("default") == []
    finally:
        pages.shutdown()
        core.close()


def test_a_new_collection_is_created_and_selected(
    api_url: str, rag_app: RagApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(api_url, monkeypatch)
    page.sidebar.text_input[0].input("contracts")
    [create] = [b for b in page.sidebar.button if b.label == "Create"]
    create.click().run()
    assert page.sidebar.selectbox[0].value == "contracts"
    assert page.sidebar.expander[1].label == "Documents in contracts (0)"
    assert "contracts" in [c.name for c in rag_app.catalog.collections()]


def test_thumbs_are_stored_with_question_answer_and_sources(
    api_url: str, rag_app: RagApp, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.replies.append(REPLY)
    page = _ask(_page(api_url, monkeypatch), QUESTION)
    page.feedback[0].set_value(0).run()
    [entry] = rag_app.feedback.entries()
    assert entry["rating"] == -1 and entry["question"] == QUESTION
    assert "8% off" in entry["answer"] and entry["sources"][0]["source"].endswith("price-list.md")


def test_api_down_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(f"http://127.0.0.1:{free_port()}", monkeypatch)
    assert "is not reachable" in page.error[0].value and not page.chat_input


def test_a_wrong_key_is_a_clear_message(rag_app: RagApp, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = rag_app.settings.model_copy(update={"api_key": SecretStr("right")})
    with serving(create_app(settings, rag_app), free_port()) as url:
        page = _page(url, monkeypatch, key="wrong")
        assert "refused the key" in page.error[0].value
        assert _page(url, monkeypatch, key="right").chat_input


def test_a_busy_model_says_when_to_try_again(
    api_url: str, rag_app: RagApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(*args: object, **kwargs: object) -> None:
        raise ModelBusyError("the model is busy", retry_after_s=7)

    monkeypatch.setattr(rag_app.model_worker, "submit", busy)
    page = _ask(_page(api_url, monkeypatch), QUESTION)
    assert "Try again in 7 seconds" in page.chat_message[1].error[0].value
