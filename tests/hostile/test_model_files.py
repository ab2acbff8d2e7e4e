"""Issue 39, item 7: `rag models pull` refuses a file name that leaves the repository (`../`,
an absolute path) before it sends any request; the hub saw a HEAD for the resolved path."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rag.errors import InvalidInputError
from rag.models.hub import pull
from rag.settings import Settings


@pytest.fixture
def hub() -> Iterator[tuple[str, list[str]]]:
    """A server that records every request it is sent and answers 404."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _record(self) -> None:
            seen.append(f"{self.command} {self.path}")
            self.send_response(404)
            self.end_headers()

        do_GET = do_HEAD = _record

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


@pytest.mark.parametrize(
    "filename",
    [
        "../x.gguf",
        "../../etc/x.gguf",
        "sub/../../x.gguf",
        "/etc/x.gguf",
        "..\\x.gguf",
        "./x.gguf",
        "sub//x.gguf",
    ],
)
def test_a_file_name_leaving_the_repository_is_refused_before_any_request(
    tmp_path: Path, hub: tuple[str, list[str]], filename: str
) -> None:
    url, seen = hub
    settings = Settings(data_dir=tmp_path / "data", hub_endpoint=url, hub_offline=False)
    with pytest.raises(InvalidInputError, match="file name"):
        pull(settings, "acme/tiny-GGUF", filename)
    assert seen == []
