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
from collections.abc import Callable
from dataclasses import dataclass
from itertools import dropwhile, takewhile

from rag.answer.cancel import check
from rag.answer.question import NEGATION, QuestionFocus, stems
from rag.answer.spans import SourceSpan, source_spans
from rag.answer.text import never_an_answer, record_cells
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
W_NEGATED = 1.0  # it says what is not so, as the question asks ("Not in the caddy: liquids ...")
MAX_SENTENCES = 5
SIMILARITY_BATCH = 16  # sentences embedded between two checks for a stopped answer
MAX_CHARS = 1000
_LEANS_BACK = re.compile(r"^(it|its|they|their|them|this|these|that|those|he|she|his|her)\b", re.I)
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")  # a paragraph's end
# A section number and a few words with no closing punctuation (a numbered step says more).
_SECTION_TITLE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+(?:\S+\s+){0,5}[^\s.!?:;,]+$")
# A line in capitals: letters, none of them small, with figures and codes between.
_IN_CAPITALS = re.compile(r"[^a-z]*[A-Z]{2}[^a-z]*")
# A bullet, "3." or "3)" ("Step 3."), and the lettered and roman items of a legal list: "(a)",
# "b)", "(iv)".
_LIST_MARKER = re.compile(
    r"^\s*([-*+•]|(?i:step |stage )?\d{1,2}[.):]|\(?[a-z]\)|\((?:[ivx]{1,4})\))\s"
)
_ITEM_SEPARATOR = re.compile(r",|;| and | or ")
LISTING = frozenset({"list", "procedure"})  # answer types answered by a list's items
READ_ON_TYPES = frozenset({"quantity", "person", "date"})  # a value the next sentence may state
# Questions answered by the items of a list in the sources, quoted whole: a small model's one
# sentence names one item ("What's planned for my first week?" got Monday only). Steps are as
# often one sentence of prose ("To apply, complete the form..."), so a list answers a procedure
# question only when it ranks within this margin of the best sentence.
LIST_MARGIN = {"list": math.inf, "procedure": 0.2}
MAX_LIST_ITEMS = 8  # of a list a quoted lead-in announces, or a list question gathers
# A line announcing a list ("The following are dog exclusion zones:") names what its items are:
# it is the list asked for over a list item ranking up to this much above it (0.3 and 0.6 alike
# on the town tuning sets).
LEAD_MARGIN = 0.3
PARAGRAPH_SENTENCES = 3  # after a list question's best sentence, searched for a list's lead-in
LIST_SEARCH = 10  # best sentences searched for a list item or lead-in, for a list question


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
    any_named = any(named.values())
    titles = {chunk.id: stems(chunk.title_words) for chunk in chunks}
    priors = {
        (number, span.start): reads[n - 1]
        if n and numbered[n - 1][0] == number and _same_paragraph(numbered[n - 1][1], span)
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
            focus.answer_type == "list" and (_is_table_row(span) or record_cells(text))
        )
        # A sentence naming a sibling of what is asked (the E01 row for E04) answers another
        # question; one from a passage not naming it is about something else, when others do.
        answer_like = is_answer_like(span, focus.asks_for_link) and not focus.names.sibling_in(text)
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
            + W_NAMED * (bool(focus.names) and focus.names.named_in(context))
        )
        evidence = Evidence(span, text, number, score, cosine, coverage, typed, answer_like)
        ranked.append(evidence)
    ranked.sort(key=lambda e: -e.score)
    return ranked


def _same_paragraph(before: SourceSpan, span: SourceSpan) -> bool:
    """Whether `span` follows `before` in its chunk with no blank line between them, neither
    a table row (rows stand apart)."""
    if _is_table_row(before) or _is_table_row(span) or record_cells(span.text):
        return False
    chunk = span.chunk
    end = before.start + len(before.text)
    return not _BLANK_LINE.search(chunk.text[end - chunk.start : span.start - chunk.start])


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
            key = " ".join(item.reads.lower().split())
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
    same_chunk = sorted((e for e in ranked if e.source == evidence.source), key=_position)
    before = [e for e in same_chunk if e.span.start < evidence.span.start]
    lead = before[-1:] if _LEANS_BACK.match(evidence.span.text) else []
    if not lead and _is_bullet(evidence.span):
        lead = list(dropwhile(lambda e: _is_bullet(e.span), reversed(before)))[:1]
    items = _items_after(evidence, same_chunk) if _is_lead_in(evidence.span) else []
    return [*lead, evidence, *items]


