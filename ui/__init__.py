"""The Streamlit chat UI: a client of the REST API, never an owner of the index."""
