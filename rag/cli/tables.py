"""`rag tables list|show|query`: the tables registered from a collection's documents, through
the server that owns the data directory or the index opened here."""

import json
from contextlib import closing
from typing import Annotated, Any

import typer

from rag.cli import common
from rag.cli.options import CollectionOpt, JsonOpt
from rag.settings import load_settings

tables_cli = typer.Typer(
    help="List, show and query the tables found in ingested documents.", no_args_is_help=True
)

_CELL_WIDTH = 40


@tables_cli.command("list")
def tables_list(collection: CollectionOpt = None, as_json: JsonOpt = False) -> None:
    """Every table of a collection: its name, rows, where it is, and its typed columns."""
    with closing(common.open_client(load_settings())) as client:
        shown = client.tables(collection)
    if as_json:
        typer.echo(json.dumps(shown, indent=2))
        return
    if not shown["tables"]:
        typer.echo(f"no tables in collection {shown['collection']}")
    for table in shown["tables"]:
        typer.echo(f"{table['name']}\t{table['rows']} rows\t{table['location']}\t{table['source']}")
        typer.echo("  " + ", ".join(_column(c) for c in table["columns"]))


@tables_cli.command("show")
def tables_show(
    name: Annotated[str, typer.Argument(help="The table's name, as `rag tables list` gives it.")],
    collection: CollectionOpt = None,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Rows to skip.")] = 0,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="Rows to show.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """A table's columns (types, units, sample values) and a page of its rows."""
    with closing(common.open_client(load_settings())) as client:
        shown = client.table(name, collection, offset, limit)
    if as_json:
        typer.echo(json.dumps(shown, indent=2))
        return
    table, preview = shown["table"], shown["preview"]
    typer.echo(f"{table['name']}: {table['rows']} rows, {table['location']} of {table['source']}")
    for column in table["columns"]:
        samples = column.get("samples") or []
        values = f"  e.g. {' | '.join(samples[:5])}" if samples else ""
        typer.echo(f"  {column['name']!r} as {_column(column)}{values}")
    typer.echo("")
    typer.echo(_grid(preview["columns"], preview["rows"]))


@tables_cli.command("query")
def tables_query(
    sql: Annotated[str, typer.Argument(help="One SELECT over the collection's tables.")],
    collection: CollectionOpt = None,
    max_rows: Annotated[int, typer.Option("--max-rows", min=1, max=1000)] = 100,
    as_json: JsonOpt = False,
) -> None:
    """Run one read-only SELECT (DDL, DML, COPY, file functions, ATTACH and extensions are
    refused)."""
    with closing(common.open_client(load_settings())) as client:
        result = client.table_query(sql, collection, max_rows)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(_grid(result["columns"], result["rows"]))
    more = " (more rows matched: raise --max-rows)" if result["truncated"] else ""
    typer.echo(f"{len(result['rows'])} rows{more}")


def _column(column: dict[str, Any]) -> str:
    unit = f" ({column['unit']})" if column.get("unit") else ""
    return f"{column['sql_name']} {column['type']}{unit}"


def _grid(columns: list[str], rows: list[list[Any]]) -> str:
    """Rows as aligned columns of text, each cell on one line and cut to a readable width."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(columns)]
    lines = ["  ".join(name.ljust(w) for name, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


def _cell(value: Any) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 1] + "…"
