"""Web pages and sitemaps, fetched with every address checked.

A URL is refused unless its scheme is http(s) and every address its host resolves to is public
(not loopback, private, link-local such as 169.254.169.254, multicast or reserved), the IPv4
address inside an IPv6 one (NAT64, 6to4, Teredo, IPv4-mapped) included. The one
exception is an exact `host:port` named in settings (the tests' local server). Redirects are
followed by hand so each hop is checked again; robots.txt is respected; every response is
bounded in size and time. Known limit: the address is checked before httpx connects, so a DNS
answer that changes in between (rebinding) is not caught.
"""

import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from defusedxml import ElementTree

from rag.connectors import RawSource, Scan, SourceFailure
from rag.plugins.kinds import ConnectorContext, Fetched, FetchError

USER_AGENT = "rag-ingest/0.1 (+local document indexer)"
MAX_REDIRECTS = 5
# Sitemaps read for one scan, in bytes, and how deep sitemap indexes may nest.
MAX_SITEMAP_BYTES = 32 * 1024 * 1024
MAX_SITEMAP_DEPTH = 2
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_CONTENT_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    "text/markdown": "md",
    "text/csv": "csv",
    "application/pdf": "pdf",
}


class URLRefusedError(Exception):
    """A URL that must not be fetched, with the reason."""


@dataclass(frozen=True)
class WebLimits:
    allowed_hosts: frozenset[str] = frozenset()  # exact "host:port" allowed even if not public
    max_pages: int = 100
    max_bytes: int = 10 * 1024 * 1024
    timeout_s: float = 20.0


def check_url(url: str, limits: WebLimits) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise URLRefusedError(f"scheme {parts.scheme or 'none'!r} is not http or https")
    if not parts.hostname:
        raise URLRefusedError("URL has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # "http://host:99999/": one refused URL, not a failed job
        raise URLRefusedError(f"port of {parts.netloc[:80]!r} is out of range 0-65535") from None
    if f"{parts.hostname}:{port}" in limits.allowed_hosts:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port)}
    except socket.gaierror as exc:
        raise URLRefusedError(f"host {parts.hostname} does not resolve ({exc.strerror})") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        carried = embedded_ipv4(ip)
        # Python counts much of the reserved ::/8 as global; only its IPv4-carrying forms
        # (mapped, NAT64) lead somewhere known, and those are checked as that IPv4 address.
        reserved = ip.version == 6 and ip.is_reserved and not carried
        for checked in (ip, *carried):
            if not checked.is_global or checked.is_multicast or reserved:
                raise URLRefusedError(f"{parts.hostname} resolves to non-public address {ip}")


