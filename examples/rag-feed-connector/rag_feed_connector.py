"""An RSS 2.0 / Atom feed as sources: `rag ingest feed+https://example.org/news.xml`.

Each entry becomes one HTML source whose id is the feed URI, '#', and the entry's id, and the
scan's scope is the feed URI with '#': an entry that drops out of the feed loses its chunks at
the next ingest. The feed is fetched through the context, so the web connector's address checks
and limits apply. Written only against the public plugin API (rag.plugins).
"""

import html
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote

from defusedxml import ElementTree

from rag.plugins import ConnectorContext, FetchError, RawSource, Scan, SourceFailure

_ATOM = "{http://www.w3.org/2005/Atom}"


class FeedConnector:
    schemes = ("feed+http", "feed+https")

    def scan(self, uri: str, context: ConnectorContext) -> Scan:
        try:
            fetched = context.fetch(uri.removeprefix("feed+"))
            root = ElementTree.fromstring(fetched.body)
        except FetchError as exc:
            return Scan(failures=[SourceFailure(uri, str(exc))])
        except Exception as exc:  # noqa: BLE001 - malformed or hostile XML is one failure
            return Scan(failures=[SourceFailure(uri, f"not a feed: {type(exc).__name__}")])
        sources = []
        for entry in _entries(root):
            page = _page(entry).encode()
            if len(page) > context.max_bytes:
                continue
            sources.append(
                RawSource(
                    source_id=f"{uri}#{quote(entry['id'], safe='')}",
                    file_type="html",
                    read=lambda page=page: page,
                    modified=entry["modified"],
                )
            )
        return Scan(sources=sources, scope=f"{uri}#")


def _entries(root) -> list[dict]:
    """Each entry's id, title, link, text and time, from RSS <item> or Atom <entry>."""
    found = []
    for item in root.iter("item"):
        link = _text(item, "link")
        found.append(
            {
                "id": _text(item, "guid") or link or _text(item, "title"),
                "title": _text(item, "title"),
                "link": link,
                "body": _text(item, "description"),
                "modified": _timestamp(_text(item, "pubDate"), rss=True),
            }
        )
    for entry in root.iter(f"{_ATOM}entry"):
        link = entry.find(f"{_ATOM}link")
        found.append(
            {
                "id": _text(entry, f"{_ATOM}id") or _text(entry, f"{_ATOM}title"),
                "title": _text(entry, f"{_ATOM}title"),
                "link": link.get("href", "") if link is not None else "",
                "body": _text(entry, f"{_ATOM}content") or _text(entry, f"{_ATOM}summary"),
                "modified": _timestamp(_text(entry, f"{_ATOM}updated"), rss=False),
            }
        )
    return [entry for entry in found if entry["id"]]


def _text(element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _timestamp(text: str, rss: bool) -> float | None:
    try:
        when = parsedate_to_datetime(text) if rss else datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return when.timestamp()


def _page(entry: dict) -> str:
    """The entry as a small HTML page around the entry's own HTML content."""
    title = html.escape(entry["title"])
    link = f'<p><a href="{html.escape(entry["link"])}">{html.escape(entry["link"])}</a></p>'
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"{entry['body']}{link if entry['link'] else ''}</article></body></html>"
    )
