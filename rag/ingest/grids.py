"""Tables as readers find them: a grid of cells whose header may sit below a title, and
Markdown pipe tables (also what trafilatura writes for an HTML table) inside a page's text."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.ingest.pages import PageTable, rectangular

_PROBE_ROWS = 10
_PIPE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")


def header_index(rows: Sequence[Sequence[str]]) -> int:
    """Which of a grid's first rows is its header: blank rows and title rows above it (a lone
    filled cell, "Sales 2025", over rows with several) are skipped."""
    filled = [sum(1 for cell in row if cell.strip()) for row in rows[:_PROBE_ROWS]]
    widest = max(filled, default=0)
    for index, count in enumerate(filled):
        if count and (count >= 2 or widest < 2):
            return index
    return 0


@dataclass(frozen=True)
class TextTable:
    """A pipe table in a page's text: its header and each row with its line's span."""

    header: tuple[str, ...]
    rows: list[tuple[int, list[str], tuple[int, int]]]  # (row number, cells, span in the text)

    def page_table(self, page: int | None = None) -> PageTable:
        numbered = [(number, cells) for number, cells, _ in self.rows]
        spans = {number: span for number, _, span in self.rows}
        return PageTable(self.header, lambda: iter(numbered), len(numbered), spans, None, page)


def pipe_tables(text: str) -> list[TextTable]:
    """Markdown pipe tables (a header line, a `|---|` rule, then rows) found in `text`; the
    text itself is left as written, each row's span pointing at its line."""
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    tables = []
    index = 0
    while index + 1 < len(lines):
        header = _pipe_cells(lines[index][1])
        if header is None or not _PIPE_RULE.match(lines[index + 1][1]):
            index += 1
            continue
        rows = []
        index += 2
        while index < len(lines):
            start, line = lines[index]
            cells = _pipe_cells(line)
            if cells is None:
                break
            if any(cells):
                stripped = line.rstrip()
                rows.append((len(rows) + 2, cells, (start, start + len(stripped))))
            index += 1
        if rows:
            names, width = rectangular(header, [cells for _, cells, _ in rows])
            padded = [(n, [*cells, *[""] * (width - len(cells))], s) for n, cells, s in rows]
            tables.append(TextTable(names, padded))
    return tables


def _pipe_cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if not stripped.startswith("|") or _PIPE_RULE.match(stripped):
        return None
    body = stripped[1:-1] if stripped.endswith("|") and len(stripped) > 1 else stripped[1:]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", body)]
