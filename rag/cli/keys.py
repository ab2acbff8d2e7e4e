"""`rag keys create|list|revoke`: API keys for the REST API and MCP (rag/access/keys.py).

Keys live in the data directory, not in the index, so these commands work while a server runs;
it sees a new or revoked key at its next request.
"""

import json
from datetime import UTC, datetime
from typing import Annotated, Literal

import typer

from rag.access.keys import KeyStore, Role, check_key_name, parse_scope
from rag.cli.options import JsonOpt
from rag.settings import load_settings

keys_cli = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)


def _store() -> KeyStore:
    return KeyStore(load_settings().data_dir.expanduser().resolve())


@keys_cli.command("create")
def keys_create(
    name: Annotated[str, typer.Argument(help="A name for the key (who or what uses it).")],
    role: Annotated[
        Literal["reader", "writer", "admin"],
        typer.Option(
            "--role",
            help="reader: search and ask; writer: also add and delete "
            "documents; admin: everything.",
        ),
    ],
    collections: Annotated[
        str, typer.Option("--collections", help="Collections it may use: a,b or all.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Make a key and print it once: only its hash is kept."""
    check_key_name(name)
    scope = parse_scope(collections)
    key = _store().create(name, Role[role], scope)
    shown = {"name": name, "key": key, "role": role, "collections": list(scope or ()) or "all"}
    if as_json:
        typer.echo(json.dumps(shown))
        return
    typer.echo(key)
    typer.echo(
        f"key {name!r} ({role}, collections: {collections}) is shown only now: store it safely",
        err=True,
    )


@keys_cli.command("list")
def keys_list(as_json: JsonOpt = False) -> None:
    """Every key's name, role, collections and state (never the key itself)."""
    keys = [k.to_json() for k in _store().entries()]
    if as_json:
        typer.echo(json.dumps({"keys": keys}, indent=2))
        return
    for key in keys:
        collections = key["collections"]
        scope = ",".join(collections) if isinstance(collections, list) else collections
        created = datetime.fromtimestamp(float(key["created_at"]), UTC).strftime("%Y-%m-%d %H:%M")
        state = "revoked" if key["revoked"] else "active"
        typer.echo(f"{key['name']}\t{key['role']}\t{scope}\t{state}\tcreated {created} UTC")


@keys_cli.command("revoke")
def keys_revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Refuse the key from the server's next request on."""
    key = _store().revoke(name)
    typer.echo(f"revoked key {key.name!r}")
