"""`rag audit`: read the API server's audit log (rag/access/audit.py)."""

import json
from typing import Annotated

import typer

from rag.access.audit import parse_since, read_audit
from rag.cli.options import JsonOpt
from rag.settings import load_settings


def audit(
    key: Annotated[str | None, typer.Option("--key", help="Only this key's requests.")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="A duration (30m, 2h, 7d) or an ISO date/time (UTC)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Requests the API answered: time, key, route, collection, status (oldest first)."""
    start = parse_since(since) if since is not None else None
    data_dir = load_settings().data_dir.expanduser().resolve()
    for entry in read_audit(data_dir, key, start):
        if as_json:
            typer.echo(json.dumps(entry, ensure_ascii=False))
            continue
        collection = entry.get("collection") or "-"
        typer.echo(
            f"{entry['time']}\t{entry['key']}\t{entry['method']} {entry['route']}\t"
            f"{collection}\t{entry['status']}"
        )
