"""Streamlit chat over the REST API at RAG_API_URL. Run with `rag ui` (or `make run`).

The page is a client of the API like any other: it never opens the index or the model, so it
runs beside the CLI and other API clients on one index.
"""

import json
import os
import time
import uuid
from functools import partial
from typing import Any

import streamlit as st

from rag.ui.client import ApiClient, ApiError
from rag.ui.render import (
    answer_markdown,
    citation_label,
    file_name,
    inert_stream,
    literal,
    model_markdown,
    quote_in_context,
    tool_trace,
)

JOB_WAIT_S = 300.0
MODES = {"hybrid": "Hybrid", "dense": "Meaning", "bm25": "Keywords"}


@st.cache_resource
def _api(base_url: str, api_key: str | None) -> ApiClient:
    return ApiClient(base_url, api_key)


def _state() -> Any:
    state = st.session_state
    state.setdefault("messages", [])
    state.setdefault("conversation_id", str(uuid.uuid4()))
    state.setdefault("uploads_round", 0)
    return state


def main() -> None:
    st.set_page_config(page_title="rag · ask your documents", page_icon="📄")
    api = _api(
        os.environ.get("RAG_API_URL", "http://127.0.0.1:8000"), os.environ.get("RAG_API_KEY")
    )
    state = _state()
    collections = _act(api.collections) or ["default"]
    with st.sidebar:
        options = _sidebar(api, collections)
    st.title("Ask your documents")
    for index, message in enumerate(state.messages):
        _show_message(api, index, message, options["collection"])
    question = st.chat_input("Ask a question about your documents")
    if question:
        _answer(api, question, options)


def _sidebar(api: ApiClient, collections: list[str]) -> dict[str, Any]:
    state = st.session_state
    if state.get("select_collection") in collections:
        state.collection = state.pop("select_collection")
    collection = st.selectbox("Collection", collections, key="collection")
    with st.expander("New collection"), st.form("new-collection", clear_on_submit=True):
        name = st.text_input("Name", max_chars=64)
        if st.form_submit_button("Create") and name.strip():
            _act(lambda: api.create_collection(name.strip()))
            state.select_collection = name.strip()
            st.rerun()
    _upload_section(api, collection)
    _url_section(api, collection)
    documents = _documents_section(api, collection)

    st.subheader("Retrieval")
    top_k = st.slider("Sources per answer", 1, 20, 8, key="top_k")
    mode = st.radio("Search by", list(MODES), format_func=MODES.get, horizontal=True, key="mode")
    only = st.multiselect(
        "Only these documents", [d["source"] for d in documents], format_func=file_name
    )
    if st.button("New chat", icon="➕"):
        state.messages = []
        state.conversation_id = str(uuid.uuid4())
        st.rerun()
    st.download_button(
        "Export feedback (JSONL)",
        data=lambda: "".join(json.dumps(e) + "\n" for e in api.feedback_export()),
        file_name="feedback.jsonl",
        mime="application/jsonl",
        on_click="ignore",
    )
    filters = {"source": only} if only else None
    return {"collection": collection, "top_k": top_k, "mode": mode, "filters": filters}


def _upload_section(api: ApiClient, collection: str) -> None:
    state = st.session_state
    st.subheader("Add documents")
    files = st.file_uploader(
        "Files (PDF, Word, HTML, Markdown, text, CSV…)",
        accept_multiple_files=True,
        key=f"uploader-{state.uploads_round}",
    )
    if files and st.button(f"Index {len(files)} file(s)", type="primary"):
        bar = st.progress(0.0, text="Indexing…")
        results = []
        for done, upload in enumerate(files, start=1):
            content = (upload.name, upload.getvalue(), upload.type or "application/octet-stream")
            try:
                results.append(_upload_outcome(upload.name, api.upload(collection, [content])))
            except ApiError as exc:
                results.append((upload.name, False, str(exc)))
            bar.progress(done / len(files), text=f"{done} of {len(files)} files")
        state.upload_results = results
        state.uploads_round += 1  # a fresh, empty uploader
        st.rerun()
    for name, ok, detail in state.get("upload_results", []):
        (st.success if ok else st.error)(literal(f"{name}: {detail}"))


def _upload_outcome(name: str, report: dict[str, Any]) -> tuple[str, bool, str]:
    if report["failed"]:
        return name, False, report["failed"][0]["error"]
    if report["added"] or report["updated"]:
        return name, True, f"indexed ({report['chunks_written']} chunks)"
    return name, True, "already indexed, unchanged"


