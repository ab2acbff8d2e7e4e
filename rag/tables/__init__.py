"""Tables: every ingested table is also a typed table in an embedded DuckDB engine (store.py),
queried by one validated SELECT (guard.py)."""
