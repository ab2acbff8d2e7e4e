"""Compressed context: the few source sentences that matter for the question, ranked.

The model reads best when it reads little, so it gets these sentences, not whole chunks. Each
sentence of the retrieved chunks is scored on its embedding similarity to the question, the
share of the question's focus terms it holds (rarer terms weigh more; one only its document's
title or heading holds counts half), the question's phrases it repeats ("father of Kevin"), and
whether it states the kind of thing asked for (a quantity for "how much", a date for "when", a
name for "who"). Headings, questions in the sources (FAQ entries), markup fragments and other
non-answers are pushed down. A table row reads as "column: value" records under its header; a
sentence that leans on the one before it ("It costs...") brings that one along.
"""

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import dropwhile, islice, takewhile

from rag.answer.cancel import check
from rag.answer.layout import (
    cells,
    is_bullet,
    is_header_row,
    is_heading,
    is_lead_in,
    is_list_item,
    is_table_row,
    marker_only,
    same_paragraph,
    table_header,
)
from rag.answer.question import LISTING, NEGATION, QuestionFocus, stems
from rag.answer.spans import SourceSpan, source_spans
from rag.answer.text import identifiers, never_an_answer, record_cells
from rag.embed import DenseEmbedder
from rag.retrieve import RetrievedChunk

Similarity = Callable[[str, list[str]], list[float]]  # (question, texts) → cosines

W_DENSE = 1.0
W_TERMS = 1.0
W_PHRASE = 0.5
W_TYPE = 0.8
W_PERSON = 2.0  # for a who-question: only a sentence naming someone can answer it
W_NOT_ANSWER = 1.0
W_RETRIEVAL = 1.0  # times the chunk's retrieval score (hybrid: 1.0 for the best chunk)
BRIDGED_SHARE = 0.5  # of a focus term's weight, for a sentence holding only a synonym of it
TITLED_SHARE = 0.5  # of a focus term's weight, for one only its document's title or heading holds
PRIOR_SHARE = 0.3  # for one only the sentence before it in its paragraph holds (0.5: -1 on tuning)
W_UNNAMED = 1.0  # its passage does not name what the question names (and another one does)
W_NAMED = 0.5  # it names what the question names itself (the Town Library's row, not its table's)
# ... but not a list's items nor a procedure's steps: they seldom repeat the name their passage
# gives ("Burials are normally arranged through a funeral director" under Ashgrove Cemetery's
# regulations). Town tuning sets, quote only: 0.5 -> 0.25 +2 right, 0 +5, none lost.
W_NAMED_LISTING = 0.0
W_NEGATED = 1.0  # it says what is not so, as the question asks ("Not in the caddy: liquids ...")
MAX_SENTENCES = 5
SIMILARITY_BATCH = 16  # sentences embedded between two checks for a stopped answer
MAX_CHARS = 1000
_DATE = re.compile(r"\b\d{4}[-_ ]\d{1,2}[-_ ]\d{1,2}\b")  # "2026-02-03", "2026 02 03"
_LEANS_BACK = re.compile(r"^(it|its|they|their|them|this|these|that|those|he|she|his|her)\b", re.I)
READ_ON_TYPES = frozenset({"quantity", "person", "date"})  # a value the next sentence may state
MAX_LIST_ITEMS = 8  # of a list a quoted lead-in announces, or a list question gathers
# When the ranker cannot tell the best sentence from the next one stating the asked kind, within
# this margin, the answer quotes both, each cited: town tuning sets, quote only, 259 -> 273 right
# of 367 answerable (of the 315 reaching the quote: 0.1 +8, 0.15 +11, 0.2 +15), every set gaining
# or even.
TIE_MARGIN = 0.2
# Steps in prose run on through their paragraph ("Write to the Town Clerk ... We will
# acknowledge your complaint within 5 working days ..."): so many sentences after the best.
PARAGRAPH_STEPS = 3


@dataclass(frozen=True)
class Evidence:
    span: SourceSpan  # the exact source sentence, for citing
    reads: str  # what the ranker and the model read: the sentence, a table row as records
    source: int  # 1-based number of its chunk among the retrieved ones
    score: float
    cosine: float  # embedding similarity of what it reads to the question
    coverage: float  # share of the question's focus terms it holds, rarer terms weighing more
    typed: bool  # it states the kind of thing asked (in the asked unit, if the question has one)
    answer_like: bool  # not a heading, a question, markup or a bare fragment