def _url_section(api: ApiClient, collection: str) -> None:
    with st.form("add-url", clear_on_submit=True):
        url = st.text_input("A web page or sitemap URL")
        if st.form_submit_button("Add") and url.strip():
            job = _act(lambda: api.ingest_urls(collection, [url.strip()]))
            bar = st.progress(0.0, text="Fetching…")
            deadline = time.monotonic() + JOB_WAIT_S
            while job["status"] in ("queued", "running") and time.monotonic() < deadline:
                time.sleep(0.5)
                job = _act(partial(api.job, job["id"]))
                bar.progress(0.5, text=f"{job['progress']['sources_done']} pages done")
            bar.progress(1.0, text=job["status"])
            _show_job(job)


def _show_job(job: dict[str, Any]) -> None:
    report = job.get("report")
    if job["status"] == "failed":
        st.error(literal(job.get("error") or "the ingest failed"))
    elif report is None:
        st.info("Still running in the background; the documents list updates when it is done.")
    else:
        added = len(report["added"]) + len(report["updated"])
        st.success(f"{added} page(s) indexed, {report['unchanged']} unchanged")
        for failure in report["failed"]:
            st.error(literal(f"{failure['source']}: {failure['error']}"))


def _documents_section(api: ApiClient, collection: str) -> list[dict[str, Any]]:
    documents = _act(lambda: api.documents(collection))
    with st.expander(f"Documents in {collection} ({len(documents)})"):
        for document in documents:
            left, right = st.columns([4, 1])
            left.markdown(literal(f"{file_name(document['source'])} · {document['chunks']}"))
            if right.button("🗑", key=f"delete-{document['id']}", help="Delete from the index"):
                _act(lambda d=document: api.delete_document(collection, d["id"]))
                st.rerun()
    return documents


def _answer(api: ApiClient, question: str, options: dict[str, Any]) -> None:
    state = st.session_state
    history = [
        {"role": m["role"], "content": m["content"]} for m in state.messages if "error" not in m
    ]
    state.messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(literal(question))
    with st.chat_message("assistant"):
        try:
            reply = api.chat(
                [*history, {"role": "user", "content": question}],
                options["collection"],
                top_k=options["top_k"],
                mode=options["mode"],
                filters=options["filters"],
            )
            st.write_stream(inert_stream(reply.deltas()))
        except ApiError as exc:
            state.messages.append({"role": "assistant", "content": "", "error": str(exc)})
            st.error(str(exc))
            return
    result = {**reply.result, "conversation_id": state.conversation_id}
    content = result.get("answer", "")
    state.messages.append(
        {"role": "assistant", "content": content, "result": result, "question": question}
    )
    st.rerun()  # shows the answer again with its citations and feedback buttons


def _show_message(api: ApiClient, index: int, message: dict[str, Any], collection: str) -> None:
    with st.chat_message(message["role"]):
        if message["role"] == "user":
            st.markdown(literal(message["content"]))
        elif "error" in message:
            st.error(message["error"])
        else:
            _show_result(api, index, message["result"], collection)
            st.feedback(
                "thumbs", key=f"feedback-{index}", on_change=_send_feedback, args=(api, index)
            )


def _show_result(api: ApiClient, index: int, result: dict[str, Any], collection: str) -> None:
    if result.get("abstained"):
        st.info(model_markdown(result["answer"]), icon="🔎")
        for n, chunk in enumerate(result.get("closest_sources", []), start=1):
            with st.expander(literal(f"Closest source {n}: {file_name(chunk['source'])}")):
                st.markdown(literal(chunk["text"][:800]))
    else:
        st.markdown(answer_markdown(result))
    for call in result.get("tool_calls", []):
        st.caption(f"🧮 {tool_trace(call)}")
    for citation in result.get("citations", []):
        with st.expander(citation_label(citation)):
            st.markdown(quote_in_context(citation))
            _source_link(api, index, citation, collection)


def _source_link(api: ApiClient, index: int, citation: dict[str, Any], collection: str) -> None:
    source = citation["source"]
    if source.startswith(("http://", "https://")):
        st.link_button("Open the page", source)
    elif "://" not in source:
        st.download_button(
            f"Download {file_name(source)}",
            data=partial(api.document_content, collection, citation["document_id"]),
            file_name=file_name(source),
            key=f"source-{index}-{citation['id']}",
            on_click="ignore",
        )


def _send_feedback(api: ApiClient, index: int) -> None:
    value = st.session_state.get(f"feedback-{index}")
    message = st.session_state.messages[index]
    if value is None:
        return
    try:
        api.feedback(1 if value == 1 else -1, message["question"], message["result"])
        st.toast("Thanks: the rating is stored with the question, answer and sources.")
    except ApiError as exc:
        st.toast(f"The rating was not stored: {exc}")


def _act(call):
    """Run an API call; on failure show why and stop this run, never a traceback."""
    try:
        return call()
    except ApiError as exc:
        st.error(str(exc))
        st.stop()


main()
