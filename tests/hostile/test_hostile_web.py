"""Hostile web sources in one ingest batch, served from 127.0.0.1: each is refused or bounded
with its reason, the one good page is indexed, and the run takes seconds."""

import time
from collections.abc import Iterator
from pathlib import Path

from rag.app import RagApp
from rag.ingest.sources import scans_for
from rag.settings import Settings
from tests.conftest import ReliabilityLog
from tests.fakes import HashEmbedder
from tests.local_site import local_site, sitemap

PAGE = b"<html><body><main><p>The good page says the kiln fires at 1200 degrees.</p></main></body>"


def _million_urls(base: str) -> Iterator[bytes]:
    yield b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    for n in range(1_000_000):
        yield f"<url><loc>{base}/page/{n}</loc></url>".encode()
    yield b"</urlset>"


def test_hostile_urls_fail_one_by_one_and_the_good_page_is_indexed(
    tmp_path: Path, reliability: ReliabilityLog
) -> None:
    with local_site() as (base, routes):
        port = int(base.rsplit(":", 1)[1])
        routes["/good"] = (200, "text/html", PAGE, {})
        routes["/loop.xml"] = (200, "application/xml", sitemap(base, ["/loop.xml", "/good"]), {})
        routes["/million.xml"] = (200, "application/xml", lambda: _million_urls(base), {})
        redirects = {
            "/to-loopback": f"http://127.0.0.1:{port + 1}/",
            "/to-metadata": "http://169.254.169.254/latest/meta-data/",
            "/to-file": "file:///etc/passwd",
        }
        for path, target in redirects.items():
            routes[path] = (302, "text/plain", b"", {"Location": target})
        expected = {
            f"{base}/million.xml": "over the 10485760-byte limit",
            f"{base}/to-loopback": "non-public address 127.0.0.1",
            f"{base}/to-metadata": "non-public address 169.254.169.254",
            f"{base}/to-file": "scheme 'file' is not http or https",
            "file:///etc/passwd": "the scheme 'file' is not taken",
            "http://169.254.169.254/latest/meta-data/": "non-public address 169.254.169.254",
        }
        settings = Settings(
            data_dir=tmp_path / "data", web_allowed_hosts=[base.removeprefix("http://")]
        )
        with RagApp(settings, embedder=HashEmbedder()) as app:
            started = time.monotonic()
            report = app.indexer.sync(
                scans_for([f"{base}/loop.xml", *expected], settings), "default"
            )
            elapsed = time.monotonic() - started

    failed = {f["source"]: f["error"] for f in report.failed}
    for url, reason in expected.items():
        assert reason in failed.get(url, ""), (url, failed.get(url))
    assert set(failed) == set(expected)
    assert report.added == [f"{base}/good"]  # listed by the looping sitemap, fetched once
    assert elapsed < 60
    reliability.add(
        "hostile URLs",
        inputs=len(expected) + 1,
        crashes=0,
        escapes=0,
        notes=f"one batch, {elapsed:.1f} s; the looping sitemap's page indexed once",
    )
