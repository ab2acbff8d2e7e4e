"""Tables: every ingested table is also a typed table in an embedded DuckDB engine, queried by one validated SELECT."""
