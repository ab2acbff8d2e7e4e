"""`rag ingest` and `rag reindex`: bring a collection in line with its sources."""

import json
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rag.cli import common
from rag.cli.options import CollectionOpt, JsonOpt
from rag.errors import InvalidInputError
from rag.ingest.report import IngestProgress, IngestReport
from rag.settings import load_settings

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from rag.client.local import LocalClient


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
    """Index files and folders; a folder is synced (files gone from it lose their chunks).
    Each one (without --tag, --include, --exclude) is kept as a manual source: rag sources."""
    tags: dict[str, str] = {}
    for key, op, value in map(common.parse_condition, tag or []):
        if op != "=":
            raise InvalidInputError(f"--tag takes NAME=VALUE, got {key}{op}{value}")
        tags[key] = value
    from rag.client.http import ServerClient

    settings = load_settings()
    # A live server owns the index: a plain ingest runs there; the options it lacks need it
    # stopped (opening the index below then says who owns it).
    server = None if watch or include or exclude or tags else ServerClient.for_settings(settings)
    if server is not None:
        with closing(server):
            report = IngestReport(**server.ingest(sources, collection))
        _print_report(report, as_json)
        raise typer.Exit(1 if report.failed else 0)
    progress = _ProgressBar(shown=not as_json)
    with closing(common.open_local(settings)) as client:
        while True:
            report = _sync(client, sources, collection, progress, tags, include, exclude)
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
    from rag.client.local import LocalClient

    settings = load_settings()
    progress = _ProgressBar(shown=not as_json)
    with common.open_app(settings) as app:
        name = app.collection(collection)
        plan = app.data_dir.root / f"reindex-{name}.json"
        report = IngestReport()
        for tags, sources in app.catalog.sources_to_reindex(name, plan):
            # The ledger's documents, one by one: not sources to keep in sync.
            client = LocalClient(app)
            report.extend(_sync(client, sources, name, progress, tags, as_sources=False))
        plan.unlink()
    _print_report(report, as_json)
    raise typer.Exit(1 if report.failed else 0)


def _sync(
    client: "LocalClient",
    sources: list[str],
    collection: str | None,
    progress: IngestProgress,
    tags: dict[str, str],
    include: Sequence[str] | None = None,
    exclude: Sequence[str] | None = None,
    as_sources: bool = True,
) -> IngestReport:
    include, exclude = include or (), exclude or ()
    shown = client.ingest(
        sources,
        collection,
        tags=tags,
        include=include,
        exclude=exclude,
        progress=progress,
        as_sources=as_sources,
    )
    return IngestReport(**shown)


class _ProgressBar(IngestProgress):
    """A bar on stderr while sources are indexed (on a terminal, unless `shown` is False), and
    a line when the search index is built."""

    def __init__(self, shown: bool) -> None:
        self._shown = shown
        self._bar: tuple[Progress, TaskID] | None = None  # while a sync runs

    @contextmanager
    def syncing(self, sources: int) -> Iterator[None]:
        if not self._shown or not sys.stderr.isatty() or sources == 0:
            yield
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        columns = (
            TextColumn("indexing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
        )
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            self._bar = bar, bar.add_task("", total=sources)
            try:
                yield
            finally:
                self._bar = None

    def source_done(self, source_id: str) -> None:
        if self._bar is not None:
            bar, task = self._bar
            bar.update(task, advance=1, description=Path(source_id).name)

    def ocr_page(self, source_id: str, page: int, pages: int) -> None:
        if self._bar is not None:
            bar, task = self._bar
            bar.update(task, description=f"{Path(source_id).name}: OCR page {page}/{pages}")

    def building_index(self, collection: str) -> None:
        typer.echo(f"building the search index of {collection}...", err=True)


def _print_report(report: IngestReport, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    typer.echo(report.summary())
    for reason, kept in Counter(k["reason"] for k in report.kept).items():
        typer.echo(f"kept {kept} document{'s' if kept > 1 else ''}: {reason}", err=True)
    for failure in report.failed:
        typer.echo(f"failed: {failure['source']}: {failure['error']}", err=True)
