"""The Streamlit app driven by AppTest against a live API on 127.0.0.1 (scripted model, hash
embedder): chat, saved conversations, stop and queued questions, citations, collections and
documents, feedback, and the error states a user meets."""

import re
import threading
import time
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
from rag.ui.render import literal
from tests.fakes import HashEmbedder, ScriptedModel, SlowModel
from tests.live import free_port, serving

APP = Path(__file__).resolve().parents[2] / "ui" / "app.py"
QUESTION = "What discount for two batteries?"
REPLY = "Customers get 8% off when they buy two or more batteries."


@pytest.fixture
def api_url(rag_app: RagApp, docs: Path) -> Iterator[str]:
    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    with serving(create_app(rag_app.settings, rag_app), free_port()) as url:
        yield url


def _page(
    url: str, monkeypatch: pytest.MonkeyPatch, key: str | None = None, **query: str
) -> AppTest:
    monkeypatch.setenv("RAG_API_URL", url)
    if key:
        monkeypatch.setenv("RAG_API_KEY", key)
    page = AppTest.from_file(str(APP), default_timeout=60)
    page.query_params.update(query)
    page.run()
    assert not page.exception, page.exception
    return page


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _settled(page: AppTest) -> AppTest:
    """Run the page until no answer is in progress (the browser's timer does this)."""
    while page.session_state["job"] is not None:
        assert page.session_state["job"].wait(30), "the answer did not finish"
        page.run()
        assert not page.exception, page.exception
    return page


def _ask(page: AppTest, question: str, settle: bool = True) -> AppTest:
    page.chat_input[0].set_value(question).run()
    assert not page.exception, page.exception
    return _settled(page) if settle else page


def _button(page: AppTest, label: str, sidebar: bool = False):
    [button] = [b for b in (page.sidebar if sidebar else page.main).button if b.label == label]
    return button


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
    assert [b.label for b in citation.button] == ["Show in the source"]  # ui/viewer.py
    assert [b.label for b in assistant.button] == ["Show in the source", "Regenerate"]


