"""The source viewer beside the chat: a citation opened at its place in its document, the cited
span marked (`GET /v1/documents/{id}/view`), in a side panel.

A page image is shown as an image. A text view is the API's HTML, already escaped and under a
Content-Security-Policy that allows no script; it goes in a `data:` iframe, which has an origin
of its own, so even a page that ran script could not reach this app.
"""

import base64
from typing import Any

import streamlit as st

from rag.ui.client import ApiClient, ApiError
from rag.ui.render import citation_label

TEXT_VIEW_HEIGHT = 560  # pixels: the text view scrolls inside it, to the mark


def view_button(api: ApiClient, citation: dict[str, Any], collection: str, key: str) -> None:
    """A button that opens the citation in the side panel."""
    if not collection or "document_id" not in citation:
        return
    if st.button("Show in the source", key=key, icon=":material/visibility:"):
        _panel(api, citation, collection)


@st.dialog("Source", width="medium", position="right", icon=":material/article:")
def _panel(api: ApiClient, citation: dict[str, Any], collection: str) -> None:
    st.markdown(citation_label(citation))
    try:
        media_type, body = api.document_view(collection, citation)
    except ApiError as exc:
        st.error(f"The source cannot be shown: {exc}")
        return
    if media_type.startswith("image/"):
        st.image(body, width="stretch", alt=f"the cited page of {citation['source']}")
    else:
        encoded = base64.b64encode(body).decode()
        st.iframe(f"data:text/html;base64,{encoded}", height=TEXT_VIEW_HEIGHT)
    st.caption(":material/ink_highlighter: The cited passage is marked.")
