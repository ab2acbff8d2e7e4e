import mimetypes
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, UploadFile, status
from fastapi.responses import StreamingResponse

from rag.access.keys import Role
from rag.api.deps import Caller, Metrics, Rag
from rag.catalog import document_json, documents_json
from rag.errors import InvalidInputError, NotFoundError, SourceError, UnprocessableError
from rag.ingest.confine import open_exact
from rag.ingest.ids import document_id
from rag.ingest.sources import scans_for

router = APIRouter(prefix="/v1/documents", tags=["documents"])

MAX_FILES_PER_UPLOAD = 50
# The original file is served for reading, never run: no scripts, no sniffing, no embedding.
_CONTENT_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
}


@router.get("")
def list_documents(
    rag: Rag,
    caller: Caller,
    collection: str | None = None,
    offset: int = Query(default=0, ge=0),
    limit: int = Query(default=100, ge=1, le=1000),
) -> dict[str, object]:
    name = caller.allow(rag.collection(collection))
    return documents_json(name, rag.catalog.documents(name), offset, limit)


@router.post("", status_code=status.HTTP_201_CREATED)
def upload_documents(
    rag: Rag,
    metrics: Metrics,
    caller: Caller,
    files: Annotated[list[UploadFile], File(description="One or more parts named `files`.")],
    collection: Annotated[str | None, Form()] = None,
) -> dict[str, object]:
    """Store the files in the data directory and index them; the ingest report comes back,
    with `document_ids` mapping each kept file to its document id.

    Files that cannot be read are reported under `failed` and not kept; if none can be read,
    the reply is 422.
    """
    name = caller.allow(rag.collection(collection), Role.writer)
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise InvalidInputError(f"at most {MAX_FILES_PER_UPLOAD} files per upload")
    # Every name is checked before any file is written.
    paths = [rag.uploads.path_for(name, upload.filename) for upload in files]
    if len(set(paths)) != len(paths):
        raise InvalidInputError("two uploaded files have the same name")
    written: list[Path] = []
    try:
        for path, upload in zip(paths, files, strict=True):
            rag.uploads.save(path, upload.file)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    scans = scans_for([str(p) for p in paths], rag.settings, rag.plugins, roots=[rag.uploads.root])
    report = rag.indexer.sync(scans, name)
    metrics.observe_ingest(report)
    for failure in report.failed:
        rag.uploads.discard(failure["source"])
    if len(report.failed) == len(paths):
        problems = "; ".join(f"{Path(f['source']).name}: {f['error']}" for f in report.failed)
        raise UnprocessableError(f"no uploaded file could be indexed: {problems}")
    failed = {failure["source"] for failure in report.failed}
    # `path_for` paths are resolved already, so each is its source id.
    ids = {str(p): document_id(str(p)) for p in paths if str(p) not in failed}
    return {"collection": name, "document_ids": ids, **report.to_json()}


@router.get("/{document_id}")
def get_document(
    document_id: str, rag: Rag, caller: Caller, collection: str | None = None
) -> dict[str, object]:
    return document_json(
        rag.catalog.document(caller.allow(rag.collection(collection)), document_id)
    )


@router.get(
    "/{document_id}/content",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def document_content(
    document_id: str, rag: Rag, caller: Caller, collection: str | None = None
) -> StreamingResponse:
    """The original file, for source links. Web pages are not kept: open their URL instead.

    The file is opened at exactly the path it was indexed from, following no symlink, and sent
    from that descriptor: a file or folder swapped for a symlink since is not served.
    """
    record = rag.catalog.document(caller.allow(rag.collection(collection)), document_id)
    if "://" in record.source_id:
        raise NotFoundError(f"{record.source_id} is a web page; its original is at that URL")
    path = Path(record.source_id)
    try:
        file = os.fdopen(open_exact(path), "rb")
    except SourceError as exc:
        raise NotFoundError(f"{path.name} cannot be served: {exc}") from None
    headers = {
        **_CONTENT_HEADERS,
        "Content-Length": str(os.fstat(file.fileno()).st_size),
        "Content-Disposition": f"attachment; filename*=utf-8''{quote(path.name)}",
    }
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return StreamingResponse(_blocks(file), media_type=media_type, headers=headers)


@router.get("/{document_id}/text")
def document_text(
    document_id: str, rag: Rag, caller: Caller, collection: str | None = None
) -> dict[str, object]:
    """The document's indexed text, page by page (citations' `start`/`end` index into it);
    MCP serves it as the resource `rag://documents/{collection}/{id}`."""
    name = caller.allow(rag.collection(collection))
    record = rag.catalog.document(name, document_id)
    pages = rag.catalog.document_text(name, document_id)
    return {"id": record.document_id, "source": record.source_id, "pages": pages}


def _blocks(file) -> Iterator[bytes]:
    with file:
        while block := file.read(1 << 16):
            yield block


@router.delete("/{document_id}")
def delete_document(
    document_id: str, rag: Rag, caller: Caller, collection: str | None = None
) -> dict[str, object]:
    name = caller.allow(rag.collection(collection), Role.writer)
    record = rag.catalog.delete_document(name, document_id)
    return {"deleted": document_json(record)}
