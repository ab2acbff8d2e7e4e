"""Ingest arguments (paths and URIs) → scans from the connector of each one's scheme.

A path (or a file:// URI) goes to the file connector, `http(s)://` to the web connector, any
other scheme to the connector plugin that claims it (`feed+https://`). A connector that fails is
one failure of that argument; the other arguments are still scanned.
"""

from collections.abc import Mapping, Sequence
from pathlib import Path

from rag.connectors import Scan, SourceFailure
from rag.connectors.files import no_reader
from rag.connectors.web import WebLimits
from rag.errors import RagError
from rag.plugins.kinds import ConnectorContext
from rag.plugins.registry import Plugins, load_plugins
from rag.settings import Settings


def scans_for(
    sources: Sequence[str],
    settings: Settings,
    plugins: Plugins | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    roots: Sequence[Path] | None = None,
    secret: str | None = None,
) -> list[Scan]:
    """`plugins`: the app's (None: loaded for `settings`); `roots`: the folders a file may
    be read from (the server's); None: each path named; `secret`: a source's credential."""
    if plugins is None:
        plugins = load_plugins(settings)
    context = ConnectorContext(
        options={},  # each plugin's own, put in by its guard
        file_types=dict(plugins.file_types),
        max_bytes=settings.max_file_bytes,
        web_limits=WebLimits(
            allowed_hosts=frozenset(settings.web_allowed_hosts),
            max_pages=settings.web_max_pages,
            max_bytes=settings.web_max_bytes,
            timeout_s=settings.web_timeout_s,
        ),
        include=tuple(include),
        exclude=tuple(exclude),
        roots=None if roots is None else tuple(r.expanduser().resolve() for r in roots),
        secret=secret,
        endpoints={"s3": settings.s3_endpoint_url} if settings.s3_endpoint_url else {},
    )
    return [_scan(source, context, plugins) for source in sources]


def unreadable_source(source: str, file_types: Mapping[str, str]) -> str | None:
    """Why a source that is still a file here has no enabled reader (its plugin is off); None
    for a URL, a file gone, or one that a reader reads."""
    path = Path(source)
    if "://" in source or not path.is_file():
        return None
    return no_reader(path, file_types)


def _scan(source: str, context: ConnectorContext, plugins: Plugins) -> Scan:
    scheme = source.partition("://")[0].lower() if "://" in source else "file"
    connector = plugins.connectors.get(scheme)
    if connector is None:
        known = ", ".join(sorted(plugins.connectors))
        failure = f"refused: no connector for the scheme {scheme!r} (enabled: {known})"
        return Scan(failures=[SourceFailure(source, failure)])
    try:
        return connector.scan(source, context)
    except RagError as exc:
        return Scan(failures=[SourceFailure(source, str(exc))])
