"""Questions that ask for more than a value: a definition, a reason, a procedure or a list.

"What is a minor works permit?" is answered by the sentence that says what the term means, not
by a neighbour that merely uses it; "why ..." by a sentence giving a cause or a purpose; "how do
I ..." by steps; "what are the ..." by the items. Each kind has a cue in the question and a cue
in a sentence that answers it; the ranking prefers, and verification requires, a sentence with
the answering cue (rag/answer/question.py's `has_type`).
"""

import re
from functools import lru_cache
from typing import Literal

from rag.answer.text import STOPWORDS, stem, word_stems, words

AskedKind = Literal["definition", "reason", "procedure", "list"]

_REASON = re.compile(
    r"^\W*why\b|\bwhat(?:'s| is| was) the (?:reason|purpose|point|rationale)\b"
    r"|^\W*what(?:'s| is| are) (?:the |a |an )?[\w' -]+ (?:actually |really )?"
    r"(?<!responsible )for\W*$"
    r"|\bfor what (?:reason|purpose)\b|\bhow come\b|\bwhat for\b",
    re.I,
)
_PROCEDURE = re.compile(
    r"(?:^|[.!?]\s+)\W*(?:and |so )?how (?:and when |and where )?(?:do|can|should|would|could"
    r"|does one|must) (?:i|we|you|one|a|an|the|my|our|residents?|people|someone)\b|\bhow to\b"
    r"|\bhow does (?:a|an|the|my|our|someone) [\w' -]{1,40}? (?:apply|register|book|request|get"
    r"|obtain|arrange|report|complain|join|hire|go about)\b|\bstep[- ]by[- ]step\b"
    r"|\bhow (?:is|are) (?:a|an|the|my|our) [\w' -]+ (?:arranged|organised|organized|booked"
    r"|applied for|requested|done|made)\b"
    r"|\bwhat(?:'s| is| are)? (?:the )?(?:steps|procedure|process)\b|\bwhat (?:do|should) i do\b"
    r"|\bwhat (?:do|does|should|must) (?:i|we|you|one) (?:have|need) to (?:do|sort out|arrange)\b"
    r"|\bwalk (?:me|us) through\b|\bwhat(?:'s| is) involved in\b"
    r"|\b(?:right|correct|proper) way to\b"
    r"|\bhow does (?:a|an|the|my|our) [\w' -]{1,40}? get (?:applied for|booked|arranged|done)\b",
    re.I,
)
_LIST = re.compile(
    r"^\W*(?:what|which)(?: \w+)? (?:are|were) (?:the|all|some|its|their|your|our)\b"
    r"|^\W*(?:what|which) (?:two|three|four|five|six|seven|eight|nine|ten|\d+) \w+"
    r"|^\W*what (?:goes|go|belongs?|can go|can i put|should go|shouldn't go|should not go"
    r"|can't go|cannot go|must not go|is included|are included)\b"
    r"|^\W*what (?:should|do|must) (?:i|we|you) (?:need to )?(?:bring|take|wear|pack)\b"
    r"|^\W*(?:list|name)\b|\bwhat (?:kinds?|types?|sorts?|categories) of\b"
    r"|\bwhich (?:items|things|ones|services|documents|materials)\b"
    # "Which animals am I allowed ...", "What permits does the council issue ...": a plural
    # asked for, maybe after a modifier and before a place (not "days", "hours": a time).
    # "Which allotment sites does ...", "Which places in the parks are ...".
    r"|^\W*(?:on |in |at |for |from )?(?:what|which) (?:[a-z-]+ )?"
    r"(?!(?:day|hour|week|month|year|time)s\b)[a-z]{2,}[^s\W]s"
    r" (?:(?:in|at|on|of|for) (?:the |a |an |my |our )?[\w'-]+ )?"
    r"(?:are|am|is|was|were|do|does|did|can|could|will|would|must|should|may|have|has)\b"
    # duties, powers and criteria; the places a thing is banned from
    r"|\bwhat (?:is|are) (?:the |a |an )?[\w' -]+ responsible for\b"
    r"|^\W*what can (?:a|an|the) [\w' -]+ do\b|^\W*what (?:is|are) [\w' -]+ (?:judged|marked"
    r"|scored|assessed|rated) on\b|^\W*where (?:are|is) [\w' -]+ (?:banned|prohibited"
    r"|not allowed|not permitted|allowed|permitted)\b",
    re.I,
)
# "What is a heat pump?", "What are heat pumps?", "What does FOI stand for?", "Define X".
# "What does the bylaw mean by a 'shared path'?", "When does a plot count as cultivated?": the
# term, wherever the question starts.
_DEFINED_BY = re.compile(
    r"\bmean by (?:an? |the )?([^?,;]+)|\bdefines? (?:an? |the )?([^?,;]+)"
    r"|\b(?:counts?|class(?:es|ed)?|treated|regarded) as (?:an? |the )?([^?,;]+)",
    re.I,
)
_DEFINITION = re.compile(
    r"^\W*what(?:'s| is) (?:an? )(?P<a>[^?,;]+?)\W*$"
    r"|^\W*what (?:is|are) (?P<b>(?!the\b|my\b|your\b|our\b|this\b|that\b)[^?,;]+?)\W*$"
    r"|\bwhat does (?:the (?:term|word|abbreviation|acronym) )?(?P<c>.+?) (?:mean|stand for)\b"
    r"|\bwhat is meant by (?:an? |the )?(?P<d>[^?,;]+)"
    r"|\b(?:meaning|definition) of (?:an? |the )?(?P<e>[^?,;]+)|^\W*define (?:an? )?(?P<f>[^?,;]+)",
    re.I,
)
_PRONOUNS = frozenset("it this that these those they them he she".split())
MAX_TERM_WORDS = 4  # a longer "what is ..." is a question about something, not a term
_PREPOSITION = re.compile(r"\b(of|on|for|in|at|to|from|by|with|about|after|before)\b", re.I)

