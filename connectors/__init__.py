"""Connectors: where documents come from. Each yields raw sources; parsing happens in ingest.

A raw source is identified by its `source_id` (a file's absolute path, a page's URL), knows its
file type, and reads its bytes on demand, so unchanged sources can be skipped after hashing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RawSource:
    source_id: str
    file_type: str
    read: Callable[[], bytes] = field(repr=False, compare=False)
    modified: float | None = None  # seconds since the epoch, when the source says
    # What the source says of itself beyond its text (a mail's subject, a file's commit), kept
    # in every chunk's payload under "metadata"; not part of its content hash.
    metadata: Mapping[str, str] = field(default_factory=dict, compare=False)
    # A marker that changes whenever the content does (an ETag, a blob id): a sync told the
    # marker it saw last may skip reading the source (rag/sources/).
    version: str | None = None


@dataclass(frozen=True)
class SourceFailure:
    source_id: str
    error: str


@dataclass
class Scan:
    """What one connector found for one requested path or URL.

    `scope` is set when the request was a container (a folder): sources indexed earlier under
    that scope but absent from `sources` are gone and lose their chunks. `unread` names the
    sources found but not read, each with the reason (no enabled reader takes its file type):
    they are still there, so their documents are kept as they are.
    """

    sources: list[RawSource] = field(default_factory=list)
    failures: list[SourceFailure] = field(default_factory=list)
    scope: str | None = None
    unread: dict[str, str] = field(default_factory=dict)  # source id → why it was not read
