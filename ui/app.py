"""Streamlit chat over the REST API at RAG_API_URL. Run with `rag ui`."""

import os

import httpx
import streamlit as st

API_URL = os.environ.get("RAG_API_URL", "http://127.0.0.1:8000").rstrip("/")

st.set_page_config(page_title="rag", page_icon="📄")
st.title("Ask your documents")

if "history" not in st.session_state:
    st.session_state.history = []

for turn in st.session_state.history:
    with st.chat_message(turn["role"]):
        st.markdown(turn["content"])

question = st.chat_input("Ask a question about your documents")
if question:
    st.session_state.history.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        try:
            response = httpx.post(f"{API_URL}/v1/query", json={"question": question}, timeout=300)
            body = response.json()
        except (httpx.HTTPError, ValueError):
            st.error(f"The API at {API_URL} is not reachable. Is `rag serve` running?")
            st.stop()
        if response.status_code != 200:
            st.error(body.get("error", {}).get("message", f"HTTP {response.status_code}"))
            st.stop()
        lines = [body["answer"], ""]
        for citation in body["citations"]:
            name = os.path.basename(citation["source"])
            lines.append(f"- **[{citation['id']}]** {name}: “{citation['text']}”")
        content = "\n".join(lines)
        st.markdown(content)
    st.session_state.history.append({"role": "assistant", "content": content})
