"""Markdown for the chat, built so that nothing from a document or the model can act.

Streamlit renders Markdown without raw HTML (`unsafe_allow_html` is never on), but Markdown
itself can still load an image (`![](https://...)`), make a `javascript:` link, or run Streamlit's
own directives (`:red[...]`, `$math$`). So document text is escaped to show exactly as written,
and model text keeps its emphasis and lists while links, images and addresses are made inert.
"""

import re
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import Any

from rag.tools import call_summary

# Every ASCII punctuation character that Markdown or Streamlit gives a meaning to.
_ACTIVE = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")
# What model text may keep: emphasis (* _), lists (- + digits .), headings (#), tables (|), code.
_ACTIVE_IN_MODEL_TEXT = re.compile(r"([\\\[\]<>$&:~])")
# Web addresses, and e-mail addresses (GFM would make those mailto: links).
_ADDRESS = re.compile(
    r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*:/{1,3}|\bwww\.)[^\s`]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
CONTEXT_CHARS = 400
_PAGE_UNITS = {".pptx": "slide", ".ppt": "slide", ".xlsx": "sheet", ".xls": "sheet"}
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_TABLE_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")
_UNDERLINE = re.compile(r"(=|-){3,}")


def literal(text: str) -> str:
    """Text shown as written: no formatting, HTML or directives, and addresses as code."""
    return _escaped(text, _ACTIVE)


def model_markdown(text: str) -> str:
    """Model output as Markdown, with every address shown as code, never as a link or image."""
    return _escaped(text, _ACTIVE_IN_MODEL_TEXT)


def _escaped(text: str, active: re.Pattern[str]) -> str:
    # Backslash escapes do not stop GFM from turning a bare address into a link; code spans do.
    parts: list[str] = []
    position = 0
    for match in _ADDRESS.finditer(text):
        parts.append(active.sub(r"\\\1", text[position : match.start()]))
        parts.append(f"`{match.group()}`")
        position = match.end()
    parts.append(active.sub(r"\\\1", text[position:]))
    return "".join(parts)


def inert_stream(deltas: Iterable[str]) -> Iterator[str]:
    """`model_markdown` over a stream of text pieces.

    Pieces are held back to the last whitespace, so an address split across pieces is still
    recognised whole before any of it is shown.
    """
    pending = ""
    for delta in deltas:
        pending += delta
        cut = max(pending.rfind(" "), pending.rfind("\n"))
        if cut >= 0:
            yield model_markdown(pending[: cut + 1])
            pending = pending[cut + 1 :]
    if pending:
        yield model_markdown(pending)


def file_name(source: str) -> str:
    return source if "://" in source else PurePosixPath(source).name


def location(source: dict[str, Any]) -> str:
    """Where in its file a source stands: its `location` label ("sheet Prices, row 4") when it
    has one, else its page, named as the format names its pages (slides, sheets)."""
    if source.get("location"):
        return str(source["location"])
    if not source.get("page"):
        return ""
    unit = _PAGE_UNITS.get(PurePosixPath(source["source"]).suffix.lower(), "page")
    return f"{unit} {source['page']}"


def model_summary(listing: dict[str, Any]) -> str:
    """The generator as `GET /v1/models` describes it: the loaded one (else the configured
    one) with its quantization, served context and licence, and the model a restart switches
    to. Plain text: pass it through `literal` before Markdown."""
    card = listing.get("loaded") or listing["configured"]
    summary = _model_card_line(card)
    if listing.get("restart_needed"):
        summary += f" · switches to {_model_name(listing['configured'])} at the next start"
    return summary


def _model_card_line(card: dict[str, Any]) -> str:
    name = _model_name(card)
    if "remote" in card:
        return f"{name} (remote)"
    if "error" in card:
        return f"{name} ({card['error']})"
    parts = [name, card.get("quantization")]
    if n_ctx := card.get("memory", {}).get("n_ctx"):
        parts.append(f"{n_ctx:,}-token context")
    if card.get("licence"):
        parts.append(f"{card['licence']} ({card.get('licence_class', 'unknown')})")
    return " · ".join(str(part) for part in parts if part)


def _model_name(card: dict[str, Any]) -> str:
    return PurePosixPath(card["path"]).stem if card.get("path") else str(card.get("name", "?"))


def citation_label(citation: dict[str, Any]) -> str:
    parts = [f"[{citation['id']}] {file_name(citation['source'])}", location(citation)]
    if citation.get("ocr"):
        parts.append(f"scanned, OCR {citation['ocr_confidence']:.0%}")
    return literal(" · ".join(part for part in parts if part))


# A step's own number ("1. Apply."), which under a bullet would start a nested numbered list.
_NUMBERED = re.compile(r"^(\d{1,2})\.")


def answer_markdown(result: dict[str, Any]) -> str:
    """The answer sentence by sentence, each followed by its citation chips, or marked
    unsupported when no source backs it."""
    sentences = result.get("sentences") or []
    if not sentences:
        return model_markdown(result.get("answer", ""))
    shown = []
    for sentence in sentences:
        chips = " ".join(f":blue-badge[{literal(str(c))}]" for c in sentence["citations"])
        if not sentence["supported"]:
            chips = ":orange-badge[not found in the sources]"
        shown.append(f"{_marked(sentence)} {chips}".strip())
    listed = result.get("answer", "").count("\n- ")
    if listed and len(shown) > listed:
        # a quoted list (its lead line, then an item a line), drawn as one
        lead = len(shown) - listed
        items = (_NUMBERED.sub(r"\1\\.", item) for item in shown[lead:])
        return " ".join(shown[:lead]) + "".join(f"\n- {item}" for item in items)
    return " ".join(shown)


def _marked(sentence: dict[str, Any]) -> str:
    """The sentence as model Markdown, its answer span (where the asked fact stands) in bold."""
    text, span = sentence["text"], sentence.get("answer_span")
    if not span or not 0 <= span[0] < span[1] <= len(text):
        return model_markdown(text)
    start, end = span
    return (
        f"{model_markdown(text[:start])}**{model_markdown(text[start:end])}**"
        f"{model_markdown(text[end:])}"
    )


def quote_in_context(citation: dict[str, Any]) -> str:
    """The quoted span in bold inside the text around it."""
    context = citation.get("context") or citation["text"]
    start = citation["start"] - citation.get("context_start", citation["start"])
    end = start + len(citation["text"])
    if context[start:end] != citation["text"]:
        start, end, context = 0, len(citation["text"]), citation["text"]
    first = _opening(context, max(0, start - CONTEXT_CHARS), start)
    last = _closing(context, end, min(len(context), end + CONTEXT_CHARS))
    before = ("…" if first else "") + plain_markdown(context[first:start])
    after = plain_markdown(context[end:last]) + _more(context, last)
    quoted = " ".join(citation["text"].split())
    return f"{before}**{literal(_row_text(quoted) if ' | ' in quoted else quoted)}**{after}"


def excerpt(text: str, limit: int = 2 * CONTEXT_CHARS) -> str:
    """The start of `text` up to a sentence or word boundary, shown as `plain_markdown`."""
    end = _closing(text, 0, min(len(text), limit))
    return plain_markdown(text[:end]) + _more(text, end)


def _more(text: str, end: int) -> str:
    """An ellipsis where the excerpt stops before the text does (apart after a sentence)."""
    if end >= len(text):
        return ""
    return " …" if text[end - 1 : end] in (".", "!", "?") else "…"


def plain_markdown(text: str) -> str:
    """Document text as written, less its own Markdown: headings lose their '#', table rows
    their pipes and separator lines."""
    shown = []
    for line in text.split("\n"):
        stripped = line.strip()
        if _TABLE_RULE.fullmatch(stripped) or _UNDERLINE.fullmatch(stripped):
            continue
        heading = _HEADING.match(line)
        if heading:
            shown.append(f"\n\n{literal(heading.group(1))}\n\n")
        elif stripped.startswith("|"):
            shown.append(f"{literal(_row_text(stripped))}  \n")  # a row per line
        else:
            shown.append(f"{literal(line)}\n")
    return "".join(shown)[:-1]  # the last line had no line end


def _row_text(row: str) -> str:
    """A Markdown table row's cells, separated by a middle dot."""
    return " · ".join(cell.strip() for cell in row.strip().strip("|").split("|") if cell.strip())


def _opening(text: str, first: int, start: int) -> int:
    """Where an excerpt ending at `start` should begin, at or after `first`: the start of a
    sentence when one begins in between, else of a word."""
    if first == 0:
        return 0
    sentence = _SENTENCE_END.search(text, first, start)
    if sentence:
        opening = sentence.end()
        while opening < start and text[opening].isspace():
            opening += 1
        return opening
    space = text.find(" ", first, start)
    return space + 1 if space >= 0 else first


def _closing(text: str, end: int, last: int) -> int:
    """Where an excerpt starting at `end` should stop, at or before `last`: after the last
    sentence that ends in between, else at a word's end."""
    if last >= len(text):
        return len(text)
    ends = [m.start() + 1 for m in _SENTENCE_END.finditer(text, end, last)]
    if ends:
        return ends[-1]
    space = text.rfind(" ", end, last)
    return space if space > end else last


def table_record(citation: dict[str, Any]) -> dict[str, str] | None:
    """The table row a citation quotes, as {column: value}: its `record` when the index gave
    one, else read from a Markdown table around the quote (its header row names the columns)."""
    if citation.get("record"):
        return {str(k): str(v) for k, v in citation["record"].items()}
    context = citation.get("context") or ""
    if "|" not in citation["text"] or citation["text"] not in context:
        return None
    lines = context[: context.index(citation["text"])].split("\n")
    row = lines.pop() + context[context.index(citation["text"]) :].split("\n", 1)[0]
    table = [row]
    while lines and lines[-1].strip().startswith("|"):
        table.insert(0, lines.pop())
    header = [line for line in table if not _TABLE_RULE.fullmatch(line.strip())][0]
    if header == row:
        return None
    columns, cells = _cells(header), _cells(row)
    return dict(zip(columns, cells, strict=True)) if len(columns) == len(cells) else None


def computed_rows(result: dict[str, Any]) -> list[dict[str, str]] | None:
    """The table rows a computed answer (one the table engine answered: a `table_query` call)
    cites, one {column: value} each after its citation's id, for one small table under the
    answer; None for any other answer."""
    if not any(call.get("name") == "table_query" for call in result.get("tool_calls", [])):
        return None
    rows = [
        {"": str(citation["id"]), **record}
        for citation in result.get("citations", [])
        if (record := table_record(citation))
    ]
    return rows or None


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def tool_trace(call: dict[str, Any]) -> str:
    """One tool call in one line (rag/tools `call_summary`: its arguments, its result, the
    passages it found by document); a plugin's tool names its plugin."""
    summary = call.get("summary") or call_summary(
        call["name"], call.get("arguments", {}), str(call["result"])
    )
    plugin = f" · plugin {call['plugin']}" if call.get("plugin") else ""
    return literal(f"{summary}{plugin}")
