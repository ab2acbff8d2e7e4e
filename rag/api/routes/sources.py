"""Sources kept in sync (rag/sources/): list, add, remove, sync now.

Writers of a collection manage its network sources (which pass the web connector's address
checks); a source on the server's own disk (a folder, `git+file://`) follows `/v1/ingest`'s
rules: an admin, and a path under RAG_API_INGEST_ROOTS. Secrets are named, never shown.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, Field

from rag.access.keys import Role
from rag.api.deps import Caller, Rag
from rag.jobs import check_ingest_paths
from rag.sources.service import SourceService
from rag.sources.uris import is_local, local_path

router = APIRouter(prefix="/v1/sources", tags=["sources"])


def _service(request: Request) -> SourceService:
    return request.app.state.sources


Sources = Annotated[SourceService, Depends(_service)]


class NewSource(BaseModel):
    uri: str = Field(min_length=1, max_length=2048)
    collection: str | None = Field(default=None, max_length=64)
    schedule: str = Field(
        default="every 1h", max_length=32, description="every 15m, daily 02:00 (UTC) or manual"
    )
    secret: str | None = Field(default=None, max_length=64, description="the secret's name")
    branch: str | None = Field(default=None, max_length=255, description="git sources only")


@router.get("")
def list_sources(sources: Sources, caller: Caller) -> dict[str, object]:
    """The sources of the collections this key may write."""
    caller.require(Role.writer)
    shown = [s for s in sources.all() if caller.can_read(s.collection)]
    return {"sources": [sources.to_json(s) for s in shown]}


@router.post("", status_code=status.HTTP_201_CREATED)
def add_source(body: NewSource, rag: Rag, sources: Sources, caller: Caller) -> dict[str, object]:
    """Record a source; a scheduled one syncs at once, in the background."""
    caller.allow(rag.collection(body.collection), Role.writer)
    if is_local(body.uri):  # the server's disk may hold any team's files
        caller.require(Role.admin)
        check_ingest_paths([str(local_path(body.uri))], rag.settings.api_ingest_roots)
    source = sources.add(body.uri, body.collection, body.schedule, body.secret, body.branch)
    return sources.to_json(source)


@router.get("/{source_id}")
def get_source(source_id: str, sources: Sources, caller: Caller) -> dict[str, object]:
    source = sources.get(source_id)
    caller.allow_found(source.collection, f"no source {source_id!r}", Role.writer)
    return sources.to_json(source)


@router.post("/{source_id}/sync")
def sync_source(source_id: str, sources: Sources, caller: Caller) -> dict[str, object]:
    """Sync now (waiting for a sync already running to end first); the source's new state."""
    source = sources.get(source_id)
    caller.allow_found(source.collection, f"no source {source_id!r}", Role.writer)
    synced = sources.sync(source_id)
    return sources.to_json(synced or source)


@router.delete("/{source_id}")
def remove_source(
    source_id: str,
    sources: Sources,
    caller: Caller,
    keep_documents: bool = Query(default=False),
) -> dict[str, object]:
    """Forget the source and, unless `keep_documents`, delete the documents it brought in."""
    source = sources.get(source_id)
    caller.allow_found(source.collection, f"no source {source_id!r}", Role.writer)
    removed, deleted = sources.remove(source_id, keep_documents)
    return {"deleted": sources.to_json(removed), "documents_deleted": deleted}