def embedder_similarity(embedder: DenseEmbedder) -> Similarity:
    def similarity(question: str, texts: list[str]) -> list[float]:
        query = embedder.embed_query(question)
        vectors = []
        # In batches, so a stopped answer stops here within one batch (rag/answer/cancel.py).
        for first in range(0, len(texts), SIMILARITY_BATCH):
            check()
            vectors += embedder.embed_documents(texts[first : first + SIMILARITY_BATCH])
        return [sum(a * b for a, b in zip(query, v, strict=True)) for v in vectors]

    return similarity


def rank_evidence(
    focus: QuestionFocus, chunks: list[RetrievedChunk], similarity: Similarity
) -> list[Evidence]:
    """Every sentence of `chunks`, best first."""
    numbered = [(n, span) for n, chunk in enumerate(chunks, 1) for span in source_spans([chunk])]
    if not numbered:
        return []
    spans = [span for _, span in numbered]
    reads = [_reading(span) for span in spans]
    # A sentence leaning on the one before ("It shall close at 4.30pm") is read with that one,
    # by the embedder and for the question's terms, phrases and names: alone it names nothing.
    in_context = [
        f"{reads[n - 1]} {text}" if n and _leans_on(numbered[n - 1], numbered[n]) else text
        for n, text in enumerate(reads)
    ]
    dense = similarity(focus.text, in_context)
    weight = _term_weights(focus, reads)
    # A passage is about what the question names when its document names it (in any of its
    # retrieved chunks: a table under the section naming it does not repeat the name), unless
    # the title names a sibling (the 2024 bylaw for a question on the 2019 one).
    naming_documents = {c.document_id for c in chunks if focus.names.named_in(c.passage)}
    named = {
        chunk.id: chunk.document_id in naming_documents
        and not focus.names.sibling_in(chunk.title_words)
        for chunk in chunks
    }
    # A document whose title names a sibling ("annual report 2025" for a question on 2024)
    # answers only in a sentence naming what is asked ("… compared with 9.8% in 2024").
    # A date in a title says when it was written ("minutes 2026-02-03"), not what it is about.
    titled_sibling = {
        chunk.id: focus.names.identifier_sibling_in(_DATE.sub("", chunk.title_words))
        for chunk in chunks
    }
    any_named = any(named.values())
    w_named = W_NAMED_LISTING if focus.answer_type in LISTING else W_NAMED
    titles = {chunk.id: stems(chunk.title_words) for chunk in chunks}
    priors = {
        (number, span.start): reads[n - 1]
        if n and numbered[n - 1][0] == number and same_paragraph(numbered[n - 1][1], span)
        else ""
        for n, (number, span) in enumerate(numbered)
    }
    total = sum(weight.values()) or 1.0
    ranked = []
    for (number, span), text, context, cosine in zip(
        numbered, reads, in_context, dense, strict=True
    ):
        held = focus.terms & (said := stems(context))
        bridged = focus.bridged(held, said)
        titled = (focus.terms & titles[span.chunk.id]) - held - bridged
        before = priors[number, span.start]
        carried = (focus.terms & stems(before)) - held - bridged - titled if before else set()
        held_weight = (
            sum(weight[t] for t in held)
            + BRIDGED_SHARE * sum(weight[t] for t in bridged)
            + TITLED_SHARE * sum(weight[t] for t in titled)
            + PRIOR_SHARE * sum(weight[t] for t in carried)
        )
        coverage = held_weight / total if focus.terms else 1.0
        # one row's columns are no list of things ("Facility: …; Monday: 08:00-18:00; …")
        typed = focus.has_answer_type(text) and not (
            focus.answer_type == "list" and reads_as_row(span, text)
        )
        # A sentence naming a sibling of what is asked (the E01 row for E04) answers another
        # question; one from a passage not naming it is about something else, when others do.
        answer_like = (
            is_answer_like(span, focus.asks_for_link)
            and not focus.names.sibling_in(text)
            and not (
                titled_sibling[span.chunk.id]
                and not focus.identifiers & identifiers(f"{before} {context}")
            )
        )
        unnamed = bool(focus.names) and any_named and not named[span.chunk.id]
        score = (
            W_DENSE * cosine
            + W_TERMS * coverage
            + W_PHRASE * focus.phrase_overlap(context)
            + W_NEGATED * (focus.negated and bool(NEGATION.search(context)))
            + (W_PERSON if focus.answer_type == "person" else W_TYPE) * typed
            + W_RETRIEVAL * span.chunk.score
            - W_NOT_ANSWER * (not answer_like)
            - W_UNNAMED * unnamed
            + w_named * (bool(focus.names) and focus.names.named_in(context))
        )
        evidence = Evidence(span, text, number, score, cosine, coverage, typed, answer_like)
        ranked.append(evidence)
    ranked.sort(key=lambda e: -e.score)
    return ranked


