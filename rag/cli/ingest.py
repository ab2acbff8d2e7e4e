"""`rag ingest` and `rag reindex`: bring a collection in line with its sources."""

import json
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rag.cli import common
from rag.cli.options import CollectionOpt, JsonOpt
from rag.errors import InvalidInputError
from rag.settings import load_settings

if TYPE_CHECKING:
    from rag.app import RagApp
    from rag.connectors import Scan
    from rag.ingest.report import IngestReport


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
    tags: dict[str, str] = {}
    for key, op, value in map(common.parse_condition, tag or []):
        if op != "=":
            raise InvalidInputError(f"--tag takes NAME=VALUE, got {key}{op}{value}")
        tags[key] = value
    from rag.client.http import ServerClient
    from rag.ingest.report import IngestReport
    from rag.ingest.sources import scans_for

    settings = load_settings()
    # A live server owns the index: a plain ingest runs there; the options it lacks need it
    # stopped (opening the index below then says who owns it).
    server = None if watch or include or exclude or tags else ServerClient.for_settings(settings)
    if server is not None:
        with closing(server):
            report = IngestReport(**server.ingest(sources, collection))
        _print_report(report, as_json)
        raise typer.Exit(1 if report.failed else 0)
    with common.open_app(settings) as app:
        name = app.collection(collection)
        while True:
            scans = scans_for(sources, settings, app.plugins, include or (), exclude or ())
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


def reindex(collection: CollectionOpt = None, as_json: JsonOpt = False) -> None:
    """Rebuild a collection from its sources with the current embedder and chunker."""
    from rag.ingest.report import IngestReport
    from rag.ingest.sources import scans_for

    settings = load_settings()
    with common.open_app(settings) as app:
        name = app.collection(collection)
        plan = app.data_dir.root / f"reindex-{name}.json"
        report = IngestReport()
        for tags, sources in app.catalog.sources_to_reindex(name, plan):
            scans = scans_for(sources, settings, app.plugins)
            report.extend(_sync(app, scans, name, tags, quiet=as_json))
        plan.unlink()
    _print_report(report, as_json)
    raise typer.Exit(1 if report.failed else 0)


def _sync(
    app: "RagApp", scans: list["Scan"], collection: str, tags: dict[str, str], quiet: bool
) -> "IngestReport":
    total = sum(len(scan.sources) for scan in scans)
    if quiet or not sys.stderr.isatty() or total == 0:
        report = app.indexer.sync(scans, collection, tags)
    else:
        report = _sync_with_progress(app, scans, collection, tags, total)
    if app.index_is_due(collection, report):
        typer.echo(f"building the search index of {collection}...", err=True)
        app.store.build_index(collection)
    return report


def _sync_with_progress(
    app: "RagApp", scans: list["Scan"], collection: str, tags: dict[str, str], total: int
) -> "IngestReport":
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

        def reading(source_id: str, page: int, pages: int) -> None:
            progress.update(task, description=f"{Path(source_id).name}: OCR page {page}/{pages}")

        return app.indexer.sync(scans, collection, tags, advance, reading)


def _print_report(report: "IngestReport", as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    typer.echo(report.summary())
    for failure in report.failed:
        typer.echo(f"failed: {failure['source']}: {failure['error']}", err=True)
