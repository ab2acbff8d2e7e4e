"""A web site on 127.0.0.1 for the web connector's tests; nothing touches the internet.

Routes map a path to (status, content type, body, headers); a body may be a function giving
blocks, so a test can serve a response far larger than it would want to hold in memory.
"""

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Body = bytes | Callable[[], Iterable[bytes]]
Routes = dict[str, tuple[int, str, Body, dict[str, str]]]


def sitemap(base: str, paths: list[str], index: bool = False) -> bytes:
    tag, item = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    entries = "".join(f"<{item}><loc>{base}{p}</loc></{item}>" for p in paths)
    return (
        f'<?xml version="1.0"?><{tag} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</{tag}>"
    ).encode()


@contextmanager
def local_site() -> Iterator[tuple[str, Routes]]:
    """Serve the routes (filled in by the caller) until the block ends; yields the base URL."""
    routes: Routes = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            status, kind, body, headers = routes.get(self.path, (404, "text/plain", b"", {}))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            try:
                for block in [body] if isinstance(body, bytes) else body():
                    self.wfile.write(block)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading: that is what size limits do

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", routes
    finally:
        server.shutdown()
