"""`rag sources add|list|show|sync|remove`: sources kept in sync (rag/sources/).

With a live server on the data directory the commands go through its `/v1/sources` (its
schedule runs the syncs); without one they work on the data directory here, and `sync` runs
in this process.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Protocol
from urllib.parse import quote

import typer

from rag.cli import common
from rag.cli.options import CollectionOpt, JsonOpt
from rag.errors import InvalidInputError
from rag.settings import Settings, load_settings

sources_cli = typer.Typer(
    help="Sources kept in sync: folders, web pages, mailboxes, git, WebDAV, S3.",
    no_args_is_help=True,
)
IdArg = Annotated[str, typer.Argument(help="The source's id (rag sources list).")]
Json = dict[str, Any]


class _Sources(Protocol):
    def add(self, body: Json) -> Json: ...
    def list(self) -> Json: ...
    def show(self, source_id: str) -> Json: ...
    def sync(self, source_id: str) -> Json: ...
    def remove(self, source_id: str, keep_documents: bool) -> Json: ...


class _ServerSources:
    """Through the API server that owns the data directory."""

    def __init__(self, client) -> None:
        self._client = client

    def add(self, body: Json) -> Json:
        return self._client.post("/v1/sources", body)

    def list(self) -> Json:
        return self._client.get("/v1/sources")

    def show(self, source_id: str) -> Json:
        return self._client.get(f"/v1/sources/{quote(source_id, safe='')}")

    def sync(self, source_id: str) -> Json:
        return self._client.post(f"/v1/sources/{quote(source_id, safe='')}/sync", {})

    def remove(self, source_id: str, keep_documents: bool) -> Json:
        path = f"/v1/sources/{quote(source_id, safe='')}"
        params = {"keep_documents": str(keep_documents).lower()}
        return self._client._send("DELETE", path, params=params)  # the client's one way to DELETE


class _LocalSources:
    """On the data directory opened in this process (no server runs)."""

    def __init__(self, service) -> None:
        self._service = service

    def add(self, body: Json) -> Json:
        return self._service.to_json(self._service.add(**body))

    def list(self) -> Json:
        return {"sources": [self._service.to_json(s) for s in self._service.all()]}

    def show(self, source_id: str) -> Json:
        return self._service.to_json(self._service.get(source_id))

    def sync(self, source_id: str) -> Json:
        return self._service.to_json(self._service.sync(source_id))

    def remove(self, source_id: str, keep_documents: bool) -> Json:
        source, deleted = self._service.remove(source_id, keep_documents)
        return {"deleted": self._service.to_json(source), "documents_deleted": deleted}


@contextmanager
def _sources(settings: Settings) -> Iterator[_Sources]:
    from rag.client.http import ServerClient

    server = ServerClient.for_settings(settings)
    if server is not None:
        try:
            yield _ServerSources(server)
        finally:
            server.close()
        return
    with common.open_app(settings) as app:
        yield _LocalSources(app.sources)


def _schedule(every: str | None, daily: str | None, manual: bool) -> str:
    chosen = [f"every {every}" if every else None, f"daily {daily}" if daily else None]
    chosen = [c for c in chosen if c] + (["manual"] if manual else [])
    if len(chosen) > 1:
        raise InvalidInputError("give one of --every, --daily and --manual")
    return chosen[0] if chosen else "every 1h"


def _line(source: Json) -> str:
    counts = f"+{source['added']} ~{source['changed']} -{source['removed']}"
    error = f"\terror: {source['last_error']}" if source["last_error"] else ""
    return (
        f"{source['id']}\t{source['status']}\t{source['schedule']}\t{source['collection']}\t"
        f"{source['uri']}\tlast {source['last_sync'] or 'never'}\t"
        f"next {source['next_sync'] or '-'}\t{counts}{error}"
    )


def _show(shown: Json, as_json: bool) -> None:
    typer.echo(json.dumps(shown, indent=2) if as_json else _line(shown))


@sources_cli.command("add")
def sources_add(
    uri: Annotated[
        str,
        typer.Argument(
            help="A folder, http(s) URL, imap(s)://user@host/MAILBOX, git+file:///repo, "
            "git://host/repo, webdav(s)://host/path or s3://bucket/prefix."
        ),
    ],
    collection: CollectionOpt = None,
    every: Annotated[
        str | None, typer.Option("--every", help="Sync every period: 15m, 2h, 1d.")
    ] = None,
    daily: Annotated[str | None, typer.Option("--daily", help="Sync daily at HH:MM UTC.")] = None,
    manual: Annotated[bool, typer.Option("--manual", help="Sync only when asked.")] = False,
    secret: Annotated[
        str | None,
        typer.Option(
            "--secret",
            help="The credential's name: read from RAG_SECRET_NAME or <data dir>/secrets/NAME.",
        ),
    ] = None,
    branch: Annotated[str | None, typer.Option("--branch", help="git: the branch.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a source kept in sync (default: every hour). The server syncs it right away. A
    source already kept for the URI and collection (an ingest's) takes the new schedule."""
    body = {
        "uri": uri,
        "collection": collection,
        "schedule": _schedule(every, daily, manual),
        "secret": secret,
        "branch": branch,
    }
    with _sources(load_settings()) as sources:
        _show(sources.add(body), as_json)


@sources_cli.command("list")
def sources_list(as_json: JsonOpt = False) -> None:
    """Every source with its schedule, last and next sync, counts and last error."""
    with _sources(load_settings()) as sources:
        listed = sources.list()
    if as_json:
        typer.echo(json.dumps(listed, indent=2))
        return
    for source in listed["sources"]:
        typer.echo(_line(source))


@sources_cli.command("show")
def sources_show(source_id: IdArg, as_json: JsonOpt = False) -> None:
    """One source's state."""
    with _sources(load_settings()) as sources:
        _show(sources.show(source_id), as_json)


@sources_cli.command("sync")
def sources_sync(source_id: IdArg, as_json: JsonOpt = False) -> None:
    """Sync now; exit 1 when the sync recorded an error."""
    with _sources(load_settings()) as sources:
        shown = sources.sync(source_id)
    _show(shown, as_json)
    if shown["last_error"]:
        raise typer.Exit(1)


@sources_cli.command("remove")
def sources_remove(
    source_id: IdArg,
    keep_documents: Annotated[
        bool, typer.Option("--keep-documents", help="Keep what it indexed; forget the source.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Forget a source and delete the documents it brought in (unless --keep-documents)."""
    with _sources(load_settings()) as sources:
        shown = sources.remove(source_id, keep_documents)
    if as_json:
        typer.echo(json.dumps(shown, indent=2))
        return
    typer.echo(f"removed source {source_id} ({shown['documents_deleted']} documents deleted)")
