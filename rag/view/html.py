"""Text views: a page's indexed text as escaped HTML with the span in a <mark>, and table rows
as an HTML table with the cited rows marked. No script, no link, no image: every character
from a document is escaped, and the Content-Security-Policy allows only the one stylesheet.

The page opens scrolled to a few lines above the mark by CSS alone: `scroll-initial-target`
(Chromium 133+) on an anchor there, `#cited`, which is also the fragment a view URL ends with
for other browsers. The anchor stands a little above the mark so that what leads to the span is
in sight too (Chromium ignores `scroll-margin` for the initial target).
"""

import base64
import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_STYLE = (
    "body{font:15px/1.55 system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}"
    "header{background:#f6f8fa;border-bottom:1px solid #d0d7de;"
    "padding:.5em 1em;font-weight:600}"
    "main{padding:1em;white-space:pre-wrap;overflow-wrap:anywhere}"
    "mark,tr.cited td{background:#ffe033}"
    "#cited{scroll-initial-target:nearest}i#cited{display:inline-block}"
    ".gap{color:#656d76;font-style:italic}"
    "table{border-collapse:collapse;white-space:normal}"
    "th,td{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}"
    "th{background:#f6f8fa}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
# The HTTP header and the page's own <meta> (a page shown in an iframe's srcdoc keeps it).
CONTENT_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; form-action 'none'"
)
HEADER_POLICY = f"sandbox; {CONTENT_POLICY}; frame-ancestors 'self'"
# What stays in sight above the mark when the page opens.
_CONTEXT_LINES = 3
_CONTEXT_CHARS = 300
_CONTEXT_ROWS = 3


@dataclass(frozen=True)
class Row:
    """A table row of the page: `text[start:end]` and its cells (pages.TableRecord)."""

    start: int
    end: int
    cells: dict[str, str]

    @classmethod
    def of(cls, record: dict[str, Any]) -> "Row":
        cells = {str(k): str(v) for k, v in record["record"].items()}
        return cls(int(record["start"]), int(record["end"]), cells)


def text_html(title: str, text: str, start: int, end: int, max_chars: int) -> str:
    """The text with `[start, end)` marked; past `max_chars`, the part around the mark."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    end = max(start, min(end, start + max_chars))
    first = max(0, min(start - (max_chars - (end - start)) // 2, len(text) - max_chars))
    last = min(len(text), first + max_chars)
    body = [_gap(first, "before")] if first else []
    anchor = _anchor(text, first, start)
    body.append(html.escape(text[first:anchor]) + '<i id="cited"></i>')
    body.append(html.escape(text[anchor:start]))
    if end > start:
        body.append(f"<mark>{html.escape(text[start:end])}</mark>")
    body.append(html.escape(text[end:last]))
    if last < len(text):
        body.append(_gap(len(text) - last, "after"))
    return _page(title, "".join(body))


def table_html(title: str, rows: Sequence[Row], start: int, end: int, max_rows: int) -> str:
    """The rows as a table, those that overlap `[start, end)` marked; past `max_rows`, the
    rows around the first marked one."""
    cited = [n for n, row in enumerate(rows) if row.start < end and start < row.end]
    around = cited[0] if cited else 0
    first = max(0, min(around - max_rows // 2, len(rows) - max_rows))
    shown = rows[first : first + max_rows]
    columns = list(dict.fromkeys(name for row in shown for name in row.cells))
    head = "".join(f"<th>{html.escape(name)}</th>" for name in columns)
    lines = []
    for n, row in enumerate(shown, start=first):
        mark = ' class="cited"' if n in cited else ""
        mark += ' id="cited"' if n == max(first, around - _CONTEXT_ROWS) else ""
        cells = "".join(f"<td>{html.escape(row.cells.get(name, ''))}</td>" for name in columns)
        lines.append(f"<tr{mark}>{cells}</tr>")
    body = [_gap(first, "rows before")] if first else []
    body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>")
    if first + len(shown) < len(rows):
        body.append(_gap(len(rows) - first - len(shown), "rows after"))
    return _page(title, "".join(body))


def _anchor(text: str, first: int, start: int) -> int:
    """Where the scroll anchor goes: the start of the line `_CONTEXT_LINES` above the span's,
    or, in a long paragraph, after a space about as many lines of characters before it."""
    line = start
    for _ in range(_CONTEXT_LINES + 1):
        line = text.rfind("\n", first, line)
        if line < 0:
            break
    by_lines = line + 1 if line >= 0 else first
    space = text.find(" ", max(first, start - _CONTEXT_CHARS), start)
    by_chars = space + 1 if space >= 0 else start
    return max(by_lines, min(by_chars, start), first)


def _gap(count: int, where: str) -> str:
    unit = "" if where.startswith("rows") else " characters"
    return f'<p class="gap">… {count:,}{unit} {where} not shown</p>'


def _page(title: str, body: str) -> str:
    title = html.escape(title)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_POLICY}">'
        f'<meta name="referrer" content="no-referrer"><title>{title}</title>'
        f"<style>{_STYLE}</style></head><body><header>{title}</header>"
        f"<main>{body}</main></body></html>"
    )
