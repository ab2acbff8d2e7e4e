"""Issue 39, item 7: `rag models pull` refuses a file name that leaves the repository (`../`,
an absolute path) before it sends any request; the hub saw a HEAD for the resolved path."""

import threading
import time
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


# Templates that never finish or build an output far beyond any prompt (issue 39, item 7).
NESTED_LOOPS = (
    "{% set n = range(100000)|list %}{% for a in n %}{% for b in n %}{% for c in n %}"
    "{% endfor %}{% endfor %}{% endfor %}"
)
HUGE_OUTPUTS = {
    "repeat": "{{ 'x' * 400000000 }}",
    "centre": "{{ 'x'|center(400000000) }}",
    "method": "{{ 'x'.ljust(400000000) }}",
    "loop": "{% for i in range(100000) %}{{ 'y' * 4000 }}{% endfor %}",
    "power": "{{ 10 ** 100000000 }}",
}


@pytest.mark.parametrize(
    "template", [NESTED_LOOPS, *HUGE_OUTPUTS.values()], ids=["nested-loops", *HUGE_OUTPUTS]
)
def test_a_template_past_its_time_or_output_limit_cannot_serve(
    tmp_path: Path, template: str
) -> None:
    from rag.models.card import read_card
    from tests.tiny_gguf import write_tiny_llama

    path = write_tiny_llama(tmp_path / "evil.gguf", chat_template=template)
    started = time.monotonic()
    card = read_card(path, n_ctx=2048, n_batch=512)
    assert time.monotonic() - started < 30
    assert card.chat_template in ("broken", "unsafe"), card
    assert "limit" in (card.chat_template_error or ""), card.chat_template_error
