"""Lists as a person reads them, for a question asking for a list or steps: the items of one
passage gathered across its lines, bullets, slide items and table rows, with the line announcing
them ("The following are dog exclusion zones:"), or one sentence naming them all after a colon.
"""

import math
import re

from rag.answer.context import (
    MAX_LIST_ITEMS,
    Evidence,
    chunk_sentences,
    items_after,
    next_in_chunk,
    with_neighbours,
)
from rag.answer.layout import (
    BLANK_LINE,
    is_bullet,
    is_lead_in,
    is_table_row,
    marker_only,
)
from rag.answer.question import NEGATION
from rag.answer.text import record_cells

_ITEM_SEPARATOR = re.compile(r",|;| and | or ")
# Questions answered by the items of a list in the sources, quoted whole: a small model's one
# sentence names one item ("What's planned for my first week?" got Monday only). Steps are as
# often one sentence of prose ("To apply, complete the form..."), so a list answers a procedure
# question only when it ranks within this margin of the best sentence.
LIST_MARGIN = {"list": math.inf, "procedure": 0.2}
# A line announcing a list ("The following are dog exclusion zones:") names what its items are:
# it is the list asked for over a list item ranking up to this much above it (0.3 and 0.6 alike
# on the town tuning sets).
LEAD_MARGIN = 0.3
PARAGRAPH_SENTENCES = 3  # after a list question's best sentence, searched for a list's lead-in
LIST_SEARCH = 10  # best sentences searched for a list item or lead-in, for a list question


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
        if is_lead_in(evidence.span) and (listed := _announced(evidence, ranked)):
            return listed
    for evidence in candidates:
        if evidence.score < candidates[0].score - margin:
            return None
        if is_lead_in(evidence.span):
            listed = _announced(evidence, ranked)
        else:  # an item, or the sentence right before a list's first item or a table
            listed = (
                whole_list(evidence, ranked)
                or whole_list(next_in_chunk(evidence, ranked), ranked)
                or _table_after(evidence, ranked)
                or _lead_in_later(evidence, ranked)
            )
        if listed:
            return listed
    return None


def whole_list(evidence: Evidence, ranked: list[Evidence]) -> list[Evidence] | None:
    """The list `evidence` is an item of, with the line introducing it: every bulleted,
    numbered or slide line in a row around it in its chunk (up to MAX_LIST_ITEMS). None when
    it is no list item. A list question is answered by its items, not its first one."""
    if not is_bullet(evidence.span):
        return None
    same_chunk = chunk_sentences(evidence, ranked)
    at = same_chunk.index(evidence)
    first = at
    while first > 0 and is_bullet(same_chunk[first - 1].span):
        first -= 1
    last = at
    while last + 1 < len(same_chunk) and is_bullet(same_chunk[last + 1].span):
        last += 1
    lead = same_chunk[first - 1 : first] if first > 0 else []
    items = [e for e in same_chunk[first : last + 1] if not marker_only(e.span)]
    if len(items) > MAX_LIST_ITEMS:  # the asked item's neighbourhood
        asked = items.index(evidence) if evidence in items else 0
        start = min(max(asked - MAX_LIST_ITEMS // 2, 0), len(items) - MAX_LIST_ITEMS)
        items = items[start : start + MAX_LIST_ITEMS]
    return [*lead, *items]


def _lists_inline(evidence: Evidence, negated: bool) -> bool:
    """A sentence naming several items itself after a colon, not a list's lead line or item,
    saying what is not so exactly when the question asks that (`negated`): "Not in the caddy:
    liquids, packaging, or pet waste." (what is excluded is rarely bulleted), "… put to the
    public: Option A (…), Option B (…) and Option C (…)"."""
    text = evidence.span.text.rstrip()
    span = evidence.span
    if is_lead_in(span) or is_bullet(span) or is_table_row(span) or record_cells(span.text):
        return False
    if bool(NEGATION.search(text)) != negated:
        return False
    announced = text.partition(": ")[2]
    return len(_ITEM_SEPARATOR.findall(announced)) >= 2


def _announced(lead_in: Evidence, ranked: list[Evidence]) -> list[Evidence] | None:
    """`lead_in` with the items it announces; None when no item follows it in its chunk."""
    listed = with_neighbours(lead_in, ranked)
    return listed if len(listed) > 1 else None


def _lead_in_later(evidence: Evidence, ranked: list[Evidence]) -> list[Evidence] | None:
    """`evidence` with a line announcing a list a few sentences later in its paragraph, and
    the items: "The HWRC is on Quarry Lane. It is for residents only. Items accepted
    include:" — the sentence naming what is asked ranks far above the bare lead-in."""
    chunk = evidence.span.chunk
    later = [e for e in chunk_sentences(evidence, ranked) if e.span.start > evidence.span.start]
    for following in later[:PARAGRAPH_SENTENCES]:
        end = evidence.span.start + len(evidence.span.text)
        between = chunk.text[end - chunk.start : following.span.start - chunk.start]
        if BLANK_LINE.search(between):
            return None
        if is_lead_in(following.span):
            listed = _announced(following, ranked)
            return [evidence, *listed] if listed else None
    return None


def _table_after(evidence: Evidence, ranked: list[Evidence]) -> list[Evidence] | None:
    """A sentence right before a table, with the table's rows: for a list question, "The
    Council manages three allotment sites." leads the rows naming them. None when no table
    follows it, or it is a table row itself."""
    following = next_in_chunk(evidence, ranked)
    if is_table_row(evidence.span) or not is_table_row(following.span):
        return None  # a last sentence is its own `next_in_chunk`, and no table row
    same_chunk = chunk_sentences(evidence, ranked)
    rows = [e for e in items_after(evidence, same_chunk) if is_table_row(e.span)]
    return [evidence, *rows] if len(rows) > 1 else None
