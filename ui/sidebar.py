"""The sidebar: saved chats, the collection and its documents, adding files and web pages,
and the retrieval options. Each action's outcome replaces the previous one's message."""

import json
import time
from functools import partial
from typing import Any

import streamlit as st

from rag.datadir import check_collection_name
from rag.errors import InvalidInputError
from rag.ui import sources as sources_panel
from rag.ui.chat import new_chat, open_chat
from rag.ui.client import ApiClient, ApiError
from rag.ui.render import file_name, literal

DEFAULT_COLLECTION = "default"
JOB_WAIT_S = 300.0
MODES = {"hybrid": "Hybrid", "dense": "Meaning", "bm25": "Keywords"}
SHOWN_NOTICES = 3  # more outcome lines than this are summed up in one
NAME_RULES = "1-64 letters, digits, '-' or '_', starting with a letter or digit"


def show(api: ApiClient, collections: list[dict[str, Any]]) -> dict[str, Any]:
    """Draw the sidebar; returns the chat options (collection, documents, top_k, mode, filters)."""
    state = st.session_state
    names = [c["name"] for c in collections] or [DEFAULT_COLLECTION]
    if state.get("pending_collection") in names:
        state.collection = state.pop("pending_collection")
    if state.get("collection") not in names:
        state.collection = DEFAULT_COLLECTION if DEFAULT_COLLECTION in names else names[0]
    _chats(api)
    st.divider()
    collection = st.selectbox("Collection", names, key="collection", on_change=new_chat)
    st.query_params["collection"] = collection
    _new_collection(api, names)
    _delete_collection(api, next((c for c in collections if c["name"] == collection), None))
    _notice()
    documents = _documents(api, collection)
    _add_files(api, collection)
    _add_url(api, collection)
    sources_panel.show(api, collection)
    st.subheader("Retrieval")
    top_k = st.slider("Sources per answer", 1, 20, 8, key="top_k")
    mode = st.radio("Search by", list(MODES), format_func=MODES.get, horizontal=True, key="mode")
    only = st.multiselect(
        "Only these documents", [d["source"] for d in documents], format_func=file_name
    )
    st.download_button(
        "Export ratings (JSONL)",
        data=lambda: "".join(json.dumps(e) + "\n" for e in api.feedback_export()),
        file_name="feedback.jsonl",
        mime="application/jsonl",
        icon=":material/download:",
        on_click="ignore",
    )
    return {
        "names": names,
        "collection": collection,
        "documents": documents,
        "top_k": top_k,
        "mode": mode,
        "filters": {"source": only} if only else None,
    }


def _chats(api: ApiClient) -> None:
    state = st.session_state
    st.button("New chat", icon=":material/add_comment:", on_click=new_chat, width="stretch")
    try:
        chats = api.conversations()
    except ApiError as exc:
        st.error(str(exc))
        return
    if not chats:
        return
    st.caption("Recent chats")
    for chat in chats:
        current = chat["id"] == state.get("conversation_id")
        st.button(
            chat["title"] or "Untitled chat",
            key=f"chat-{chat['id']}",
            icon=":material/chat:",
            type="primary" if current else "tertiary",
            help=f"In {chat['collection']}",
            on_click=partial(open_chat, api, chat["id"]),
            width="stretch",
        )


def _new_collection(api: ApiClient, names: list[str]) -> None:
    with st.expander("New collection", icon=":material/create_new_folder:"):
        with st.form("new-collection", clear_on_submit=True, border=False):
            name = st.text_input("Name", max_chars=64, placeholder="e.g. contracts-2026")
            st.caption(f"Names: {NAME_RULES}.")
            create = st.form_submit_button("Create", icon=":material/add:")
        if create:
            _create_collection(api, name.strip(), names)


def _create_collection(api: ApiClient, name: str, names: list[str]) -> None:
    try:
        check_collection_name(name)
    except InvalidInputError:
        st.error(literal(f"“{name}” is not a valid name: use {NAME_RULES}."))
        return
    if name in names:
        st.error(literal(f"A collection named {name} already exists."))
        return
    try:
        api.create_collection(name)
    except ApiError as exc:
        st.error(str(exc))
        return
    st.session_state.pending_collection = name  # selected before the selectbox is drawn
    new_chat()
    st.rerun()


def _delete_collection(api: ApiClient, collection: dict[str, Any] | None) -> None:
    """Delete the selected collection, after a confirmation that says what goes with it.
    (Collections cannot be renamed: the API has no such call.)"""
    state = st.session_state
    if collection is None:
        return
    name = collection["name"]
    if state.get("confirm_collection_delete") != name:
        if st.button("Delete this collection", icon=":material/folder_delete:"):
            state.confirm_collection_delete = name
            st.rerun()
        return
    documents, chunks = collection["documents"], collection["chunks"]
    st.warning(
        literal(
            f"Delete the collection {name}? Its {documents} document"
            f"{'s' if documents != 1 else ''} ({chunks} chunks) go with it; "
            "its chats stay readable."
        )
    )
    yes, no = st.columns(2)
    if yes.button("Delete", key="confirm-collection-delete", type="primary"):
        try:
            api.delete_collection(name)
            _say(("success", f"Deleted the collection {name}."))
        except ApiError as exc:
            _say(("error", f"{name} was not deleted: {exc}"))
        state.pop("confirm_collection_delete", None)
        new_chat()
        st.rerun()
    if no.button("Cancel", key="cancel-collection-delete"):
        state.pop("confirm_collection_delete", None)
        st.rerun()


