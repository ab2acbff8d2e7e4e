"""What a source's URI is: a path on the server (a folder, `git+file://`) or a network address,
normalized as stored, and checked before it is added."""

from pathlib import Path
from urllib.parse import urlsplit

from rag.connectors.network import check_host, host_and_port
from rag.connectors.web import URLRefusedError, WebLimits, check_url
from rag.errors import InvalidInputError

# Schemes whose URI names a path on the server's own disk.
LOCAL_SCHEMES = ("file", "git+file")
DEFAULT_PORTS = {"imap": 143, "imaps": 993, "git": 9418, "webdav": 80, "webdavs": 443}
MAX_URI_CHARS = 2048


def scheme_of(uri: str) -> str:
    return uri.partition("://")[0].lower() if "://" in uri else "file"


def is_local(uri: str) -> bool:
    return scheme_of(uri) in LOCAL_SCHEMES


def local_path(uri: str) -> Path:
    """The path a local source names (resolved, symlinks followed)."""
    raw = uri.split("://", 1)[1] if "://" in uri else uri
    if "\x00" in raw:
        raise InvalidInputError("a path contains a NUL character")
    return Path(raw).expanduser().resolve()


def normalized(uri: str) -> str:
    """The URI as stored: a local path made absolute; a password in a URI refused."""
    uri = uri.strip()
    if not uri or len(uri) > MAX_URI_CHARS:
        raise InvalidInputError(f"a source is a path or URI of 1-{MAX_URI_CHARS} characters")
    scheme = scheme_of(uri)
    if scheme == "file":
        if "://" in uri:
            raise InvalidInputError("name a folder by its path, not as a file:// URI")
        return str(local_path(uri))
    if scheme == "git+file":
        return f"git+file://{local_path(uri)}"
    parts = urlsplit(uri)
    if parts.password is not None:
        raise InvalidInputError(
            "a source's URI must not hold a password: store it as a secret and name it with "
            "--secret NAME"
        )
    if parts.fragment:
        raise InvalidInputError("a source's URI has no #fragment (a git branch: --branch)")
    return uri


def check_address(uri: str, limits: WebLimits, s3_endpoint: str | None) -> None:
    """Refuse a network source whose host is not public (unless allowed by exact host:port)."""
    scheme = scheme_of(uri)
    try:
        if scheme in ("http", "https"):
            check_url(uri, limits)
        elif scheme == "s3":
            if s3_endpoint:
                check_url(s3_endpoint, limits)
        elif scheme in DEFAULT_PORTS:
            check_host(*host_and_port(urlsplit(uri), DEFAULT_PORTS[scheme]), limits)
    except URLRefusedError as exc:
        raise InvalidInputError(f"source refused: {exc}") from None
