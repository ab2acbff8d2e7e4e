"""`rag collections ...` and `rag docs ...`: list and delete what the index holds, through the
live server when one owns the index, else here."""

import json
from contextlib import closing
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
    with closing(common.open_client(load_settings())) as client:
        listed = client.collections()
    if as_json:
        typer.echo(json.dumps(listed, indent=2))
        return
    for info in listed["collections"]:
        typer.echo(f"{info['name']}\t{info['documents']} documents\t{info['chunks']} chunks")


@collections_cli.command("create")
def collections_create(name: Annotated[str, typer.Argument()]) -> None:
    """Create an empty collection (recording the current embedder and chunker)."""
    with closing(common.open_client(load_settings())) as client:
        created = client.create_collection(name)["name"]
    typer.echo(f"created collection {created}")


@collections_cli.command("delete")
def collections_delete(
    name: Annotated[str, typer.Argument()],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a collection with all its chunks (the source files are not touched)."""
    if not yes:
        typer.confirm(f"Delete collection {name} and its index?", abort=True)
    with closing(common.open_client(load_settings())) as client:
        deleted = client.delete_collection(name)["deleted"]
    typer.echo(f"deleted collection {deleted}")


@docs_cli.command("list")
def docs_list(collection: CollectionOpt = None, as_json: JsonOpt = False) -> None:
    """The documents indexed in a collection."""
    with closing(common.open_client(load_settings())) as client:
        listed = client.documents(collection)
    if as_json:
        typer.echo(json.dumps({"documents": listed["documents"]}, indent=2))
        return
    for document in listed["documents"]:
        typer.echo(f"{document['id']}\t{document['chunks']} chunks\t{document['source']}")


@docs_cli.command("delete")
def docs_delete(
    document: Annotated[str, typer.Argument(help="Document id or source path/URL.")],
    collection: CollectionOpt = None,
) -> None:
    """Remove one document and its chunks from the index."""
    with closing(common.open_client(load_settings())) as client:
        deleted = client.delete_document(document, collection)["deleted"]
    typer.echo(f"deleted {deleted['source']} ({deleted['chunks']} chunks)")