def read_on(evidence: Evidence, ranked: list[Evidence], focus: QuestionFocus) -> list[Evidence]:
    """`evidence` with its neighbours (`with_neighbours`) and, for a question asking how much,
    who or when that they do not answer, the sentence after them in their paragraph when that
    one does: "The Council considered a request from the Kestrelford Players to renew their
    lease …" reads on into "RESOLVED … at an annual rent of £4,200"."""
    quoted = with_neighbours(evidence, ranked)
    if focus.answer_type not in READ_ON_TYPES or any(e.typed for e in quoted):
        return quoted
    following = _next(quoted[-1], ranked)
    if (
        following is not quoted[-1]
        and following.typed
        and following.answer_like
        and _same_paragraph(quoted[-1].span, following.span)
    ):
        return [*quoted, following]
    return quoted


def _items_after(evidence: Evidence, same_chunk: list[Evidence]) -> list[Evidence]:
    """The list items or table rows right after `evidence` in its chunk (in order)."""
    after = [e for e in same_chunk if e.span.start > evidence.span.start]
    after = list(dropwhile(lambda e: _is_header_row(e.span), after))
    items = takewhile(lambda e: _is_list_item(e.span), after)
    return [e for e in items if not _marker_only(e.span)][:MAX_LIST_ITEMS]


def _table_after(evidence: Evidence, ranked: list[Evidence]) -> list[Evidence] | None:
    """A sentence right before a table, with the table's rows: for a list question, "The
    Council manages three allotment sites." leads the rows naming them. None when no table
    follows it, or it is a table row itself."""
    following = _next(evidence, ranked)
    if _is_table_row(evidence.span) or not _is_table_row(following.span):
        return None  # a last sentence is its own `_next`, and no table row
    same_chunk = sorted((e for e in ranked if e.source == evidence.source), key=_position)
    rows = [e for e in _items_after(evidence, same_chunk) if _is_table_row(e.span)]
    return [evidence, *rows] if len(rows) > 1 else None


def _lead_in_later(evidence: Evidence, ranked: list[Evidence]) -> list[Evidence] | None:
    """`evidence` with a line announcing a list a few sentences later in its paragraph, and
    the items: "The HWRC is on Quarry Lane. It is for residents only. Items accepted
    include:" — the sentence naming what is asked ranks far above the bare lead-in."""
    chunk = evidence.span.chunk
    later = sorted(
        (e for e in ranked if e.source == evidence.source and e.span.start > evidence.span.start),
        key=_position,
    )
    for following in later[:PARAGRAPH_SENTENCES]:
        end = evidence.span.start + len(evidence.span.text)
        between = chunk.text[end - chunk.start : following.span.start - chunk.start]
        if _BLANK_LINE.search(between):
            return None
        if _is_lead_in(following.span):
            listed = _announced(following, ranked)
            return [evidence, *listed] if listed else None
    return None


