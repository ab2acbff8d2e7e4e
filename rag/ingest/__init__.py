"""Ingest: turn source documents into chunks and keep the index in sync with the sources."""
