"""Streamlit chat over the REST API at RAG_API_URL. Run with `rag ui` (or `make run`).

The page is a client of the API like any other: it never opens the index or the model, so it
runs beside the CLI and other API clients on one index. Conversations are saved by the server
(/v1/conversations); the page keeps only the one it shows (rag/ui/chat.py).
"""

import os
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st

from rag.access.auth import read_token_file
from rag.ui import chat, sidebar, viewer
from rag.ui.client import ApiClient, ApiError
from rag.ui.copy import copy_button
from rag.ui.render import (
    answer_markdown,
    citation_label,
    computed_rows,
    excerpt,
    file_name,
    literal,
    location,
    model_markdown,
    model_summary,
    quote_in_context,
    table_record,
    tool_trace,
)

EXAMPLES_WAIT_S = 2.0
EXAMPLES_TRIES = 3


@st.cache_resource
def _api(base_url: str, api_key: str | None) -> ApiClient:
    return ApiClient(base_url, api_key)


def _key() -> str | None:
    """RAG_API_KEY, else the local token `rag ui` points at, read at each run: the server
    writes a new one each time it starts."""
    if key := os.environ.get("RAG_API_KEY"):
        return key
    token_file = os.environ.get("RAG_LOCAL_TOKEN_FILE")
    return read_token_file(Path(token_file)) if token_file else None


def main() -> None:
    # No page_icon: a Material one is fetched from fonts.gstatic.com, and nothing may leave.
    st.set_page_config(page_title="rag · ask your documents")
    api = _api(os.environ.get("RAG_API_URL", "http://127.0.0.1:8000"), _key())
    state = chat.state()
    try:
        collections = api.collections()
    except ApiError as exc:
        st.error(str(exc))
        st.stop()
    chat.restore(api)
    with st.sidebar:
        options = sidebar.show(api, collections)
    gone = state.chat_collection and state.chat_collection not in options["names"]
    if gone:
        _collection_gone(state.chat_collection)
    elif state.get("pending_question"):
        chat.ask(api, state.pop("pending_question"), options)
    elif state.pop("pending_regenerate", False):
        chat.regenerate(api, options)
    chat.advance(api, options)
    if not state.turns and state.job is None:
        _first_screen(api, options)
    for index, turn in enumerate(state.turns):
        _show_turn(api, index, turn, last=index == len(state.turns) - 1)
    if state.job is not None:
        _progress()
    question = st.chat_input("Ask a question about your documents", disabled=bool(gone))
    if question:
        chat.ask(api, question, options)
        st.rerun()


def _first_screen(api: ApiClient, options: dict[str, Any]) -> None:
    st.title("Ask your documents")
    documents = options["documents"]
    count = f"{len(documents)} document{'s' if len(documents) != 1 else ''}"
    st.markdown(
        f":material/folder: Collection **{literal(options['collection'])}** · {count} · "
        f":material/memory: model {literal(_model(api))}"
    )
    if not documents:
        st.info(
            "This collection is empty. Add files or a web page in the sidebar, then ask.",
            icon=":material/info:",
        )
        return
    _example_questions(api, options["collection"], tuple(d["id"] for d in documents))


@st.fragment(run_every=1.0)
def _example_questions(api: ApiClient, collection: str, document_ids: tuple[str, ...]) -> None:
    """Questions the server has answered with support from these documents. Finding them
    takes a few answers, so they are fetched on a thread and the page stays usable meanwhile."""
    key = (collection, document_ids)
    found = st.session_state.setdefault("examples", {})
    if key not in found:
        found[key] = None
        fetch = threading.Thread(target=_fetch_examples, args=(api, collection, found, key))
        fetch.start()
        fetch.join(EXAMPLES_WAIT_S)  # drawn at once when the server has them already
    questions = found[key]
    if questions is None:
        st.caption(":material/hourglass_empty: Finding questions your documents answer…")
        return
    if questions:
        st.caption("Try one of these questions, answered from your documents:")
    for n, question in enumerate(questions):
        if st.button(question, key=f"example-{n}", icon=":material/help:"):
            _queue(question)
            st.rerun(scope="app")


@st.cache_data(ttl=60, show_spinner=False)
def _model(_api: ApiClient) -> str:
    try:
        return model_summary(_api.models())
    except (ApiError, KeyError):
        return "unknown"


def _fetch_examples(api: ApiClient, collection: str, found: dict, key: tuple) -> None:
    for attempt in range(EXAMPLES_TRIES):
        try:
            found[key] = api.examples(collection)
            return
        except ApiError:
            time.sleep(attempt + 1)  # a busy server may answer a moment later
    found[key] = []


def _queue(question: str) -> None:
    st.session_state.pending_question = question


def _queue_regenerate() -> None:
    st.session_state.pending_regenerate = True


def _collection_gone(collection: str) -> None:
    st.warning(
        literal(
            f"This chat's collection, {collection}, has been deleted: its answers stay readable, "
            "but new questions need a new chat."
        ),
        icon=":material/folder_off:",
    )
    st.button("Start a new chat", icon=":material/add_comment:", on_click=chat.new_chat)


