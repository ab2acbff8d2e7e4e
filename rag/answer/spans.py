"""The sentences of retrieved chunks as citable spans: each with its exact offset in the source's
extracted text and what verification compares (content words, numbers, their units)."""

from dataclasses import dataclass

from rag.answer.text import content_words, numbers_in, split_sentences, units_of
from rag.retrieve import RetrievedChunk


@dataclass(frozen=True)
class SourceSpan:
    chunk: RetrievedChunk
    start: int  # offset in the source's extracted text
    text: str
    words: frozenset[str]
    units: dict[str, frozenset[str]]  # number → the units written after it ("" for none)
    numbers: frozenset[str]  # as `numbers_in` normalises them: "4,000" and "four thousand" agree


def source_spans(chunks: list[RetrievedChunk]) -> list[SourceSpan]:
    return [
        SourceSpan(
            chunk,
            chunk.start + offset,
            sentence,
            content_words(sentence),
            units_of(sentence),
            frozenset(numbers_in(sentence)),
        )
        for chunk in chunks
        for offset, sentence in split_sentences(chunk.text)
    ]
