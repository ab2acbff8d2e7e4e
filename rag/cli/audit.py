"""`rag audit`: read the API server's audit log (rag/access/audit.py)."""

import json
import unicodedata
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
            typer.echo(json.dumps(entry))  # ASCII: no control character reaches the terminal
            continue
        fields = [entry.get(name) for name in ("time", "key", "method", "route", "collection")]
        time, key, method, route, collection = (_shown(field or "-") for field in fields)
        typer.echo(f"{time}\t{key}\t{method} {route}\t{collection}\t{_shown(entry.get('status'))}")


def _shown(value: object) -> str:
    """`value` with every control, format or separator character (a tab, an escape code, a
    line or bidi mark) written as its escape, so one entry prints as one plain line."""
    return "".join(
        char.encode("unicode_escape").decode()
        if unicodedata.category(char)[0] in "CZ" and char != " "
        else char
        for char in str(value)
    )