def _leans_on(before: tuple[int, SourceSpan], sentence: tuple[int, SourceSpan]) -> bool:
    """Whether `sentence` leans on `before`, the sentence before it in the same chunk."""
    return before[0] == sentence[0] and bool(_LEANS_BACK.match(sentence[1].text))


def select_context(ranked: list[Evidence]) -> list[Evidence]:
    """The best sentences within MAX_SENTENCES and MAX_CHARS, each with the neighbours it is
    read with (`with_neighbours`), without repeats."""
    chosen: list[Evidence] = []
    seen: set[str] = set()
    size = 0
    for evidence in ranked:
        if len(chosen) >= MAX_SENTENCES:
            break
        for item in with_neighbours(evidence, ranked):
            key = _plain(item.reads)
            if key in seen or size + len(item.reads) > MAX_CHARS and chosen:
                continue
            seen.add(key)
            chosen.append(item)
            size += len(item.reads)
    return chosen


def with_neighbours(evidence: Evidence, ranked: list[Evidence]) -> list[Evidence]:
    """`evidence` with what it needs to be read: the sentence before it in its chunk when it
    leans on that one ("It costs 1,290 euros."), the line introducing its list when it is a
    list item ("Version 3.1.2 — released 9 December 2025" above "- Fixed: ..."), the list
    items or table rows after it when it announces them ("The K2 has three operating modes:")."""
    same_chunk = chunk_sentences(evidence, ranked)
    before = [e for e in same_chunk if e.span.start < evidence.span.start]
    lead = before[-1:] if _LEANS_BACK.match(evidence.span.text) else []
    if not lead and is_bullet(evidence.span):
        lead = list(dropwhile(lambda e: is_bullet(e.span), reversed(before)))[:1]
    items = items_after(evidence, same_chunk) if is_lead_in(evidence.span) else []
    return [*lead, evidence, *items]


def read_on(evidence: Evidence, ranked: list[Evidence], focus: QuestionFocus) -> list[Evidence]:
    """`evidence` with its neighbours (`with_neighbours`) and, for a question asking how much,
    who or when that they do not answer, the sentence after them in their paragraph when that
    one does: "The Council considered a request from the Kestrelford Players to renew their
    lease …" reads on into "RESOLVED … at an annual rent of £4,200". Steps in prose read on
    through their paragraph."""
    quoted = with_neighbours(evidence, ranked)
    after = _rest_of_paragraph(quoted[-1], ranked)
    if focus.answer_type == "procedure":
        return [*quoted, *islice(after, PARAGRAPH_STEPS)]
    if focus.answer_type not in READ_ON_TYPES or any(e.typed for e in quoted):
        return quoted
    following = next(after, None)
    if following is not None and following.typed and following.answer_like:
        return [*quoted, following]
    return quoted


