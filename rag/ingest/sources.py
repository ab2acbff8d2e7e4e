"""Ingest arguments (paths and URLs) → scans from the matching connector.

Every file a scan found is read later through `read_confined`: under the allowed roots (the
server's RAG_API_INGEST_ROOTS, the upload folder) or, for the CLI, under the file or folder the
user named as it resolved when scanned, checked again when the file is opened. A folder swapped
for a symlink between the scan and the read is refused, never followed.
"""

import dataclasses
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from rag.connectors import Scan, SourceFailure
from rag.connectors.files import scan_path
from rag.connectors.web import WebLimits, scan_url
from rag.ingest.confine import read_confined
from rag.settings import Settings


def scans_for(
    sources: Sequence[str],
    settings: Settings,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    roots: Sequence[Path] | None = None,
) -> list[Scan]:
    """`roots`: the folders a file may be read from (the server's); None: each path named."""
    limits = WebLimits(
        allowed_hosts=frozenset(settings.web_allowed_hosts),
        max_pages=settings.web_max_pages,
        max_bytes=settings.web_max_bytes,
        timeout_s=settings.web_timeout_s,
    )
    allowed = None if roots is None else [root.expanduser().resolve() for root in roots]
    return [
        scan_url(source, limits)
        if "://" in source
        else _scan_files(Path(source), settings.max_file_bytes, include, exclude, allowed)
        for source in sources
    ]


def _scan_files(
    path: Path,
    max_bytes: int,
    include: Sequence[str],
    exclude: Sequence[str],
    roots: list[Path] | None,
) -> Scan:
    resolved = path.expanduser().resolve()
    if roots is None:
        roots = [resolved]
    elif not any(resolved.is_relative_to(root) for root in roots):
        return Scan(failures=[SourceFailure(str(path), "outside the allowed folders: refused")])
    scan = scan_path(resolved, max_bytes, include, exclude)
    scan.sources = [
        dataclasses.replace(
            source, read=partial(read_confined, Path(source.source_id), roots, max_bytes)
        )
        for source in scan.sources
    ]
    return scan
