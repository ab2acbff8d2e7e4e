"""Chunking: pages → chunks with exact character spans, using llama-index's SentenceSplitter.

Every chunk's text is `page_text[start:end]`, which is what citations quote. Chunk ids are
deterministic (uuid5 of source id, content hash, chunk index), so re-ingesting the same content
produces the same ids and writes nothing new.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import Document

from rag.ingest.ids import chunk_id, document_id

__all__ = ["Chunk", "Chunker", "chunk_id", "document_id"]

# SentenceSplitter's last resort before words splits at every comma and full stop, which cut
# "1,290" into "1," and "290" across two chunks; a separator between digits is not a boundary.
_CLAUSE = r"(?:[^,.;。？！]|(?<=\d)[,.](?=\d))+[,.;。？！]?"


@dataclass(frozen=True)
class Chunk:
    id: str
    text: str
    page: int | None
    start: int
    end: int
    index: int
    headings: str | None = None  # Markdown heading path at the chunk's start: "Manual > Warranty"
    ocr_confidence: float | None = None  # the page's, when its text came from OCR
    records: tuple[dict[str, object], ...] = ()  # table rows within the chunk (pages.TableRecord)

    def citation_payload(self) -> dict[str, object]:
        """Payload fields only some chunks have: OCR (DESIGN.md `ocr`, `ocr_confidence`) and
        table rows (page offsets and cells, for a citation's `record`)."""
        payload: dict[str, object] = {}
        if self.ocr_confidence is not None:
            payload |= {"ocr": True, "ocr_confidence": self.ocr_confidence}
        if self.records:
            payload["records"] = list(self.records)
        return payload


class Chunker:
    def __init__(
        self, chunk_size: int, chunk_overlap: int, tokenize: Callable[[str], list[int]]
    ) -> None:
        self._splitter = SentenceSplitter(
            chunk_size=chunk_size,
            chunk_overlap=chunk_overlap,
            tokenizer=tokenize,
            secondary_chunking_regex=_CLAUSE,
        )

    def chunk(self, source_id: str, content_hash: str, pages: list[Document]) -> list[Chunk]:
        chunks: list[Chunk] = []
        for page in pages:
            text = page.text
            markdown = page.metadata.get("file_type") == "md"
            headings = _heading_positions(text) if markdown else []
            cursor = 0
            for piece in self._splitter.split_text(text):
                start = _locate(text, piece, cursor)
                if start < 0:
                    continue
                cursor = start + 1
                index = len(chunks)
                chunks.append(
                    Chunk(
                        id=chunk_id(source_id, content_hash, index),
                        text=piece,
                        page=page.metadata.get("page"),
                        start=start,
                        end=start + len(piece),
                        index=index,
                        headings=_heading_path(headings, start) if markdown else None,
                        ocr_confidence=page.metadata.get("ocr_confidence"),
                        records=tuple(
                            r
                            for r in page.metadata.get("records", ())
                            if r["start"] < start + len(piece) and start < r["end"]
                        ),
                    )
                )
        return chunks


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)


def _heading_positions(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), len(m.group(1)), m.group(2).strip()) for m in _HEADING.finditer(text)]


def _heading_path(headings: list[tuple[int, int, str]], start: int) -> str | None:
    """The heading trail in force where the chunk starts (a heading on its first line counts)."""
    trail: dict[int, str] = {}
    for position, level, title in headings:
        if position > start:
            break
        trail = {lvl: t for lvl, t in trail.items() if lvl < level}
        trail[level] = title
    return " > ".join(trail[level] for level in sorted(trail)) or None


def _locate(text: str, piece: str, cursor: int) -> int:
    """Find `piece` at or after `cursor` (chunks overlap, so never before the previous start)."""
    found = text.find(piece, cursor)
    return found if found >= 0 else text.find(piece)
