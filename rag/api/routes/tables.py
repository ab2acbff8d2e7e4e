"""GET /v1/tables and /v1/tables/{name}: the tables registered from a collection's documents
(rag/tables/store.py), scoped by keys like documents; POST /v1/tables/query runs one validated
SELECT over them."""

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from rag.api.deps import Caller, Rag
from rag.tables.schema import table_page_json, tables_json

router = APIRouter(prefix="/v1/tables", tags=["tables"])

MAX_PREVIEW_ROWS = 500
MAX_QUERY_ROWS = 1000
QUERY_TIMEOUT_S = 5.0


class TableQuery(BaseModel):
    sql: str = Field(min_length=1, max_length=20_000)
    collection: str | None = None
    max_rows: int = Field(default=100, ge=1, le=MAX_QUERY_ROWS)


@router.get("")
def list_tables(rag: Rag, caller: Caller, collection: str | None = None) -> dict[str, object]:
    name = caller.allow(rag.collection(collection))
    return tables_json(name, rag.tables.schemas(name))


@router.post("/query")
def query_tables(rag: Rag, caller: Caller, body: TableQuery) -> dict[str, object]:
    name = caller.allow(rag.collection(body.collection))
    result = rag.tables.select(name, body.sql, max_rows=body.max_rows, timeout_s=QUERY_TIMEOUT_S)
    return {"collection": name, **result.to_json()}


@router.get("/{table}")
def show_table(
    rag: Rag,
    caller: Caller,
    table: str,
    collection: str | None = None,
    offset: int = Query(default=0, ge=0),
    limit: int = Query(default=20, ge=1, le=MAX_PREVIEW_ROWS),
) -> dict[str, object]:
    name = caller.allow(rag.collection(collection))
    schema = rag.tables.schema(name, table)
    preview = rag.tables.preview(name, schema.name, limit=limit, offset=offset)
    return table_page_json(schema, preview, offset, limit)