def test_a_cited_table_row_is_shown_as_a_small_table(
    api_url: str, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.replies.append("The Aurora K2 wall bracket costs 180 euros.")
    page = _ask(_page(api_url, monkeypatch), "How much does the Aurora K2 wall bracket cost?")
    [citation] = page.chat_message[1].expander
    assert "price-list.md" in _plain(citation.label)
    [table] = citation.dataframe
    assert table.value.iloc[0].to_dict() == {
        "Product": "Aurora K2 wall bracket",
        "Code": "BW-K2-WB",
        "Price": "180",
    }
    assert all("|" not in _plain(shown.value) for shown in citation.markdown)


def test_a_computed_answer_shows_its_rows_as_one_small_table(
    api_url: str, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _ask(_page(api_url, monkeypatch), "What were the total sales in 2025?")
    assistant = page.chat_message[1]
    assert "19,360" in assistant.markdown[0].value and not model.prompts  # the engine's sum
    [rows, *cited] = assistant.dataframe
    assert rows.value[""].tolist() == ["c1", "c2", "c3", "c4"]
    assert rows.value["Quarter"].tolist() == ["Q1", "Q2", "Q3", "Q4"]
    assert rows.value["Revenue (thousand euros)"].tolist() == ["3540", "4480", "5260", "6080"]
    assert len(cited) == len(assistant.expander) == 4  # each citation keeps its own row


def test_a_chat_is_saved_listed_and_reopened_after_a_reload(
    api_url: str, rag_app: RagApp, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.replies += [REPLY, "The discount is 8%."]
    page = _ask(_ask(_page(api_url, monkeypatch), QUESTION), "And for three?")
    assert len(page.chat_message) == 4
    second_prompt = " ".join(m["content"] for m in model.prompts[1])
    assert "8% off" in second_prompt  # the stored turn went along as history
    conversation_id = page.query_params["chat"]
    stored = rag_app.conversations.get(conversation_id)
    assert [t["question"] for t in stored["turns"]] == [QUESTION, "And for three?"]

    reloaded = _page(api_url, monkeypatch, chat=conversation_id)
    assert len(reloaded.chat_message) == 4
    assert "8% off" in reloaded.chat_message[1].markdown[0].value
    assert reloaded.sidebar.button(key=f"chat-{conversation_id}").label == QUESTION

    _button(reloaded, "New chat", sidebar=True).click().run()
    assert len(reloaded.chat_message) == 0 and "chat" not in reloaded.query_params
    reloaded.sidebar.button(key=f"chat-{conversation_id}").click().run()
    assert len(reloaded.chat_message) == 4


def test_changing_the_collection_starts_a_new_chat(
    api_url: str, rag_app: RagApp, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    rag_app.catalog.create("contracts")
    model.replies.append(REPLY)
    page = _ask(_page(api_url, monkeypatch), QUESTION)
    page.sidebar.selectbox[0].select("contracts").run()
    assert len(page.chat_message) == 0 and "chat" not in page.query_params
    assert page.query_params["collection"] == "contracts"
    assert _page(api_url, monkeypatch, collection="contracts").sidebar.selectbox[0].value == (
        "contracts"
    )


def test_stop_cancels_the_generation_on_the_server_and_frees_the_model(
    slow_app: tuple[RagApp, str], slow: SlowModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    core, url = slow_app
    slow.replies += [" ".join([REPLY] * 100), REPLY]
    page = _ask(_page(url, monkeypatch), QUESTION, settle=False)
    deadline = time.monotonic() + 10
    while slow.words == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    page.button(key="stop").click().run()
    deadline = time.monotonic() + 5
    while core.model_worker.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert core.model_worker.running == 0 and core.model_worker.queue_depth == 0
    assert slow.words < 500  # of 1000: the worker stopped generating
    page = _settled(page)
    assert "Stopped" in page.chat_message[1].caption[0].value

    page = _ask(page, QUESTION)  # the model is free for the next question
    assert "8% off" in page.chat_message[3].markdown[0].value


def test_a_question_asked_during_an_answer_waits_and_is_answered(
    slow_app: tuple[RagApp, str], slow: SlowModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow.replies += [REPLY, "The discount is 8%."]
    slow.gate.clear()  # the first answer waits until the second question is queued
    try:
        page = _ask(_page(slow_app[1], monkeypatch), QUESTION, settle=False)
        page = _ask(page, "And for three batteries?", settle=False)
        assert page.session_state["queue"] == ["And for three batteries?"]
        assert "Asked next" in page.chat_message[-1].caption[0].value
    finally:
        slow.gate.set()
    page = _settled(page)
    questions = [m.markdown[0].value for m in page.chat_message[::2]]
    assert questions == [QUESTION, "And for three batteries?"]
    assert all(m.markdown for m in page.chat_message[1::2])
    assert len(slow.prompts) == 2


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
    assert "#" not in abstained.expander[0].markdown[0].value.replace("\\#", "")


def test_the_first_screen_shows_the_collection_documents_model_and_example_questions(
    api_url: str, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(api_url, monkeypatch)
    intro = _plain(page.main.markdown[0].value)
    assert "default" in intro and "11 documents" in intro and "model" in intro
    assert "Q4_1" in intro and "apache-2.0 (permissive)" in intro  # the bundled model's card
    examples = [b for b in page.main.button if b.key and b.key.startswith("example-")]
    deadline = time.monotonic() + 120
    while not examples and time.monotonic() < deadline:  # found on a thread of the page
        time.sleep(0.5)
        page.run()
        examples = [b for b in page.main.button if b.key and b.key.startswith("example-")]
    assert len(examples) == 3 and all(b.label.endswith("?") for b in examples)
    model.replies.append(REPLY)
    examples[0].click().run()
    page = _settled(page)
    assert page.chat_message[0].markdown[0].value == literal(examples[0].label)


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
    _button(page, "Index 2 file(s)", sidebar=True).click().run()
    assert not page.exception, page.exception
    assert [_plain(s.value) for s in page.sidebar.success] == ["parking.md: indexed (1 chunks)"]
    assert _plain(page.sidebar.error[0].value).startswith("broken.pdf: ")
    assert "PDF cannot be read" in page.sidebar.error[0].value
    after = page.sidebar.expander[1].label
    assert before != after and after.endswith(f"({int(before.split('(')[1][:-1]) + 1})")


def _web_app(settings: Settings, model: ScriptedModel, site: Path):
    handler = partial(SimpleHTTPRequestHandler, directory=str(site))
    pages = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{pages.server_port}"
    allowed = settings.model_copy(update={"web_allowed_hosts": [host]})
    return pages, host, allowed, RagApp(allowed, embedder=HashEmbedder(), model=model)


def test_a_web_page_is_added_and_a_document_is_deleted_after_confirmation(
    settings: Settings, model: ScriptedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "pumps.html").write_text(
        "<html><body><main><h1>Heat pumps</h1><p>Service every 2 years.</p></main></body></html>"
    )
    pages, host, allowed, core = _web_app(settings, model, site)
    try:
        with serving(create_app(allowed, core), free_port()) as url:
            page = _page(url, monkeypatch)
            page.sidebar.text_input[1].input(f"http://{host}/pumps.html")
            _button(page, "Add", sidebar=True).click().run()
            assert not page.exception, page.exception
            assert _plain(page.sidebar.success[0].value) == "1 page(s) indexed, 0 unchanged"
            documents = page.sidebar.expander[1]
            assert documents.label == "Documents in default (1)"

            documents.button[0].click().run()  # Delete: asks first
            source = f"`http://{host}/pumps.html`"
            assert f"Delete {source} from default?" in _plain(page.sidebar.warning[0].value)
            assert len(core.catalog.documents("default")) == 1
            page.sidebar.button(key="cancel-delete").click().run()
            assert not page.sidebar.warning and len(core.catalog.documents("default")) == 1

            page.sidebar.expander[1].button[0].click().run()
            page.sidebar.button(key="confirm-delete").click().run()
            assert page.sidebar.expander[1].label == "Documents in default (0)"
            assert core.catalog.documents("default") == []
            # The delete's result replaces the earlier "indexed" message.
            assert [_plain(s.value) for s in page.sidebar.success] == [
                f"Deleted {source} from default."
            ]

            page.sidebar.text_input[1].input("http://127.0.0.1:9/admin")
            _button(page, "Add", sidebar=True).click().run()
            assert not page.sidebar.success and len(page.sidebar.error) == 1
            assert "127.0.0.1:9" in _plain(page.sidebar.error[0].value)
    finally:
        pages.shutdown()
        core.close()


def test_a_new_collection_is_checked_created_selected_and_can_be_asked(
    api_url: str, rag_app: RagApp, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(api_url, monkeypatch)
    assert "letters, digits" in page.sidebar.expander[0].caption[0].value  # rules up front
    page.sidebar.text_input[0].input("My Notes")
    _button(page, "Create", sidebar=True).click().run()
    assert "not a valid name" in _plain(page.sidebar.error[0].value)
    assert page.chat_input and page.sidebar.selectbox  # the page is still whole
    assert "My Notes" not in [c.name for c in rag_app.catalog.collections()]

    page.sidebar.text_input[0].input("contracts")
    _button(page, "Create", sidebar=True).click().run()
    assert page.sidebar.selectbox[0].value == "contracts"
    assert page.sidebar.expander[1].label == "Documents in contracts (0)"
    assert "contracts" in [c.name for c in rag_app.catalog.collections()]

    page = _ask(page, "What is in here?")
    assert "contracts is empty" in page.chat_message[1].info[0].value
    assert model.prompts == []


def test_one_vote_is_stored_per_answer_and_a_change_replaces_it(
    api_url: str, rag_app: RagApp, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model.replies.append(REPLY)
    page = _ask(_page(api_url, monkeypatch), QUESTION)
    page.feedback[0].set_value(0).run()
    page.feedback[0].set_value(1).run()
    [entry] = rag_app.feedback.entries()
    assert entry["rating"] == 1 and entry["question"] == QUESTION
    assert "8% off" in entry["answer"] and entry["sources"][0]["source"].endswith("price-list.md")
    reloaded = _page(api_url, monkeypatch, chat=page.query_params["chat"])
    assert reloaded.feedback[0].value == 1  # the saved vote shows again


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


def test_the_ui_follows_the_local_token_across_a_server_restart(
    rag_app: RagApp, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rag.access.auth import LOCAL_TOKEN_FILE
    from rag.access.keys import KeyStore, Role

    rag_app.indexer.sync([scan_path(docs, rag_app.settings.max_file_bytes)], "default")
    KeyStore(rag_app.settings.data_dir).create("team", Role.reader, None)  # keys exist: auth is on
    monkeypatch.setenv("RAG_LOCAL_TOKEN_FILE", str(rag_app.settings.data_dir / LOCAL_TOKEN_FILE))
    port = free_port()
    with serving(create_app(rag_app.settings, rag_app), port) as url:
        page = _page(url, monkeypatch)
        assert not page.error and page.chat_input
    with serving(create_app(rag_app.settings, rag_app), port):  # a new token for this run
        page.run()
        assert not page.error, page.error[0].value
