"""search_documents: the tool through which the model looks something up in the indexed documents
("what does one Solar Gateway G3 cost?") before it computes with what it found.

It is bound to one request (its collection, filters and retrieval mode) and remembers the
passages it returned, so the answer can cite where each figure came from. Passages reach the
model inside <passage> delimiters as data, as sources do in the answer prompt.
"""

import re
from pathlib import PurePosixPath

from rag.answer.text import split_sentences
from rag.retrieve import Mode, RetrievedChunk, Retriever
from rag.store import Filters

PASSAGES = 3
PASSAGE_CHARS = 400  # three passages stay within a small model's context next to the question
_WORD = re.compile(r"\w+")


class DocumentSearch:
    def __init__(
        self,
        retriever: Retriever,
        collection: str,
        mode: Mode,
        filters: Filters | None,
    ) -> None:
        self._retriever = retriever
        self._collection = collection
        self._mode = mode
        self._filters = filters
        self.found: list[RetrievedChunk] = []

    def search_documents(self, query: str) -> str:
        """Search the indexed documents and return the best passages.

        Args:
            query: What to look for, in a few words.
        """
        chunks = self._retriever.search(
            query, self._collection, PASSAGES, self._mode, self._filters
        )
        known = {chunk.id for chunk in self.found}
        self.found += [chunk for chunk in chunks if chunk.id not in known]
        if not chunks:
            return "No passage matches."
        return "\n".join(
            f'<passage source="{_name(chunk.source)}">{_excerpt(chunk.text, query)}</passage>'
            for chunk in chunks
        )


def _name(source: str) -> str:
    """The document a passage is from, as the trace names it: a file's name, or the URL."""
    name = source if "://" in source else PurePosixPath(source).name
    return name.replace('"', "'")


def _excerpt(text: str, query: str) -> str:
    """The chunk's sentences that share most words with the query, in document order, within
    PASSAGE_CHARS: a price in a table row stays whole wherever it stands in the chunk."""
    wanted = set(_WORD.findall(query.lower()))
    sentences = split_sentences(text)
    ranked = sorted(
        range(len(sentences)),
        key=lambda i: -len(wanted & set(_WORD.findall(sentences[i][1].lower()))),
    )
    chosen, size = set(), 0
    for i in ranked:
        length = len(sentences[i][1]) + 1
        if size + length <= PASSAGE_CHARS:
            chosen.add(i)
            size += length
    return " … ".join(" ".join(sentences[i][1].split()) for i in sorted(chosen))