def best_list(
    ranked: list[Evidence], margin: float = math.inf, negated: bool = False
) -> list[Evidence] | None:
    """For a question asking for a list: the best sentence when it names the items itself and
    says what is not so exactly when the question asks that (`negated`) — "Not in the caddy:
    liquids, packaging or pet waste" (what is excluded is rarely bulleted), "three options:
    Option A (…), Option B (…) and Option C (…)"; else the list of the best-ranked list item
    or lead-in among the best LIST_SEARCH answer-like sentences (a heading or a sentence about
    the list often ranks above its items) scoring within `margin` of the best, with its lead
    line, a line announcing its items after a colon first; None when none is near the top."""
    candidates = [e for e in ranked if e.answer_like][:LIST_SEARCH]
    if candidates and _lists_inline(candidates[0], negated):
        return [candidates[0]]
    for evidence in candidates:
        if evidence.score < candidates[0].score - min(margin, LEAD_MARGIN):
            break
        if _is_lead_in(evidence.span) and (listed := _announced(evidence, ranked)):
            return listed
    for evidence in candidates:
        if evidence.score < candidates[0].score - margin:
            return None
        if _is_lead_in(evidence.span):
            listed = _announced(evidence, ranked)
        else:  # an item, or the sentence right before a list's first item or a table
            listed = (
                whole_list(evidence, ranked)
                or whole_list(_next(evidence, ranked), ranked)
                or _table_after(evidence, ranked)
                or _lead_in_later(evidence, ranked)
            )
        if listed:
            return listed
    return None


def _is_lead_in(span: SourceSpan) -> bool:
    """A line announcing what follows it: "The following are prohibited streets:"."""
    return span.text.rstrip().endswith(":")


def _announced(lead_in: Evidence, ranked: list[Evidence]) -> list[Evidence] | None:
    """`lead_in` with the items it announces; None when no item follows it in its chunk."""
    listed = with_neighbours(lead_in, ranked)
    return listed if len(listed) > 1 else None


def _lists_inline(evidence: Evidence, negated: bool) -> bool:
    """A sentence naming several items itself after a colon, not a list's lead line or item,
    saying what is not so exactly when the question asks that (`negated`): "Not in the caddy:
    liquids, packaging, or pet waste." (what is excluded is rarely bulleted), "… put to the
    public: Option A (…), Option B (…) and Option C (…)"."""
    text = evidence.span.text.rstrip()
    span = evidence.span
    if _is_lead_in(span) or _is_bullet(span) or _is_table_row(span) or record_cells(span.text):
        return False
    if bool(NEGATION.search(text)) != negated:
        return False
    announced = text.partition(": ")[2]
    return len(_ITEM_SEPARATOR.findall(announced)) >= 2


def ends_in_list(chunk: RetrievedChunk, cut: bool = False) -> bool:
    """Whether `chunk`'s last line is a list item or the line announcing a list ("The
    following are prohibited streets:"): the chunk boundary may cut its list. With `cut`,
    only the announcing line or an item's bare marker ("3."): the boundary surely cuts it."""
    lines = [line for line in chunk.text.splitlines() if line.strip()]
    if not lines:
        return False
    last = lines[-1] + " "
    # "3." cut off before its text is an item, too
    item = _LIST_MARKER.match(last) and (not cut or not _LIST_MARKER.sub("", last).strip())
    return last.rstrip().endswith(":") or bool(item)


def _next(evidence: Evidence, ranked: list[Evidence]) -> Evidence:
    """The sentence after `evidence` in its chunk (itself when it is the last)."""
    after = [
        e for e in ranked if e.source == evidence.source and e.span.start > evidence.span.start
    ]
    return min(after, key=_position, default=evidence)


