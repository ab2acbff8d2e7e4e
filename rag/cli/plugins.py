"""`rag plugins list`: what is installed under the four plugin entry point groups, whether each is
enabled (built-ins always; others when RAG_PLUGINS names them) and why one did not load."""

import json

import typer

from rag.cli.options import JsonOpt
from rag.settings import load_settings

plugins_cli = typer.Typer(
    help="Plugins: connectors, readers, tools and answerers.", no_args_is_help=True
)


@plugins_cli.command("list")
def plugins_list(as_json: JsonOpt = False) -> None:
    """Show every installed plugin: kind, name, distribution, enabled, and any load error."""
    from rag.plugins.registry import load_plugins

    records = load_plugins(load_settings()).records
    if as_json:
        typer.echo(json.dumps({"plugins": [r.to_json() for r in records]}, indent=2))
        return
    for record in records:
        if not record.enabled:
            status = "not enabled (name it in RAG_PLUGINS)"
        elif record.error is not None:
            status = f"error: {record.error}"
        else:
            status = "enabled"
        typer.echo(f"{record.kind:<10} {record.name:<20} {record.distribution:<24} {status}")
