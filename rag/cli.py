"""The `rag` command line: parse arguments, call the core, render. Errors are translated here once.

Exit codes: 0 success, 1 failure (some sources failed, an error), 2 usage error.
"""

import json
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from rag.cli_checks import register as register_checks
from rag.cli_options import CollectionOpt, FilterOpt, JsonOpt, ModeOpt, TopKOpt
from rag.errors import InvalidInputError, RagError
from rag.settings import Settings, load_settings

cli = typer.Typer(
    name="rag",
    help="Private, local-first RAG: ingest documents, then ask questions answered with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _open(settings: Settings):
    from rag.app import RagApp

    return RagApp(settings)


@cli.command()
def ingest(
    sources: Annotated[list[str], typer.Argument(help="Files, folders or URLs.")],
    collection: CollectionOpt = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", help="NAME=VALUE stored on every chunk.")
    ] = None,
    include: Annotated[
        list[str] | None, typer.Option("--include", help="Only files matching this pattern.")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Skip files matching this pattern.")
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep syncing the folders until interrupted.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Index files and folders; a folder is synced (files gone from it lose their chunks)."""
    tags = {}
    for key, op, value in map(_parse_condition, tag or []):
        if op != "=":
            raise InvalidInputError(f"--tag takes NAME=VALUE, got {key}{op}{value}")
        tags[key] = value
    from rag.ingest.sources import scans_for
    from rag.ingest.sync import IngestReport
    from rag.remote import ServerClient

    settings = load_settings()
    # A live server owns the index: a plain ingest runs there; the options it lacks need it
    # stopped (opening the index below then says who owns it).
    server = None if watch or include or exclude or tags else ServerClient.for_settings(settings)
    if server is not None:
        with closing(server):
            report = IngestReport(**server.ingest(sources, collection))
        _print_report(report, as_json)
        raise typer.Exit(1 if report.failed else 0)
    with _open(settings) as app:
        name = app.collection(collection)
        while True:
            scans = scans_for(sources, settings, include or (), exclude or ())
            report = _sync(app, scans, name, tags, quiet=as_json)
            changed = report.added or report.updated or report.deleted or report.moved
            if not watch or changed or report.failed:
                _print_report(report, as_json)
            if not watch:
                break
            try:
                time.sleep(settings.watch_interval_s)
            except KeyboardInterrupt:
                raise typer.Exit(0) from None
    raise typer.Exit(1 if report.failed else 0)


def _sync(app, scans: list, collection: str, tags: dict[str, str], quiet: bool):
    total = sum(len(scan.sources) for scan in scans)
    if quiet or not sys.stderr.isatty() or total == 0:
        report = app.indexer.sync(scans, collection, tags)
    else:
        report = _sync_with_progress(app, scans, collection, tags, total)
    if app.index_is_due(collection, report):
        typer.echo(f"building the search index of {collection}...", err=True)
        app.store.build_index(collection)
    return report


def _print_report(report, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    typer.echo(report.summary())
    for failure in report.failed:
        typer.echo(f"failed: {failure['source']}: {failure['error']}", err=True)


@cli.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    collection: CollectionOpt = None,
    conversation: Annotated[str | None, typer.Option("--conversation")] = None,
    top_k: TopKOpt = None,
    mode: ModeOpt = None,
    filter_: FilterOpt = None,
    adapter: Annotated[
        str | None, typer.Option("--adapter", help="A LoRA adapter from RAG_LLM_LORA_ADAPTERS.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer a question from the indexed documents, with citations."""
    if not question.strip():
        raise InvalidInputError('the question is empty; ask something, e.g. rag ask "..."')
    filters = _filters(filter_)
    body = {
        "question": question,
        "collection": collection,
        "top_k": top_k,
        "mode": mode,
        "filters": filters,
        "conversation_id": conversation,
        "adapter": adapter,
    }
    result = _via_server_or_local(
        "/v1/query",
        body,
        lambda app: app.chat.ask(
            question,
            *app.retrieval_args(collection, top_k, mode, filters),
            conversation_id=conversation,
            adapter=adapter,
        ).to_json(),
    )
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(result["answer"])
    if result["abstained"]:
        typer.echo("\nClosest sources:")
        for chunk in result["closest_sources"]:
            typer.echo(f"  - {chunk['source']}")
        return
    typer.echo("\nSources:")
    for citation in result["citations"]:
        page = f" p.{citation['page']}" if citation["page"] else ""
        typer.echo(f'  [{citation["id"]}] {citation["source"]}{page}: "{citation["text"]}"')


@cli.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    collection: CollectionOpt = None,
    top_k: TopKOpt = None,
    mode: ModeOpt = None,
    filter_: FilterOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Retrieval only: the chunks that best match QUERY."""
    filters = _filters(filter_)
    body = {
        "query": query,
        "collection": collection,
        "top_k": top_k,
        "mode": mode,
        "filters": filters,
    }
    result = _via_server_or_local(
        "/v1/search",
        body,
        lambda app: {
            "results": [
                c.to_json()
                for c in app.retriever.search(
                    query, *app.retrieval_args(collection, top_k, mode, filters)
                )
            ]
        },
    )
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    for rank, chunk in enumerate(result["results"], start=1):
        snippet = " ".join(chunk["text"].split())[:160]
        typer.echo(f"{rank}. {chunk['source']} ({chunk['score']:.4f})\n   {snippet}")


def _sync_with_progress(app, scans, collection: str, tags: dict[str, str], total: int):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("", total=total)

        def advance(source_id: str) -> None:
            progress.update(task, advance=1, description=Path(source_id).name)

        return app.indexer.sync(scans, collection, tags, advance)


def _parse_condition(text: str) -> tuple[str, str, str]:
    for op in (">=", "<=", "="):
        key, found, value = text.partition(op)
        if found and key.strip() and value.strip():
            return key.strip(), op, value.strip()
    raise InvalidInputError(f"expected KEY=VALUE, KEY>=VALUE or KEY<=VALUE, got {text!r}")


def _filters(conditions: list[str] | None) -> dict[str, object] | None:
    """`page>=2`, `page<=5`, `source=/a.md` → {"page": {"gte": 2, "lte": 5}, "source": ...}."""
    filters: dict[str, object] = {}
    for key, op, raw in map(_parse_condition, conditions or []):
        value: object = int(raw) if raw.lstrip("-").isdigit() else raw
        if op == "=":
            filters[key] = value
        else:
            bounds = filters.setdefault(key, {})
            if not isinstance(bounds, dict):
                raise InvalidInputError(f"filter {key!r} is both a value and a range")
            bounds["gte" if op == ">=" else "lte"] = value
    return filters or None


def _via_server_or_local(path: str, body: dict, local) -> dict:
    """Send the request to the live server that owns the data dir, or open the index here."""
    from rag.remote import ServerClient

    settings = load_settings()
    server = ServerClient.for_settings(settings)
    if server is not None:
        try:
            return server.post(path, body)
        finally:
            server.close()
    with _open(settings) as app:
        return local(app)


@cli.command()
def reindex(collection: CollectionOpt = None, as_json: JsonOpt = False) -> None:
    """Rebuild a collection from its sources with the current embedder and chunker."""
    from rag.ingest.sources import scans_for
    from rag.ingest.sync import IngestReport

    settings = load_settings()
    with _open(settings) as app:
        name = app.collection(collection)
        plan = app.data_dir.root / f"reindex-{name}.json"
        report = IngestReport()
        for tags, sources in app.catalog.sources_to_reindex(name, plan):
            report.extend(_sync(app, scans_for(sources, settings), name, tags, quiet=as_json))
        plan.unlink()
    _print_report(report, as_json)
    raise typer.Exit(1 if report.failed else 0)


collections_cli = typer.Typer(help="List, create and delete collections.", no_args_is_help=True)
docs_cli = typer.Typer(help="List and delete indexed documents.", no_args_is_help=True)
cli.add_typer(collections_cli, name="collections")
cli.add_typer(docs_cli, name="docs")


@collections_cli.command("list")
def collections_list(as_json: JsonOpt = False) -> None:
    """Every collection with its document and chunk counts."""
    with _open(load_settings()) as app:
        infos = app.catalog.collections()
    if as_json:
        typer.echo(json.dumps({"collections": [i.to_json() for i in infos]}, indent=2))
        return
    for info in infos:
        typer.echo(f"{info.name}\t{info.documents} documents\t{info.chunks} chunks")


@collections_cli.command("create")
def collections_create(name: Annotated[str, typer.Argument()]) -> None:
    """Create an empty collection (recording the current embedder and chunker)."""
    with _open(load_settings()) as app:
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
    with _open(load_settings()) as app:
        app.catalog.delete(name)
    typer.echo(f"deleted collection {name}")


@docs_cli.command("list")
def docs_list(collection: CollectionOpt = None, as_json: JsonOpt = False) -> None:
    """The documents indexed in a collection."""
    from rag.catalog import document_json

    with _open(load_settings()) as app:
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
    with _open(load_settings()) as app:
        record = app.catalog.delete_document(app.collection(collection), document)
    typer.echo(f"deleted {record.source_id} ({len(record.chunk_ids)} chunks)")


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535)] = None,
) -> None:
    """Run the REST API (it owns the index and the model while it runs)."""
    import uvicorn

    from rag.api import create_app

    settings = load_settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="info",
    )


@cli.command()
def ui() -> None:
    """Run the Streamlit chat UI (a client of the API at RAG_API_URL)."""
    import os
    import subprocess

    import rag.ui

    settings = load_settings()
    script = Path(rag.ui.__file__).with_name("app.py")
    env = {
        **os.environ,
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "RAG_API_URL": settings.api_url,
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        f"--server.address={settings.ui_host}",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=minimal",
        "--client.showErrorDetails=none",  # an unexpected error shows a message, no traceback
    ]
    raise typer.Exit(subprocess.call(command, env=env))  # noqa: S603


register_checks(cli, lambda settings: _open(settings))


def main() -> NoReturn:
    try:
        cli()
    except RagError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2 if isinstance(exc, InvalidInputError) else 1)
    sys.exit(0)
