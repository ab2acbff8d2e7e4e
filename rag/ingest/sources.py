"""Ingest arguments (paths and URLs) → scans from the matching connector."""

from collections.abc import Sequence
from pathlib import Path

from rag.connectors import Scan
from rag.connectors.files import scan_path
from rag.connectors.web import WebLimits, scan_url
from rag.settings import Settings


def scans_for(
    sources: Sequence[str],
    settings: Settings,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[Scan]:
    limits = WebLimits(
        allowed_hosts=frozenset(settings.web_allowed_hosts),
        max_pages=settings.web_max_pages,
        max_bytes=settings.web_max_bytes,
        timeout_s=settings.web_timeout_s,
    )
    return [
        scan_url(source, limits)
        if "://" in source
        else scan_path(Path(source), settings.max_file_bytes, include, exclude)
        for source in sources
    ]
