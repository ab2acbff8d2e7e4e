"""The web connector against a local HTTP server; nothing here touches the internet."""

from collections.abc import Iterator

import pytest

from rag.connectors.web import URLRefusedError, WebLimits, check_url, scan_url
from tests.local_site import Routes, local_site, sitemap

PAGE = b"<html><body><nav>Menu</nav><main><h1>Heat pumps</h1><p>%s</p></main></body></html>"


@pytest.fixture
def site() -> Iterator[tuple[str, Routes]]:
    with local_site() as served:
        yield served


def _limits(base: str, **kwargs) -> WebLimits:
    return WebLimits(allowed_hosts=frozenset({base.removeprefix("http://")}), **kwargs)


def test_a_page_is_fetched_as_html(site) -> None:
    base, routes = site
    routes["/a"] = (200, "text/html; charset=utf-8", PAGE % b"They move heat.", {})

    scan = scan_url(f"{base}/a", _limits(base))

    assert scan.failures == []
    (source,) = scan.sources
    assert (source.source_id, source.file_type) == (f"{base}/a", "html")
    assert b"They move heat." in source.read()


def test_nested_sitemaps_with_a_page_limit_and_same_host_rule(site) -> None:
    base, routes = site
    routes["/sitemap.xml"] = (
        200,
        "application/xml",
        sitemap(base, ["/s1.xml", "/s1.xml"], True),
        {},
    )
    routes["/s1.xml"] = (
        200,
        "application/xml",
        sitemap(base, ["/p1", "/p2", "/p3"]).replace(
            b"</urlset>", b"<url><loc>http://elsewhere.example/x</loc></url></urlset>"
        ),
        {},
    )
    for n in (1, 2, 3):
        routes[f"/p{n}"] = (200, "text/html", PAGE % f"page {n}".encode(), {})

    scan = scan_url(f"{base}/sitemap.xml", _limits(base, max_pages=2))

    assert [s.source_id for s in scan.sources] == [f"{base}/p1", f"{base}/p2"]
    reasons = {f.error for f in scan.failures}
    assert "page limit of 2 reached" in reasons


def test_self_referencing_sitemap_terminates(site) -> None:
    base, routes = site
    routes["/loop.xml"] = (200, "application/xml", sitemap(base, ["/loop.xml", "/p"]), {})
    routes["/p"] = (200, "text/html", PAGE % b"x", {})
    scan = scan_url(f"{base}/loop.xml", _limits(base))
    assert [s.source_id for s in scan.sources] == [f"{base}/p"]


def test_robots_txt_is_respected(site) -> None:
    base, routes = site
    routes["/robots.txt"] = (200, "text/plain", b"User-agent: *\nDisallow: /private\n", {})
    routes["/private/a"] = (200, "text/html", PAGE % b"secret", {})
    scan = scan_url(f"{base}/private/a", _limits(base))
    assert scan.sources == [] and scan.failures[0].error == "disallowed by robots.txt"


@pytest.mark.parametrize(
    "target",
    ["http://127.0.0.2:9/", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"],
)
def test_redirects_to_other_addresses_are_refused(site, target: str) -> None:
    base, routes = site
    routes["/jump"] = (302, "text/plain", b"", {"Location": target})
    scan = scan_url(f"{base}/jump", _limits(base))
    assert scan.sources == []
    assert scan.failures[0].error.startswith("refused:")


def test_oversized_response_is_refused(site) -> None:
    base, routes = site
    routes["/big"] = (200, "text/plain", b"x" * 5000, {})
    scan = scan_url(f"{base}/big", _limits(base, max_bytes=1000))
    assert "over the 1000-byte limit" in scan.failures[0].error


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.com/x", "scheme"),
        ("http://127.0.0.1:8000/", "non-public"),
        ("http://localhost/", "non-public"),
        ("http://10.1.2.3/", "non-public"),
        ("http://169.254.169.254/", "non-public"),
        ("http://[::1]/", "non-public"),
    ],
)
def test_non_public_addresses_and_schemes_are_refused(url: str, reason: str) -> None:
    with pytest.raises(URLRefusedError, match=reason):
        check_url(url, WebLimits())


def test_the_allowed_host_port_is_exact(site) -> None:
    base, _ = site
    port = int(base.rsplit(":", 1)[1])
    check_url(f"{base}/ok", _limits(base))
    with pytest.raises(URLRefusedError):
        check_url(f"http://127.0.0.1:{port + 1}/", _limits(base))


def test_cli_ingests_a_page_and_reports_a_refused_url(site, monkeypatch, cli_on_fakes) -> None:
    import json

    from typer.testing import CliRunner

    from rag import cli

    base, routes = site
    routes["/a"] = (200, "text/html", PAGE % b"Heat pumps move heat from outside air.", {})
    monkeypatch.setenv("RAG_WEB_ALLOWED_HOSTS", json.dumps([base.removeprefix("http://")]))

    result = CliRunner().invoke(
        cli.cli, ["ingest", f"{base}/a", "http://169.254.169.254/", "--json"]
    )

    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["added"] == [f"{base}/a"]
    assert report["failed"][0]["source"] == "http://169.254.169.254/"
    assert "non-public address" in report["failed"][0]["error"]


def test_a_port_out_of_range_is_one_refused_url_not_a_failed_job(site) -> None:
    # Issue 39: "http://host:99999/" raised ValueError, which failed the whole ingest job.
    base, routes = site
    host = base.removeprefix("http://").rsplit(":", 1)[0]
    routes["/away"] = (302, "text/plain", b"", {"Location": f"http://{host}:99999/"})
    with pytest.raises(URLRefusedError, match="port"):
        check_url(f"http://{host}:99999/", WebLimits())

    direct = scan_url(f"http://{host}:99999/page", _limits(base))
    redirected = scan_url(f"{base}/away", _limits(base))

    assert direct.sources == [] and "port" in direct.failures[0].error
    assert redirected.sources == [] and "port" in redirected.failures[0].error
