"""`rag collections ...` and `rag docs ...`: list and delete what the index holds."""

import json
from typing import Annotated

import typer

from rag.cli import common
from rag.cli.options import CollectionOpt, JsonOpt
from rag.settings import load_settings

collections_cli = typer.Typer(help="List, create and delete collections.", no_args_is_help=True)
docs_cli = typer.Typer(help="List and delete indexed documents.", no_args_is_help=True)


@collections_cli.command("list")
def collections_list(as_json: JsonOpt = False) -> None:
    """Every collection with its document and chunk counts."""
    with common.open_app(load_settings()) as app:
        infos = app.catalog.collections()
    if as_json:
        typer.echo(json.dumps({"collections": [i.to_json() for i in infos]}, indent=2))
        return
    for info in infos:
        typer.echo(f"{info.name}\t{info.documents} documents\t{info.chunks} chunks")


@collections_cli.command("create")
def collections_create(name: Annotated[str, typer.Argument()]) -> None:
    """Create an empty collection (recording the current embedder and chunker)."""
    with common.open_app(load_settings()) as app:
        app.catalog.create(name)
    typer.echo(f"created collection {name}")


@collections_cli.command("delete")
def collections_delete(
    name: Annotated[str, typer.Argument()],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a collection with all its chunks (the source files are not touched)."""
    if not yes:
        typer.confirm(f"Delete collection {name} and its index?", abort=True)
    with common.open_app(load_settings()) as app:
        app.catalog.delete(name)
    typer.echo(f"deleted collection {name}")


@docs_cli.command("list")
def docs_list(collection: CollectionOpt = None, as_json: JsonOpt = False) -> None:
    """The documents indexed in a collection."""
    from rag.catalog import document_json

    with common.open_app(load_settings()) as app:
        records = app.catalog.documents(app.collection(collection))
    if as_json:
        typer.echo(json.dumps({"documents": [document_json(r) for r in records]}, indent=2))
        return
    for record in records:
        typer.echo(f"{record.document_id}\t{len(record.chunk_ids)} chunks\t{record.source_id}")


@docs_cli.command("delete")
def docs_delete(
    document: Annotated[str, typer.Argument(help="Document id or source path/URL.")],
    collection: CollectionOpt = None,
) -> None:
    """Remove one document and its chunks from the index."""
    with common.open_app(load_settings()) as app:
        record = app.catalog.delete_document(app.collection(collection), document)
    typer.echo(f"deleted {record.source_id} ({len(record.chunk_ids)} chunks)")
