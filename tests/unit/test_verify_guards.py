"""Answer verification at its edges: units a passage names, the order of candidate sentences,
ties, the relevance floor, lead-ins, fragments, asked links and synonyms. Each test fails when
the check it names is removed or moved by one (the mutation run, tests/mutation.py, checks
that). Fakes only: a flat similarity, no model."""

import pytest

from rag.answer.context import Evidence, rank_evidence
from rag.answer.question import analyse
from rag.answer.spans import SourceSpan, source_spans
from rag.answer.verify import AnswerVerifier, best_support, cite, joins_as_stated
from rag.retrieve import RetrievedChunk


def _chunk(text: str, source: str = "/d/doc.md") -> RetrievedChunk:
    return RetrievedChunk("c-" + source, text, source, "doc.md", "d", None, 0, len(text), 1, 1)


def _spans(*passages: str) -> list[SourceSpan]:
    """The sentences of each passage, each passage its own chunk, in order."""
    return source_spans([_chunk(text, f"/d/{n}.md") for n, text in enumerate(passages)])


def _supported_by(sentence: str, *passages: str) -> str | None:
    best = best_support(sentence, _spans(*passages))
    return None if best is None else best[0].text


def _verifier(question: str, text: str, synonyms=None) -> AnswerVerifier:
    focus = analyse(question)
    ranked = rank_evidence(focus, [_chunk(text)], lambda q, texts: [0.5] * len(texts))
    return AnswerVerifier(focus, ranked, synonyms) if synonyms else AnswerVerifier(focus, ranked)


@pytest.mark.parametrize(
    ("sentence", "passage", "supported"),
    [
        # A unit the answer adds to a bare figure must be named by the passage, in a spelling
        # of two letters or more, or "%": a lone letter ("m" in "I'm") names nothing.
        ("The box weighs 12 kg.", "Weights are in kg.\nThe box weighs 12.", True),
        ("The discount is 8%.", "Discount (%)\nThe discount is 8.", True),
        ("The mast is 12 m high.", "I'm sure the mast is 12 high.", False),
        # An answer leaving a figure bare says less than its source, not something else.
        ("The warranty lasts 10.", "The warranty lasts 10 years.", True),
    ],
)
def test_units_an_answer_adds_must_be_named_by_its_passage(
    sentence: str, passage: str, supported: bool
) -> None:
    assert (_supported_by(sentence, passage) is not None) is supported


def test_a_sentence_that_does_not_fit_does_not_end_the_search() -> None:
    later = "The warranty lasts 10 years."
    assert _supported_by(later, "The warranty lasts 10 months.", later) == later
    named = "The Zorb K2 battery stores power."
    assert _supported_by(named, "The Zorb K7 battery stores power.", named) == named


def test_support_is_the_share_of_the_answers_words_and_the_first_best_wins() -> None:
    sentence = "The warranty lasts 10 years."
    first, second = _spans(sentence, "The warranty lasts 10 years!")
    assert best_support(sentence, [first, second]) == (first, 1.0)
    sentence = "The warranty covers batteries, inverters and cables fully."
    assert _supported_by(sentence, "The warranty is short.") is None  # 1 word of 6


def test_each_cited_sentence_is_one_citation() -> None:
    a, b = _spans("The warranty lasts 10 years. Returns take 30 days.")
    citations = {}
    first, again, second = cite(a, 1.0, citations), cite(a, 0.8, citations), cite(b, 0.9, citations)
    assert (first.id, second.id) == ("c1", "c2") and again is first
    assert (second.start, second.end, second.text) == (b.start, b.start + len(b.text), b.text)


def _evidence(span: SourceSpan, score: float, answer_like: bool = True) -> Evidence:
    return Evidence(span, span.text, 1, score, 0.5, 1.0, True, answer_like)


def test_sentences_within_the_margin_of_the_best_are_relevant_and_no_others() -> None:
    best, at_floor, below = _spans(
        "The K2 warranty lasts 10 years. The K2 weighs 114 kg. The K2 stores 13.5 kWh."
    )
    focus = analyse("Tell me about the K2.")
    ranked = [_evidence(best, 1.0), _evidence(at_floor, 0.5), _evidence(below, 0.4)]
    verifier = AnswerVerifier(focus, ranked)
    assert verifier.check("The K2 weighs 114 kg.").evidence.span is at_floor  # 1.0 - 0.5
    assert verifier.check("The K2 stores 13.5 kWh.") is None
    headings_only = AnswerVerifier(focus, [_evidence(best, 1.0, answer_like=False)])
    assert headings_only.check("The K2 warranty lasts 10 years.") is None


def test_a_verdict_is_the_sentence_it_cites_and_its_share_of_words() -> None:
    # A link is an answer only when the question asks for one.
    text = "The support website is https://help.example.com for all customers."
    verdict = _verifier("What is the support website?", text).check(text)
    assert verdict is not None and (verdict.evidence.reads, verdict.score) == (text, 1.0)


def test_a_lead_in_is_no_answer_even_with_a_trailing_space() -> None:
    verifier = _verifier("What does the kit include?", "The kit includes a charger and a cable.")
    assert verifier.check("The kit includes a charger and a cable.") is not None
    assert verifier.check("The kit includes a charger and a cable: ") is None


def test_a_short_answer_is_a_fragment_only_below_four_words_and_never_for_a_value() -> None:
    verifier = _verifier("What should I do after cleaning?", "After cleaning, restart the device.")
    assert verifier.check("Restart the device after.") is not None  # four words
    date = _verifier("When did the shop open?", "The shop opened in May after a long delay.")
    assert date.check("In May.") is not None


def test_a_synonym_the_passage_says_supports_the_word_the_answer_uses() -> None:
    def synonyms(word: str) -> frozenset[str]:
        return frozenset({"costs", "price"}) if word == "costs" else frozenset()

    passage = "Price of the K2 bracket: 180 euros."
    with_synonyms = _verifier("What does the K2 bracket cost?", passage, synonyms)
    assert with_synonyms.check("The K2 bracket costs 180 euros.") is not None
    assert (
        _verifier("What does the K2 bracket cost?", passage).check(
            "The K2 bracket costs 180 euros."
        )
        is None
    )


def test_a_name_claimed_to_be_a_thing_must_be_that_thing_in_its_source() -> None:
    text = (
        "Restoration of the chapel roof at Old Road Cemetery, which is a listed building, "
        "was completed in October."
    )
    verifier = _verifier("Which cemetery has a chapel that is a listed building?", text)
    # The same words, joined otherwise than the source joins them.
    assert verifier.check("Old Road Cemetery is the cemetery chapel.") is None
    assert verifier.check("Old Road Cemetery is a listed building.") is not None


def test_a_sentence_opening_with_a_pronoun_claims_no_name() -> None:
    assert joins_as_stated("This is a new post, created as the work grew.", "The post is new.")
    assert not joins_as_stated("Ada Pym is the Ferry Clerk.", "The Ferry Clerk thanked Ada Pym.")