def runner_up(
    best: Evidence, quoted: list[Evidence], ranked: list[Evidence], focus: QuestionFocus
) -> list[Evidence]:
    """The next answer-like sentence after `best` stating the asked kind, within TIE_MARGIN of
    it and saying what `quoted` does not, with what it needs to be read (`with_neighbours`);
    [] when there is none. "If the fixed penalty is paid within 10 days it shall be reduced to
    £50." and "An officer may offer a fixed penalty of £75." score alike for "What was the
    fixed penalty?": a reader shown both sees the answer, each with its source. Not one about
    another thing: another row of the best one's table, one not naming what the question and
    the best sentence name, one whose figures the quote already gives."""
    said = [_plain(e.reads) for e in quoted]
    figures = frozenset().union(*(e.span.numbers for e in quoted))
    names = focus.names
    named = bool(names) and names.named_in(best.reads)
    best_is_row = reads_as_row(best.span, best.reads)  # another row is another thing
    for evidence in ranked:
        if evidence.score < best.score - TIE_MARGIN:
            return []
        text = _plain(evidence.reads)
        if (
            not evidence.answer_like
            or not evidence.typed
            or any(text in other or other in text for other in said)
            or (best_is_row and reads_as_row(evidence.span, evidence.reads))
            or (named and not names.named_in(evidence.reads))
            or (evidence.span.numbers and evidence.span.numbers <= figures)
        ):
            continue
        return [e for e in with_neighbours(evidence, ranked) if _plain(e.reads) not in said]
    return []


def reads_as_row(span: SourceSpan, reads: str) -> bool:
    """Whether a sentence is one row of a table: a table row, or read as its cells."""
    return is_table_row(span) or record_cells(reads) is not None


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


def _rest_of_paragraph(evidence: Evidence, ranked: list[Evidence]) -> Iterator[Evidence]:
    """The sentences after `evidence` in its paragraph, in order, up to a heading or a
    question (short ones too: a step may be "Fill in the form."), read as far as asked."""
    last = evidence
    while (following := next_in_chunk(last, ranked)) is not last and same_paragraph(
        last.span, following.span
    ):
        if is_heading(following.span) or following.span.text.rstrip().endswith("?"):
            return
        yield following
        last = following


def items_after(evidence: Evidence, same_chunk: list[Evidence]) -> list[Evidence]:
    """The list items or table rows right after `evidence` in its chunk (in order)."""
    after = [e for e in same_chunk if e.span.start > evidence.span.start]
    after = list(dropwhile(lambda e: is_header_row(e.span), after))
    items = takewhile(lambda e: is_list_item(e.span), after)
    return [e for e in items if not marker_only(e.span)][:MAX_LIST_ITEMS]


def next_in_chunk(evidence: Evidence, ranked: list[Evidence]) -> Evidence:
    """The sentence after `evidence` in its chunk (itself when it is the last)."""
    after = [
        e for e in ranked if e.source == evidence.source and e.span.start > evidence.span.start
    ]
    return min(after, key=position, default=evidence)


def position(evidence: Evidence) -> int:
    return evidence.span.start


def chunk_sentences(evidence: Evidence, ranked: list[Evidence]) -> list[Evidence]:
    """The sentences of `evidence`'s chunk, in the order they stand in it."""
    return sorted((e for e in ranked if e.source == evidence.source), key=position)


def best_answer_like(ranked: list[Evidence]) -> Evidence | None:
    """The best-ranked sentence that can be an answer (`Evidence.answer_like`), if any."""
    return next((e for e in ranked if e.answer_like), None)


def is_answer_like(span: SourceSpan, link_asked: bool = False) -> bool:
    """Not a heading, a question, markup, an instruction, an unasked link, an uncomputed
    calculation or a fragment too short to state anything."""
    text = span.text
    if text.endswith("?") or never_an_answer(text, link_asked) or is_heading(span):
        return False
    return len(span.words) >= 3 or is_table_row(span)


def _reading(span: SourceSpan) -> str:
    if not is_table_row(span):
        return span.text
    header = table_header(span)
    values = cells(span.text)
    if header is None or len(header) != len(values):
        return span.text
    return "; ".join(f"{name}: {value}" for name, value in zip(header, values, strict=True))


def _term_weights(focus: QuestionFocus, reads: list[str]) -> dict[str, float]:
    """Inverse frequency among the candidate sentences: a term every sentence has (the product
    the whole manual is about) says less than one only the answer has."""
    frequency = Counter(term for text in reads for term in focus.terms & stems(text))
    return {t: math.log(1 + len(reads) / (1 + frequency[t])) for t in focus.terms}
