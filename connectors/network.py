"""The web connector's address check for the other network connectors (IMAP, git, WebDAV, S3):
a host and port are refused unless every address they resolve to is public, or the exact
`host:port` is in RAG_WEB_ALLOWED_HOSTS (a test's own server)."""

from urllib.parse import SplitResult

from rag.connectors.web import URLRefusedError, WebLimits, check_url


def check_host(host: str, port: int, limits: WebLimits) -> None:
    """Raise URLRefusedError with the reason when (host, port) must not be connected to."""
    shown = f"[{host}]" if ":" in host else host
    check_url(f"http://{shown}:{port}/", limits)


def host_and_port(parts: SplitResult, default_port: int) -> tuple[str, int]:
    """The host and port of a parsed URI; URLRefusedError when it has no host or a bad port."""
    if not parts.hostname:
        raise URLRefusedError("the address has no host")
    try:
        return parts.hostname, parts.port or default_port
    except ValueError:
        raise URLRefusedError(f"port of {parts.netloc[:80]!r} is out of range 0-65535") from None