def _notice() -> None:
    """The last action's outcome; many lines (an upload of many files) as a one-line summary
    with the details folded away, so they do not push the document list down."""
    lines = st.session_state.get("notice", [])
    if len(lines) <= SHOWN_NOTICES:
        for kind, text in lines:
            getattr(st, kind)(literal(text))
        return
    failed = sum(kind == "error" for kind, _ in lines)
    summary = f"{len(lines) - failed} of {len(lines)} succeeded"
    (st.warning if failed else st.success)(summary + (f", {failed} failed" if failed else ""))
    with st.expander("Details"):
        for kind, text in sorted(lines, key=lambda line: line[0] != "error"):
            st.caption(literal(text) if kind != "error" else f":red[{literal(text)}]")


def _say(*lines: tuple[str, str]) -> None:
    """Replace the sidebar's message with these (kind, text) lines."""
    st.session_state.notice = list(lines)


def _documents(api: ApiClient, collection: str) -> list[dict[str, Any]]:
    state = st.session_state
    try:
        documents = api.documents(collection)
    except ApiError as exc:
        st.error(str(exc))
        return []
    label = f"Documents in {collection} ({len(documents)})"
    with st.expander(label, icon=":material/folder_open:"):
        if not documents:
            st.caption("None yet: add files or a web page below.")
        for document in documents:
            name = file_name(document["source"])
            if state.get("confirm_delete") == document["id"]:
                _confirm_delete(api, collection, document)
                continue
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.markdown(literal(f"{name} · {document['chunks']} chunks"))
            # An icon, which never gets cut to "D…" beside a long name; the name is its tooltip.
            delete = right.button(
                "",
                key=f"delete-{document['id']}",
                icon=":material/delete:",
                help=f"Delete {name}",
            )
            if delete:
                state.confirm_delete = document["id"]
                st.rerun()
    return documents


def _confirm_delete(api: ApiClient, collection: str, document: dict[str, Any]) -> None:
    state = st.session_state
    name = file_name(document["source"])
    st.warning(literal(f"Delete {name} from {collection}? Its answers lose this source."))
    yes, no = st.columns(2)
    if yes.button("Delete", key="confirm-delete", type="primary", icon=":material/delete:"):
        try:
            api.delete_document(collection, document["id"])
            _say(("success", f"Deleted {name} from {collection}."))
        except ApiError as exc:
            _say(("error", f"{name} was not deleted: {exc}"))
        state.pop("confirm_delete", None)
        st.rerun()
    if no.button("Cancel", key="cancel-delete"):
        state.pop("confirm_delete", None)
        st.rerun()


def _add_files(api: ApiClient, collection: str) -> None:
    state = st.session_state
    st.subheader("Add documents")
    files = st.file_uploader(
        "Files (PDF, Word, PowerPoint, Excel, HTML, Markdown, text, CSV, images)",
        accept_multiple_files=True,
        key=f"uploader-{state.get('uploads_round', 0)}",
    )
    if files and st.button(f"Index {len(files)} file(s)", type="primary", icon=":material/upload:"):
        bar = st.progress(0.0, text="Indexing…")
        lines = []
        for done, upload in enumerate(files, start=1):
            content = (upload.name, upload.getvalue(), upload.type or "application/octet-stream")
            try:
                lines.append(_upload_outcome(upload.name, api.upload(collection, [content])))
            except ApiError as exc:
                lines.append(("error", f"{upload.name}: {exc}"))
            bar.progress(done / len(files), text=f"{done} of {len(files)} files")
        _say(*lines)
        state.uploads_round = state.get("uploads_round", 0) + 1  # a fresh, empty uploader
        st.rerun()


def _upload_outcome(name: str, report: dict[str, Any]) -> tuple[str, str]:
    if report["failed"]:
        return "error", f"{name}: {report['failed'][0]['error']}"
    if report["added"] or report["updated"]:
        return "success", f"{name}: indexed ({report['chunks_written']} chunks)"
    return "success", f"{name}: already indexed, unchanged"


def _add_url(api: ApiClient, collection: str) -> None:
    with st.form("add-url", clear_on_submit=True, border=False):
        url = st.text_input("A web page or sitemap URL", placeholder="https://…")
        add = st.form_submit_button("Add", icon=":material/link:")
    if add and url.strip():
        bar = st.empty()
        try:
            job = api.ingest_urls(collection, [url.strip()])
            deadline = time.monotonic() + JOB_WAIT_S
            while job["status"] in ("queued", "running") and time.monotonic() < deadline:
                bar.caption(f"Fetching… {job['progress']['sources_done']} page(s) done")
                time.sleep(0.5)
                job = api.job(job["id"])
        except ApiError as exc:
            _say(("error", f"{url.strip()}: {exc}"))
        else:
            _say(*_job_outcome(job))
        st.rerun()


def _job_outcome(job: dict[str, Any]) -> list[tuple[str, str]]:
    report = job.get("report")
    if job["status"] == "failed":
        return [("error", job.get("error") or "the ingest failed")]
    if job["status"] == "cancelled":
        return [("warning", "The ingest was cancelled: its collection was deleted meanwhile.")]
    if report is None:
        return [("info", "Still running in the background; the list updates when it is done.")]
    failures = [("error", f"{f['source']}: {f['error']}") for f in report["failed"]]
    added = len(report["added"]) + len(report["updated"])
    if failures and not added and not report["unchanged"]:
        return failures  # a refused address: only the refusal
    return [("success", f"{added} page(s) indexed, {report['unchanged']} unchanged"), *failures]
