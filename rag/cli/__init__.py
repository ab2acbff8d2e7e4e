"""The `rag` command line: parse arguments, call the core, render. Errors are translated here once.

Exit codes: 0 success, 1 failure (some sources failed, an error), 2 usage error.
"""

import sys
from typing import NoReturn

import typer

from rag.cli import (
    audit,
    catalog,
    checks,
    ingest,
    keys,
    mcp,
    models,
    plugins,
    query,
    servers,
    sources,
    tables,
)
from rag.errors import InvalidInputError, RagError

cli = typer.Typer(
    name="rag",
    help="Private, local-first RAG: ingest documents, then ask questions answered with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

cli.command()(ingest.ingest)
cli.command()(query.ask)
cli.command()(query.search)
cli.command()(ingest.reindex)
cli.add_typer(catalog.collections_cli, name="collections")
cli.add_typer(catalog.docs_cli, name="docs")
cli.add_typer(models.models_cli, name="models")
cli.command()(servers.serve)
cli.command()(servers.ui)
cli.command(name="eval")(checks.eval_)
cli.command()(checks.doctor)
cli.add_typer(keys.keys_cli, name="keys")
cli.command()(audit.audit)
cli.command()(mcp.mcp)
cli.add_typer(plugins.plugins_cli, name="plugins")
cli.add_typer(sources.sources_cli, name="sources")
cli.add_typer(tables.tables_cli, name="tables")


def main() -> NoReturn:
    try:
        cli()
    except RagError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2 if isinstance(exc, InvalidInputError) else 1)
    sys.exit(0)