# IPv6 prefixes whose last 32 bits are an IPv4 address a gateway connects to (RFC 6052, 8215).
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def embedded_ipv4(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries, which a host or gateway may connect to:
    IPv4-mapped and -compatible, NAT64, 6to4 and Teredo (server and client)."""
    if ip.version == 4:
        return []
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    found = [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if any(ip in net for net in _NAT64) or int(ip) >> 32 == 0:  # NAT64, or ::a.b.c.d
        found.append(low32)
    return found


class WebFetcher:
    def __init__(self, limits: WebLimits) -> None:
        self.limits = limits
        self._http = httpx.Client(
            follow_redirects=False, timeout=limits.timeout_s, headers={"User-Agent": USER_AGENT}
        )
        self._robots: dict[str, RobotFileParser] = {}

    def close(self) -> None:
        self._http.close()

    def fetch(self, url: str) -> tuple[str, str, bytes]:
        """(final URL, content type, body); raises URLRefusedError or httpx.HTTPError."""
        for _ in range(MAX_REDIRECTS + 1):
            check_url(url, self.limits)
            with self._http.stream("GET", url) as response:
                if response.is_redirect:
                    url = urljoin(url, response.headers["location"])
                    continue
                response.raise_for_status()
                body = bytearray()
                for block in response.iter_bytes():
                    body += block
                    if len(body) > self.limits.max_bytes:
                        raise URLRefusedError(
                            f"response is over the {self.limits.max_bytes}-byte limit"
                        )
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return url, kind, bytes(body)
        raise URLRefusedError(f"more than {MAX_REDIRECTS} redirects")

    def allowed_by_robots(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            parser = RobotFileParser()
            try:
                _, _, body = self.fetch(f"{origin}/robots.txt")
                parser.parse(body.decode("utf-8", "replace").splitlines())
            except (URLRefusedError, httpx.HTTPError):
                parser.parse([])  # no robots.txt: everything is allowed
            self._robots[origin] = parser
        return self._robots[origin].can_fetch(USER_AGENT, url)


class WebConnector:
    """http(s) URLs: a page, or the pages a sitemap lists."""

    schemes = ("http", "https")

    def scan(self, uri: str, context: ConnectorContext) -> Scan:
        return scan_url(uri, context.web_limits)


def fetch_checked(url: str, limits: WebLimits) -> Fetched:
    """One response, every address and redirect checked, robots.txt respected."""
    fetcher = WebFetcher(limits)
    try:
        if not fetcher.allowed_by_robots(url):
            raise FetchError(f"{url}: disallowed by robots.txt")
        return Fetched(*fetcher.fetch(url))
    except URLRefusedError as exc:
        raise FetchError(f"{url}: refused: {exc}") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: fetch failed: {exc}") from None
    finally:
        fetcher.close()


def scan_url(url: str, limits: WebLimits) -> Scan:
    """One page, or every page a sitemap (nested ones too) lists on the sitemap's own host."""
    fetcher = WebFetcher(limits)
    scan = Scan()
    try:
        for page_url, outcome in _pages(fetcher, url, set()):
            if isinstance(outcome, str):
                scan.failures.append(SourceFailure(page_url, outcome))
            else:
                scan.sources.append(outcome)
    finally:
        fetcher.close()
    return scan


def _pages(
    fetcher: WebFetcher, url: str, visited: set[str]
) -> Iterator[tuple[str, RawSource | str]]:
    if url in visited:
        return  # a sitemap listing itself, or two sitemaps listing each other
    visited.add(url)
    try:
        if not fetcher.allowed_by_robots(url):
            yield url, "disallowed by robots.txt"
            return
        final_url, kind, body = fetcher.fetch(url)
    except (URLRefusedError, httpx.HTTPError) as exc:
        yield url, f"refused: {exc}" if isinstance(exc, URLRefusedError) else f"fetch failed: {exc}"
        return
    if _is_sitemap(kind, body):
        yield from _sitemap_pages(fetcher, url, body, visited)
        return
    file_type = _CONTENT_TYPES.get(kind)
    if file_type is None:
        yield url, f"unsupported content type {kind or 'none'!r}"
        return
    yield url, RawSource(url, file_type, read=lambda: body)


def _sitemap_pages(
    fetcher: WebFetcher, sitemap_url: str, body: bytes, visited: set[str]
) -> Iterator[tuple[str, RawSource | str]]:
    """The pages a sitemap lists, nested sitemaps read one at a time as they come: at most
    MAX_SITEMAP_DEPTH indexes deep and MAX_SITEMAP_BYTES of sitemaps in all (a sitemap index
    of 40 nested 10 MB sitemaps added 750 MB when all were fetched before any was read)."""
    host = urlsplit(sitemap_url).netloc
    pending: list[tuple[int, str, bytes | None]] = [(0, sitemap_url, body)]
    pages, read = 0, 0
    while pending:
        depth, url, text = pending.pop()
        if text is None:
            try:
                text = fetcher.fetch(url)[2]
            except (URLRefusedError, httpx.HTTPError) as exc:
                yield url, f"sitemap fetch failed: {exc}"
                continue
        read += len(text)
        if read > MAX_SITEMAP_BYTES:
            yield url, f"sitemaps over the {MAX_SITEMAP_BYTES}-byte limit of one scan: skipped"
            return
        try:
            root = ElementTree.fromstring(text)
        except Exception as exc:  # noqa: BLE001 - any malformed or hostile XML is one failure
            yield url, f"sitemap cannot be parsed: {type(exc).__name__}"
            continue
        del text
        nested = root.tag == f"{_SITEMAP_NS}sitemapindex"
        if nested and depth >= MAX_SITEMAP_DEPTH:
            yield url, f"sitemap index nested over {MAX_SITEMAP_DEPTH} deep: skipped"
            continue
        children = []
        for loc in root.iter(f"{_SITEMAP_NS}loc"):
            target = (loc.text or "").strip()
            if urlsplit(target).netloc != host:
                yield target, "not on the sitemap's host"
            elif nested and target not in visited:
                visited.add(target)
                children.append((depth + 1, target, None))
            elif not nested:
                if pages >= fetcher.limits.max_pages:
                    yield sitemap_url, f"page limit of {fetcher.limits.max_pages} reached"
                    return
                pages += 1
                yield from _pages(fetcher, target, visited)
        pending.extend(reversed(children))  # read in the order listed


def _is_sitemap(kind: str, body: bytes) -> bool:
    head = body[:512].lstrip()
    return kind in ("application/xml", "text/xml") and (
        b"<urlset" in head or b"<sitemapindex" in head
    )
