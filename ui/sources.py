"""The Sources panel: the collection's sources kept in sync (`/v1/sources`), each with its
health, schedule, last and next sync and counts; sync now, remove, or add one."""

from datetime import datetime
from typing import Any

import streamlit as st

from rag.ui.client import ApiClient, ApiError
from rag.ui.render import literal

SCHEDULES = {
    "every 15m": "Every 15 minutes",
    "every 1h": "Every hour",
    "daily 02:00": "Daily at 02:00 UTC",
    "manual": "Only when asked",
}
STATUS = {
    "ok": ":material/check_circle: :green[healthy]",
    "failed": ":material/error: :red[failing]",
    "syncing": ":material/sync: syncing",
    "new": ":material/schedule: waiting for its first sync",
}


def show(api: ApiClient, collection: str) -> None:
    """Draw the panel for `collection` (writers only: a reader's key sees a short note)."""
    try:
        # The panel's routes have no method of their own on the client: its generic call.
        listed = api._call("GET", "/v1/sources")["sources"]
    except ApiError as exc:
        if exc.status == 403:
            return  # a reader's key: sources are a writer's business
        st.error(str(exc))
        return
    sources = [s for s in listed if s["collection"] == collection]
    failing = sum(s["status"] == "failed" for s in sources)
    label = f"Sources kept in sync ({len(sources)}{f', {failing} failing' if failing else ''})"
    with st.expander(label, icon=":material/sync:", expanded=bool(failing)):
        for source in sources:
            _source(api, source)
        _add(api, collection)


def _source(api: ApiClient, source: dict[str, Any]) -> None:
    with st.container(border=True):
        status = STATUS[source["status"]]
        if "progress" in source:
            status += f" ({source['progress']['documents_done']} documents done)"
        st.markdown(f"**{literal(source['uri'])}**  \n{status}")
        counts = (
            f"{source['added']} added, {source['changed']} changed, {source['removed']} removed"
        )
        st.caption(
            f"{SCHEDULES.get(source['schedule'], source['schedule'])} · "
            f"last {_when(source['last_sync'], 'never')} · "
            f"next {_when(source['next_sync'], 'when asked')} · {counts}"
        )
        if source["last_error"]:
            st.error(literal(source["last_error"]), icon=":material/error:")
        actions = st.container(horizontal=True, gap="small")  # wraps in a narrow sidebar
        if actions.button(
            "Sync", key=f"sync-{source['id']}", icon=":material/sync:", help="Sync now"
        ):
            with st.spinner("Syncing…"):
                _act(api, "POST", f"/v1/sources/{source['id']}/sync")
            st.rerun()
        if actions.button(
            "Remove",
            key=f"remove-{source['id']}",
            icon=":material/delete:",
            help="Forget this source and delete the documents it brought in",
        ):
            _act(api, "DELETE", f"/v1/sources/{source['id']}")
            st.rerun()


def _add(api: ApiClient, collection: str) -> None:
    with st.form("add-source", clear_on_submit=True, border=False):
        uri = st.text_input(
            "Add a source", placeholder="imaps://me@mail.example.com/INBOX, git://…, s3://…"
        )
        schedule = st.selectbox("Sync", list(SCHEDULES), format_func=SCHEDULES.get)
        secret = st.text_input("Secret name (optional)", placeholder="MAIL: RAG_SECRET_MAIL")
        add = st.form_submit_button("Add source", icon=":material/add_link:")
    if add and uri.strip():
        body = {"uri": uri.strip(), "collection": collection, "schedule": schedule}
        if secret.strip():
            body["secret"] = secret.strip()
        _act(api, "POST", "/v1/sources", json=body)
        st.rerun()


def _act(api: ApiClient, method: str, path: str, **kwargs: Any) -> None:
    try:
        api._call(method, path, **kwargs)
    except ApiError as exc:
        st.session_state.notice = [("error", str(exc))]


def _when(iso: str | None, otherwise: str) -> str:
    if iso is None:
        return otherwise
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")