# What a sentence answering each kind says.
# A sentence defining a term says so ("means", "refers to"), or starts with the term and says
# what it is ("A static pitch is a fixed location", "Shared path: a path for ...").
_DEFINES = re.compile(
    r"\bmeans?\b|\bmeant\b|\brefers? to\b|\bstands? for\b|\bdefined\b|\bdefinition\b"
    r"|\bknown as\b|\b(?:is|are) called\b|\b(?:is|are) (?:any|when|where)\b",
    re.I,
)
_TERM_LED = (
    r"^\W*(?:an? |the )?[\"'‘“]?{term}[\"'’”]?s?\s*"
    r"(?:\(|:|—|–|-|covers\b|(?:is|are) (?:an?|the|any|one|when|where|used|how|what)\b)"
)
_GIVES_REASON = re.compile(
    r"\b(?:because|since|so that|so as to|in order to|due to|owing to|as a result|reasons?"
    r"|purpose|aims? to|intended to|designed to|prevents?|protects?|avoids?|helps?|ensures?"
    r"|otherwise|therefore|thus|which means|allows?|so we|so you|so it|to (?:ensure|avoid|"
    r"prevent|protect|reduce|keep|allow|help|make sure|comply|meet|save|limit|improve|support|"
    r"stop|give|let|free|cover|encourage))\b",
    re.I,
)
# A step: a sentence (or numbered item) that tells the reader what to do ("To apply, complete
# the form ...", "Email the form to ..."), or one that orders steps ("First, ...", "then ...").
# Not one that only says a thing can be done ("you can ask for an assisted collection"), nor an
# ordinal or a place ("its first 12 burials", "next to the river").
_GIVES_STEPS = re.compile(
    r"^\W*(?:\d{1,2}[.)]\s*)?(?:to \w+(?: \w+)?,\s*)?(?:(?:first|then|next|finally),?\s*)?"
    r"(?:please )?(?:complete|fill|send|submit|apply|contact|call|phone|e-?mail|visit|book|bring"
    r"|register|attach|include|return|write|tell|ask|check|make|pay|go|use|take|put|give|request"
    r"|read|sign|log|select|choose|upload|post|collect|wait|leave|keep|report|print|download"
    r"|switch|turn|press|click|open|remove|restart)\b"
    r"|\bsteps?\b|\b(?:then|finally|afterwards)\b|\b(?:first|next)\b(?=\s*,)"
    r"|(?:^\W*|\b(?:must|should|will|you|we|then)\s+)(?:first|next)\b"
    r"(?!\s+(?:to|year|week|month|day|time|meeting|season|term)\b)",
    re.I,
)
# Questions a bare name or phrase can answer ("Which park has a skate ramp?" "Riverside Park.").
_NAME_ASK = re.compile(r"^\W*(?:which|who|whom|where)\b|\bname\b|\bcalled\b", re.I)
_ENUMERATES = re.compile(r":\s*$|,.*,|\band\b.*\b(?:and|or)\b|;\s*\w")


def asked_kind(question: str) -> AskedKind | None:
    if _REASON.search(question):
        return "reason"
    if _PROCEDURE.search(question):
        return "procedure"
    if defined_term(question):
        return "definition"
    if _LIST.search(question):
        return "list"
    return None


def asks_for_name(question: str) -> bool:
    return bool(_NAME_ASK.search(question))


@lru_cache(maxsize=256)  # read once per question, asked again for every ranked sentence
def defined_term(question: str) -> str | None:
    """The term a definition question asks about: "minor works permit" of "What is a minor
    works permit?"; None when the question asks something else."""
    match = _DEFINED_BY.search(question) or _DEFINITION.search(question.strip())
    if match is None:
        return None
    term = next(group for group in match.groups() if group).strip(" '\"‘’“”")
    if len(term.split()) > MAX_TERM_WORDS or _PREPOSITION.search(term):
        return None
    if term.lower() in _PRONOUNS:
        return None  # "what does that mean?" asks what something just named means
    return term


def states_kind(kind: AskedKind, sentence: str, question: str) -> bool:
    """Whether `sentence` says what a `kind` question asks for."""
    if kind == "definition":
        term = defined_term(question) or ""
        if not _holds_term(sentence, term):
            return False
        return bool(_DEFINES.search(sentence) or _term_led(term).search(sentence))
    if kind == "reason":
        return bool(_GIVES_REASON.search(sentence))
    if kind == "procedure":
        return bool(_GIVES_STEPS.search(sentence))
    return bool(_ENUMERATES.search(sentence))


@lru_cache(maxsize=256)
def _term_led(term: str) -> re.Pattern[str]:
    return re.compile(_TERM_LED.format(term=re.escape(term)), re.I)


def _holds_term(sentence: str, term: str) -> bool:
    held = word_stems(sentence)
    return all(stem(w) in held for w in words(term) if w not in STOPWORDS)
