"""WebDAV folders (Nextcloud, ownCloud, Apache mod_dav, WsgiDAV): every file under a folder.

`webdavs://[user@]host[:port]/path` is HTTPS with the certificate verified; `webdav://` plain
HTTP. The password, when the server asks for one, is the source's secret (HTTP basic auth).
The address passes the web connector's check and redirects are not followed. A file's id is
its `webdav(s)://` address; its ETag (else its size and modification time) is its version
marker, so a re-sync downloads only what changed; files gone from the folder lose their chunks.
"""

from functools import partial
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

import httpx
from webdav4.client import Client, ClientError

from rag.connectors import RawSource, Scan, SourceFailure
from rag.connectors.web import USER_AGENT, URLRefusedError, check_url
from rag.plugins.kinds import ConnectorContext

MAX_DEPTH = 20


class WebDavConnector:
    schemes = ("webdav", "webdavs")

    def scan(self, uri: str, context: ConnectorContext) -> Scan:
        parts = urlsplit(uri.rstrip("/"))
        scheme = "https" if parts.scheme == "webdavs" else "http"
        host = parts.netloc.rpartition("@")[2]
        server = f"{scheme}://{host}"
        base = f"{parts.scheme}://{parts.netloc}"
        root = unquote(parts.path) or "/"
        try:
            check_url(server + "/", context.web_limits)
        except URLRefusedError as exc:
            return Scan(failures=[SourceFailure(uri, f"refused: {exc}")])
        auth = (unquote(parts.username), context.secret or "") if parts.username else None
        http = httpx.Client(
            auth=auth,
            timeout=context.web_limits.timeout_s,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )
        client = Client(server, http_client=http, retry=False)
        scan = Scan(scope=f"{base}{quote(root.rstrip('/'))}/")
        try:
            for entry in _files(client, root, 0):
                _add(scan, client, base, entry, context)
        except (ClientError, httpx.HTTPError, OSError) as exc:
            return Scan(failures=[SourceFailure(uri, f"webdav: {type(exc).__name__}: {exc}")])
        return scan


def _files(client: Client, folder: str, depth: int):
    if depth > MAX_DEPTH:
        return
    for entry in client.ls(folder, detail=True):
        name = str(entry["name"])
        if PurePosixPath(name).name.startswith("."):
            continue
        if entry.get("type") == "directory":
            if name.rstrip("/") != folder.rstrip("/").lstrip("/"):
                yield from _files(client, name, depth + 1)
        else:
            yield entry


def _add(scan: Scan, client: Client, base: str, entry: dict, context: ConnectorContext) -> None:
    path = "/" + str(entry["name"]).lstrip("/")
    source_id = base + quote(path)
    file_type = context.file_types.get(PurePosixPath(path).suffix.lower())
    if file_type is None:
        return
    size = int(entry.get("content_length") or 0)
    if size > context.max_bytes:
        failure = f"file is {size} bytes, over the {context.max_bytes}-byte limit"
        scan.failures.append(SourceFailure(source_id, failure))
        return
    modified = entry.get("modified")
    version = entry.get("etag") or f"{size}:{modified}"
    scan.sources.append(
        RawSource(
            source_id,
            file_type,
            read=partial(_download, client, path, context.max_bytes),
            modified=modified.timestamp() if modified else None,
            version=str(version),
        )
    )


def _download(client: Client, path: str, max_bytes: int) -> bytes:
    data = bytearray()
    with client.open(path, mode="rb") as remote:
        while block := remote.read(64 * 1024):
            data += block
            if len(data) > max_bytes:
                raise ValueError(f"file is over the {max_bytes}-byte limit")
    return bytes(data)
