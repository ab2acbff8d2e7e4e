"""The chat's state: which saved conversation is open, its turns, the answer in progress and
the questions waiting for it.

The open conversation's id is kept in the address (`?chat=<id>`), so a reload reopens it; its
turns come from the server, which stores each answered question. A question asked while an
answer is streaming waits in a queue and is sent when that answer ends.
"""

from typing import Any

import streamlit as st

from rag.conversations import title_of
from rag.ui.answering import AnswerJob
from rag.ui.client import ApiClient, ApiError

CHAT_PARAM = "chat"


def state() -> Any:
    state = st.session_state
    state.setdefault("conversation_id", None)
    state.setdefault("turns", [])
    state.setdefault("job", None)
    state.setdefault("queue", [])
    state.setdefault("chat_collection", None)  # the open chat's collection, once it is saved
    return state


def restore(api: ApiClient) -> None:
    """After a reload: reopen the conversation named in the address, or the collection."""
    state = st.session_state
    if state.get("restored"):
        return
    state.restored = True
    chat_id = st.query_params.get(CHAT_PARAM)
    if chat_id:
        open_chat(api, chat_id)
    elif st.query_params.get("collection"):
        state.collection = st.query_params["collection"]


def open_chat(api: ApiClient, conversation_id: str) -> None:
    state = st.session_state
    try:
        conversation = api.conversation(conversation_id)
    except ApiError as exc:
        st.query_params.pop(CHAT_PARAM, None)
        state.notice = [("warning", f"The saved chat could not be opened: {exc}")]
        return
    _stop_current()
    state.conversation_id = conversation_id
    state.turns = conversation["turns"]
    state.collection = state.chat_collection = conversation["collection"]
    st.query_params[CHAT_PARAM] = conversation_id


def new_chat() -> None:
    """An empty chat; it is saved on the server when its first question is asked."""
    state = st.session_state
    _stop_current()
    state.conversation_id = state.chat_collection = None
    state.turns = []
    st.query_params.pop(CHAT_PARAM, None)


def _stop_current() -> None:
    state = st.session_state
    if state.get("job") is not None:
        state.job.stop()
    state.job = None
    state.queue = []


def ask(api: ApiClient, question: str, options: dict[str, Any]) -> None:
    """Send `question` now, or queue it behind the answer in progress."""
    state = st.session_state
    if state.job is not None and not state.job.done:
        state.queue.append(question)
    else:
        _start(api, question, options)


def regenerate(api: ApiClient, options: dict[str, Any]) -> None:
    """Answer the last question again; the new answer takes its place when it is done, and
    the one it replaces is kept in its `earlier` (as the server keeps it)."""
    state = st.session_state
    if not state.turns or (state.job is not None and not state.job.done):
        return
    last = state.turns.pop()
    _start(api, last["question"], options, replaces=last)


def stop() -> None:
    state = st.session_state
    if state.job is not None:
        state.job.stop()
        state.queue = []


def advance(api: ApiClient, options: dict[str, Any]) -> None:
    """File a finished answer under its turns and start the next queued question."""
    state = st.session_state
    job = state.job
    if job is None or not job.done:
        return
    state.job = None
    state.turns.append(_turn_of(job))
    if state.queue:
        _start(api, state.queue.pop(0), options)


def _turn_of(job: AnswerJob) -> dict[str, Any]:
    if job.stopped:
        turn = {"question": job.question, "stopped": True, "answer": job.text}
    elif job.result is not None:
        turn_id = job.result.get("turn_id")
        turn = {**job.result, "question": job.question, "collection": job.collection, "id": turn_id}
    else:
        turn = {"question": job.question, "error": job.error or "the answer stream ended early"}
    if job.replaces is not None:
        kept = {k: v for k, v in job.replaces.items() if k != "earlier"}
        turn["earlier"] = [*job.replaces.get("earlier", []), kept]
    return turn


def _start(
    api: ApiClient, question: str, options: dict[str, Any], replaces: dict[str, Any] | None = None
) -> None:
    state = st.session_state
    collection = options["collection"]
    job = AnswerJob(question, collection, replaces=replaces)
    state.job = job
    n = len(options["documents"])
    if not n:
        job.result = {
            "answer": f"The collection {collection} is empty: add documents in the sidebar "
            "(files or a web page), then ask again.",
            "abstained": True,
            "empty_collection": True,
        }
        job.finish()
        return
    try:
        if state.conversation_id is None:
            created = api.create_conversation(collection, title_of(question))
            state.conversation_id, state.chat_collection = created["id"], collection
            st.query_params[CHAT_PARAM] = state.conversation_id
    except ApiError as exc:
        job.error = str(exc)
        job.finish()
        return
    conversation_id = state.conversation_id

    def send():
        return api.chat(
            question,
            collection,
            conversation_id=conversation_id,
            regenerate=replaces is not None,
            top_k=options["top_k"],
            mode=options["mode"],
            filters=options["filters"],
        )

    job.start(
        send,
        searching=f"Searching {n} document{'s' if n != 1 else ''}…",
        reading=f"Reading up to {options['top_k']} passages…",
    )
