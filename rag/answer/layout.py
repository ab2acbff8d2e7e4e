"""Where a source sentence stands in its passage: a heading, a list item or the line announcing
a list, a table row under its header, the paragraph it belongs to. Read from the chunk's text
around the sentence's span, never from the reader's markup alone."""

import re

from rag.answer.spans import SourceSpan
from rag.answer.text import record_cells
from rag.retrieve import RetrievedChunk

_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")
BLANK_LINE = re.compile(r"\n[ \t]*\n")  # a paragraph's end
# A section number and a few words with no closing punctuation (a numbered step says more).
_SECTION_TITLE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+(?:\S+\s+){0,5}[^\s.!?:;,]+$")
# A line in capitals: letters, none of them small, with figures and codes between.
_IN_CAPITALS = re.compile(r"[^a-z]*[A-Z]{2}[^a-z]*")
# A bullet, "3." or "3)" ("Step 3."), and the lettered and roman items of a legal list: "(a)",
# "b)", "(iv)".
_LIST_MARKER = re.compile(
    r"^\s*([-*+•]|(?i:step |stage )?\d{1,2}[.):]|\(?[a-z]\)|\((?:[ivx]{1,4})\))\s"
)


def _line_of(span: SourceSpan) -> str:
    text, offset = span.chunk.text, span.start - span.chunk.start
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]


def is_heading(span: SourceSpan) -> bool:
    line = _line_of(span).strip()
    if line.startswith("#"):
        return True
    if span.start == 0 and len(line.split()) <= 8 and line[-1:] not in ".!?":
        return True  # a document's first line: its title
    if _SECTION_TITLE.match(line):
        return True  # "4. What goes in each bin", "7.3 Committees": a numbered section's title
    if _IN_CAPITALS.fullmatch(line) and not is_table_row(span):
        return True  # "PARKS AND OPEN SPACES BYLAW 2019", "FC/26/07  TOWN CENTRE PARKING"
    # A title line: short, no closing punctuation, no figures, mostly capitalised words.
    tokens = line.split()
    capitalised = sum(t[:1].isupper() for t in tokens)
    return (
        0 < len(tokens) <= 8
        and line[-1:] not in ".!?:;"
        and not any(c.isdigit() for c in line)
        and capitalised >= 0.6 * len(tokens)
        and not is_table_row(span)
    )


def is_lead_in(span: SourceSpan) -> bool:
    """A line announcing what follows it: "The following are prohibited streets:"."""
    return span.text.rstrip().endswith(":")


def marker_only(span: SourceSpan) -> bool:
    """A list marker the sentence splitter cut off its item ("Step 1." before "Complete
    the form.")."""
    return not _LIST_MARKER.sub("", span.text + " ").strip()


def is_list_item(span: SourceSpan) -> bool:
    """A bulleted or numbered line, or a table's data row."""
    if is_table_row(span):
        return not is_header_row(span)
    return is_bullet(span)


def is_bullet(span: SourceSpan) -> bool:
    """A bulleted or numbered line (the readers mark Word's and a slide's list lines)."""
    return bool(_LIST_MARKER.match(_line_of(span)))


def is_header_row(span: SourceSpan) -> bool:
    return is_table_row(span) and table_header(span) is None


def is_table_row(span: SourceSpan) -> bool:
    return _line_of(span).strip().startswith("|")


def cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def table_header(span: SourceSpan) -> list[str] | None:
    """The header cells of the table `span` is a row of, when the chunk holds them."""
    text = span.chunk.text[: span.start - span.chunk.start]
    lines = text.split("\n")
    for n in range(len(lines) - 1, 0, -1):
        if _TABLE_SEPARATOR.match(lines[n]):
            return cells(lines[n - 1])
        if not lines[n].strip().startswith("|") and lines[n].strip():
            return None
    return None


def same_paragraph(before: SourceSpan, span: SourceSpan) -> bool:
    """Whether `span` follows `before` in its chunk with no blank line between them, neither
    a table row (rows stand apart)."""
    if is_table_row(before) or is_table_row(span) or record_cells(span.text):
        return False
    chunk = span.chunk
    end = before.start + len(before.text)
    return not BLANK_LINE.search(chunk.text[end - chunk.start : span.start - chunk.start])


def ends_in_list(chunk: RetrievedChunk) -> bool:
    """Whether `chunk`'s last line is a list item or the line announcing a list ("The
    following are prohibited streets:"): the chunk boundary may cut its list."""
    lines = [line for line in chunk.text.splitlines() if line.strip()]
    if not lines:
        return False
    # "3." cut off before its text is an item, too
    return lines[-1].rstrip().endswith(":") or bool(_LIST_MARKER.match(lines[-1] + " "))
