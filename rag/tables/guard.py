"""Is a query one SELECT over a collection's registered tables, and nothing else?

DuckDB's own parser decides, on the store's locked-down connection: `extract_statements` gives
exactly one statement of type SELECT, and `json_serialize_sql` its syntax tree, in which every
table reference must be a registered table of the collection (a bare name), a CTE of the query,
a subquery, a join or a VALUES list. Table functions (read_csv, read_parquet, glob, query...),
qualified names (another schema, the catalog, information_schema), SHOW/DESCRIBE/SUMMARIZE and
PIVOT are refused. The engine's settings (no external access, no extensions) stand behind this.
"""

import json
from collections.abc import Iterator, Set
from typing import Any

from rag.errors import TableQueryError

# Table references a query may use besides registered tables.
_ALLOWED_REFS = frozenset({"BASE_TABLE", "JOIN", "SUBQUERY", "EMPTY", "EXPRESSION_LIST"})
# Scalar functions that read files or the environment (the engine refuses them too).
_FILE_FUNCTIONS = ("read_", "parquet_", "sniff_", "glob", "getenv", "query", "iceberg", "delta_")


def check_select(connection: Any, sql: str, tables: Set[str]) -> str:
    """The one statement of `sql`, if it is a SELECT that only reads tables named in `tables`
    (lower case); else TableQueryError saying what was refused."""
    import duckdb

    text = sql.strip()
    if not text:
        raise TableQueryError("the query is empty: write one SELECT statement")
    try:
        statements = connection.extract_statements(text)
    except duckdb.Error as exc:
        raise TableQueryError(f"the query does not parse: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise TableQueryError(f"one SELECT statement at a time, got {len(statements)} statements")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise TableQueryError(
            f"only SELECT queries are run; {kind.name} statements are refused "
            "(no DDL, DML, COPY, ATTACH, INSTALL/LOAD, PRAGMA or SET)"
        )
    try:
        tree = json.loads(connection.execute("SELECT json_serialize_sql($1)", [text]).fetchone()[0])
    except duckdb.Error as exc:
        raise TableQueryError(f"the query cannot be checked: {_first_line(exc)}") from None
    if tree.get("error"):
        raise TableQueryError(f"the query is refused: {tree.get('error_message', 'not a SELECT')}")
    for node in _walk(tree.get("statements", [])):
        if node.get("class") == "FUNCTION":
            function = str(node.get("function_name", "")).lower()
            if function.startswith(_FILE_FUNCTIONS):
                raise TableQueryError(
                    f"file, network and query functions such as {function}() are refused"
                )
    ctes = {name.lower() for name in _cte_names(tree)}
    for ref in _table_refs(tree):
        kind_name = ref.get("type")
        if kind_name == "TABLE_FUNCTION":
            function = ref.get("function", {}).get("function_name", "a table function")
            raise TableQueryError(
                f"table functions such as {function}() are refused: query the registered "
                "tables by name (rag tables list)"
            )
        if kind_name not in _ALLOWED_REFS:
            raise TableQueryError(f"{kind_name.replace('_', ' ').lower()} is refused in queries")
        if kind_name == "BASE_TABLE":
            _check_table(ref, tables, ctes)
    return text


def _check_table(ref: dict[str, Any], tables: Set[str], ctes: Set[str]) -> None:
    name = str(ref.get("table_name", ""))
    if ref.get("schema_name") or ref.get("catalog_name"):
        qualified = ".".join(
            p for p in (ref.get("catalog_name"), ref.get("schema_name"), name) if p
        )
        raise TableQueryError(
            f"table {qualified!r} is not a registered table: name tables without a schema"
        )
    if name.lower() not in tables and name.lower() not in ctes:
        known = ", ".join(sorted(tables)) or "none"
        raise TableQueryError(f"no table {name!r} in this collection (its tables: {known})")


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _table_refs(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every table reference anywhere in the tree (FROM clauses, joins, subqueries, CTEs):
    the nodes with a table reference's fields, which expressions (`class`) and query nodes
    (no `query_location`) lack."""
    for node in _walk(tree.get("statements", [])):
        if {"type", "sample", "query_location"} <= node.keys() and "class" not in node:
            yield node


def _cte_names(tree: dict[str, Any]) -> Iterator[str]:
    for node in _walk(tree.get("statements", [])):
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            for entry in cte_map.get("map", []):
                yield str(entry.get("key", ""))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
