"""The `table_query` tool: a capable model's own query over the collection's tables, written as
a query spec (rag/tables/spec.py) under grammar-constrained JSON, never as SQL. The spec is
validated against the named table and compiled to one parameterised SELECT, which the table
store checks again and runs locked down, with time and row limits.

The tool is bound to one request's collection (its description lists that collection's tables
and columns), so a model can read no other collection's tables: the answer stage adds it for
the request when a model other than the bundled one is configured (the bundled model keeps the
deterministic path, rag/tables/understand.py).
"""

import json
from typing import Any

from rag.errors import NotFoundError, TableQueryError
from rag.tables.spec import SPEC_SCHEMA, QuerySpec, SpecError
from rag.tables.validated import Validated
from rag.tools import Tool, ToolError

NAME = "table_query"
MAX_ROWS = 50
TIMEOUT_S = 2.0
MAX_LISTED_TABLES = 20


def table_query_tool(store: Any, collection: str) -> Tool | None:
    """The tool over `collection`'s tables, or None when it has none."""
    from rag.tables.schema import ROW_COLUMN, json_value

    schemas = store.schemas(collection)[:MAX_LISTED_TABLES]
    if not schemas:
        return None
    listing = "; ".join(f"{s.name}({', '.join(c.name for c in s.columns)})" for s in schemas)

    def table_query(**arguments: Any) -> str:
        try:
            spec = QuerySpec.from_json(arguments)
            schema = store.schema(collection, spec.table)
            joined = store.schema(collection, spec.join) if spec.join is not None else None
            compiled = Validated(spec, schema, ROW_COLUMN, joined).compile()
            result = store.select(
                collection, compiled.sql, compiled.params, max_rows=MAX_ROWS, timeout_s=TIMEOUT_S
            )
        except (SpecError, TableQueryError, NotFoundError) as exc:
            raise ToolError(f"{NAME}: {exc}") from None
        rows = [[json_value(v) for v in row] for row in result.rows]
        return json.dumps({"sql": compiled.sql, "columns": list(result.columns), "rows": rows})

    description = (
        "Compute over a table of the documents: rows, or sum/count/avg/min/max of a column, "
        "with filters, per group, or compared under two conditions, or a column's change from "
        f"a table of the same rows (join on their label column). Tables: {listing}"
    )
    return Tool(NAME, description, SPEC_SCHEMA, table_query)