def whole_list(evidence: Evidence, ranked: list[Evidence]) -> list[Evidence] | None:
    """The list `evidence` is an item of, with the line introducing it: every bulleted,
    numbered or slide line in a row around it in its chunk (up to MAX_LIST_ITEMS). None when
    it is no list item. A list question is answered by its items, not its first one."""
    if not _is_bullet(evidence.span):
        return None
    same_chunk = sorted((e for e in ranked if e.source == evidence.source), key=_position)
    at = same_chunk.index(evidence)
    first = at
    while first > 0 and _is_bullet(same_chunk[first - 1].span):
        first -= 1
    last = at
    while last + 1 < len(same_chunk) and _is_bullet(same_chunk[last + 1].span):
        last += 1
    lead = same_chunk[first - 1 : first] if first > 0 else []
    items = [e for e in same_chunk[first : last + 1] if not _marker_only(e.span)]
    if len(items) > MAX_LIST_ITEMS:  # the asked item's neighbourhood
        asked = items.index(evidence) if evidence in items else 0
        start = min(max(asked - MAX_LIST_ITEMS // 2, 0), len(items) - MAX_LIST_ITEMS)
        items = items[start : start + MAX_LIST_ITEMS]
    return [*lead, *items]


def _position(evidence: Evidence) -> int:
    return evidence.span.start


def best_answer_like(ranked: list[Evidence]) -> Evidence | None:
    """The best-ranked sentence that can be an answer (`Evidence.answer_like`), if any."""
    return next((e for e in ranked if e.answer_like), None)


def is_answer_like(span: SourceSpan, link_asked: bool = False) -> bool:
    """Not a heading, a question, markup, an instruction, an unasked link, an uncomputed
    calculation or a fragment too short to state anything."""
    text = span.text
    if text.endswith("?") or never_an_answer(text, link_asked) or _is_heading(span):
        return False
    return len(span.words) >= 3 or _is_table_row(span)


def _reading(span: SourceSpan) -> str:
    if not _is_table_row(span):
        return span.text
    header = _table_header(span)
    cells = _cells(span.text)
    if header is None or len(header) != len(cells):
        return span.text
    return "; ".join(f"{name}: {value}" for name, value in zip(header, cells, strict=True))


def _term_weights(focus: QuestionFocus, reads: list[str]) -> dict[str, float]:
    """Inverse frequency among the candidate sentences: a term every sentence has (the product
    the whole manual is about) says less than one only the answer has."""
    frequency = Counter(term for text in reads for term in focus.terms & stems(text))
    return {t: math.log(1 + len(reads) / (1 + frequency[t])) for t in focus.terms}


def _line_of(span: SourceSpan) -> str:
    text, offset = span.chunk.text, span.start - span.chunk.start
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]


def _is_heading(span: SourceSpan) -> bool:
    line = _line_of(span).strip()
    if line.startswith("#"):
        return True
    if span.start == 0 and len(line.split()) <= 8 and line[-1:] not in ".!?":
        return True  # a document's first line: its title
    if _SECTION_TITLE.match(line):
        return True  # "4. What goes in each bin", "7.3 Committees": a numbered section's title
    if _IN_CAPITALS.fullmatch(line) and not _is_table_row(span):
        return True  # "PARKS AND OPEN SPACES BYLAW 2019", "FC/26/07  TOWN CENTRE PARKING"
    # A title line: short, no closing punctuation, no figures, mostly capitalised words.
    tokens = line.split()
    capitalised = sum(t[:1].isupper() for t in tokens)
    return (
        0 < len(tokens) <= 8
        and line[-1:] not in ".!?:;"
        and not any(c.isdigit() for c in line)
        and capitalised >= 0.6 * len(tokens)
        and not _is_table_row(span)
    )


def _marker_only(span: SourceSpan) -> bool:
    """A list marker the sentence splitter cut off its item ("Step 1." before "Complete
    the form.")."""
    return not _LIST_MARKER.sub("", span.text + " ").strip()


def _is_list_item(span: SourceSpan) -> bool:
    """A bulleted or numbered line, or a table's data row."""
    if _is_table_row(span):
        return not _is_header_row(span)
    return _is_bullet(span)


def _is_bullet(span: SourceSpan) -> bool:
    """A bulleted or numbered line (the readers mark Word's and a slide's list lines)."""
    return bool(_LIST_MARKER.match(_line_of(span)))


def _is_header_row(span: SourceSpan) -> bool:
    return _is_table_row(span) and _table_header(span) is None


def _is_table_row(span: SourceSpan) -> bool:
    return _line_of(span).strip().startswith("|")


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _table_header(span: SourceSpan) -> list[str] | None:
    """The header cells of the table `span` is a row of, when the chunk holds them."""
    text = span.chunk.text[: span.start - span.chunk.start]
    lines = text.split("\n")
    for n in range(len(lines) - 1, 0, -1):
        if _TABLE_SEPARATOR.match(lines[n]):
            return _cells(lines[n - 1])
        if not lines[n].strip().startswith("|") and lines[n].strip():
            return None
    return None