@st.fragment(run_every=0.5)
def _progress() -> None:
    """The answer being streamed, redrawn every half second until it is done."""
    state = st.session_state
    job = state.job
    if job is None:
        return
    if job.done:
        st.rerun(scope="app")
    with st.chat_message("user"):
        st.markdown(literal(job.question))
    with st.chat_message("assistant"):
        if job.text:
            st.markdown(model_markdown(job.text))
        if job.status:
            st.status(job.status, state="running")
        st.button("Stop", key="stop", icon=":material/stop_circle:", on_click=chat.stop)
    for question in state.queue:
        with st.chat_message("user"):
            st.markdown(literal(question))
            st.caption(":material/schedule: Asked next, when the answer above is done.")


def _show_turn(api: ApiClient, index: int, turn: dict[str, Any], last: bool) -> None:
    with st.chat_message("user"):
        st.markdown(literal(turn["question"]))
    with st.chat_message("assistant"):
        if "error" in turn:
            st.error(turn["error"])
        elif turn.get("stopped"):
            _show_stopped(turn)
        else:
            _show_result(api, index, turn)
        _actions(api, index, turn, last)
        _show_earlier(turn)


def _show_stopped(turn: dict[str, Any]) -> None:
    if turn["answer"]:
        st.markdown(model_markdown(turn["answer"]))
        st.caption(":material/stop_circle: Stopped before the answer was complete.")
    else:
        st.caption(
            ":material/stop_circle: Stopped before the answer was complete: nothing answered yet."
        )


def _show_earlier(turn: dict[str, Any]) -> None:
    """The answers a regenerated one replaced, oldest first."""
    earlier = turn.get("earlier") or []
    if not earlier:
        return
    with st.expander(f"Earlier answers ({len(earlier)})", icon=":material/history:"):
        for n, answer in enumerate(earlier, start=1):
            st.caption(f"Answer {n}")
            if answer.get("stopped"):
                _show_stopped(answer)
            elif "error" in answer:
                st.error(answer["error"])
            else:
                st.markdown(answer_markdown(answer))


def _show_result(api: ApiClient, index: int, result: dict[str, Any]) -> None:
    if result.get("abstained"):
        st.info(model_markdown(result["answer"]), icon=":material/search_off:")
        for n, chunk in enumerate(result.get("closest_sources", []), start=1):
            where = location(chunk)
            label = f"Closest source {n}: {file_name(chunk['source'])}"
            with st.expander(literal(f"{label} · {where}" if where else label)):
                st.markdown(excerpt(chunk["text"]))
    else:
        st.markdown(answer_markdown(result))
        if rows := computed_rows(result):
            st.dataframe(rows, hide_index=True)
    for call in result.get("tool_calls", []):
        st.caption(f":material/build: {tool_trace(call)}")
    for citation in result.get("citations", []):
        with st.expander(citation_label(citation), icon=":material/format_quote:"):
            record = table_record(citation)
            if record:
                st.dataframe([record], hide_index=True)
            if not citation.get("record"):  # a sheet's row is its table, not a run-on paragraph
                st.markdown(quote_in_context(citation))
            collection = result.get("collection", "")
            viewer.view_button(api, citation, collection, key=f"view-{index}-{citation['id']}")
            _source_link(api, index, citation, collection)


def _source_link(api: ApiClient, index: int, citation: dict[str, Any], collection: str) -> None:
    source = citation["source"]
    if source.startswith(("http://", "https://")):
        st.link_button("Open the page", source, icon=":material/open_in_new:")
    elif "://" not in source and collection:
        st.download_button(
            f"Download {file_name(source)}",
            data=partial(api.document_content, collection, citation["document_id"]),
            file_name=file_name(source),
            key=f"source-{index}-{citation['id']}",
            icon=":material/download:",
            on_click="ignore",
        )


def _actions(api: ApiClient, index: int, turn: dict[str, Any], last: bool) -> None:
    """Rate, copy and (for the last answer) ask again."""
    answered = bool(turn.get("answer")) and "error" not in turn
    rate, copy, again, _ = st.columns([1, 1.3, 1.6, 2], vertical_alignment="center")
    if turn.get("id"):
        key = f"feedback-{turn['id']}"
        if key not in st.session_state and turn.get("feedback"):
            st.session_state[key] = 1 if turn["feedback"]["rating"] == 1 else 0  # saved vote
        with rate:
            st.feedback(
                "thumbs",
                key=key,
                on_change=_send_feedback,
                args=(api, turn),
            )
    if answered:
        with copy:
            copy_button(turn["answer"])
    if last:
        again.button(
            "Regenerate",
            key=f"regenerate-{index}",
            icon=":material/refresh:",
            on_click=_queue_regenerate,
            disabled=st.session_state.job is not None,
            help="Answer this question again; this answer stays under Earlier answers.",
        )


def _send_feedback(api: ApiClient, turn: dict[str, Any]) -> None:
    value = st.session_state.get(f"feedback-{turn['id']}")
    if value is None:
        return
    try:
        api.feedback(turn, 1 if value == 1 else -1)
        st.toast("Thanks: your rating is saved with this answer.", icon=":material/thumb_up:")
    except ApiError as exc:
        st.toast(f"The rating was not saved: {exc}", icon=":material/error:")


main()
