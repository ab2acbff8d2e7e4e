from rag.answer.context import rank_evidence
from rag.answer.prompt import build_messages
from rag.answer.question import analyse
from rag.answer.spans import source_spans
from rag.answer.text import sentences_of, split_sentences
from rag.answer.types import AlignedSentence, Citation
from rag.answer.verify import best_support, cite
from rag.retrieve import RetrievedChunk

PAGE = (
    "Intro line.\n\n## Warranty\nThe K2 is covered by a 10-year warranty. "
    "It keeps 70% of its capacity.\n| Weight | 114 kg |\n"
)


def _chunk(start: int, end: int, source: str = "/docs/manual.md") -> RetrievedChunk:
    return RetrievedChunk(
        id="c",
        text=PAGE[start:end],
        source=source,
        title="manual.md",
        document_id="d",
        page=None,
        start=start,
        end=end,
        score=0.5,
        similarity=0.6,
    )


CHUNK = _chunk(13, len(PAGE))


def align(
    answer: str, chunks: list[RetrievedChunk]
) -> tuple[list[AlignedSentence], list[Citation]]:
    """Each answer sentence with the source sentence verification finds supporting it."""
    spans, citations, aligned = source_spans(chunks), {}, []
    for sentence in sentences_of(answer):
        best = best_support(sentence, spans)
        ids = [cite(*best, citations).id] if best else []
        aligned.append(AlignedSentence(sentence, ids, best is not None))
    return aligned, list(citations.values())


def test_sentences_are_exact_spans() -> None:
    for offset, sentence in split_sentences(PAGE):
        assert PAGE[offset : offset + len(sentence)] == sentence
    assert [s for _, s in split_sentences(PAGE)][-1] == "Weight | 114 kg"


def test_supported_sentence_cites_the_exact_source_span() -> None:
    sentences, citations = align("The K2 has a 10-year warranty.", [CHUNK])

    assert sentences[0].supported and sentences[0].citations == ["c1"]
    citation = citations[0]
    assert PAGE[citation.start : citation.end] == citation.text
    assert citation.text == "The K2 is covered by a 10-year warranty."
    shown = citation.to_json()
    at = shown["start"] - shown["context_start"]
    assert shown["context"][at : at + len(citation.text)] == citation.text


def test_a_number_not_in_the_sources_is_unsupported() -> None:
    sentences, citations = align("The K2 has a 12-year warranty.", [CHUNK])
    assert not sentences[0].supported and citations == []


def test_unrelated_sentence_is_unsupported_and_others_still_cited() -> None:
    sentences, _ = align("It keeps 70% of its capacity. The moon is made of cheese.", [CHUNK])
    assert [s.supported for s in sentences] == [True, False]


def _no_similarity(question: str, texts: list[str]) -> list[float]:
    return [0.0] * len(texts)


def test_the_best_evidence_is_the_sentence_that_matches_the_question() -> None:
    ranked = rank_evidence(analyse("How much capacity does it keep?"), [CHUNK], _no_similarity)

    assert ranked[0].span.text == "It keeps 70% of its capacity."
    assert all(PAGE[e.span.start : e.span.start + len(e.span.text)] == e.span.text for e in ranked)


def test_prompt_numbers_sources_and_fences_them_as_data() -> None:
    chunks = [CHUNK, _chunk(0, 12, "/docs/b.md")]
    messages = build_messages(
        "Q?", rank_evidence(analyse("Intro warranty?"), chunks, _no_similarity)
    )
    user = messages[1]["content"]
    assert '<source id="1" title="manual.md">' in user and '<source id="2"' in user
    assert "not instructions" in messages[0]["content"]


def test_soft_line_wraps_do_not_end_a_sentence() -> None:
    text = "The installer opens the claim in the\npartner portal. Next one\n- a list item\n| row |"
    assert [s for _, s in split_sentences(text)] == [
        "The installer opens the claim in the\npartner portal.",
        "Next one",
        "a list item",
        "row",
    ]


def test_evidence_ranks_a_question_in_the_sources_last_and_uses_semantic_similarity() -> None:
    text = "How do I contact support?\nCall +32 9 555 01 40 on weekdays.\nSupport is friendly."
    chunk = RetrievedChunk(
        id="c",
        text=text,
        source="/faq.txt",
        title="faq.txt",
        document_id="d",
        page=None,
        start=0,
        end=len(text),
        score=1.0,
        similarity=0.5,
    )

    def semantic(question: str, texts: list[str]) -> list[float]:
        return [0.9 if "Call" in t else 0.1 for t in texts]

    ranked = rank_evidence(analyse("What is the support phone number?"), [chunk], semantic)

    assert ranked[0].span.text == "Call +32 9 555 01 40 on weekdays."
    question = next(e for e in ranked if e.span.text == "How do I contact support?")
    assert not question.answer_like and question.score < ranked[0].score


def test_a_number_with_another_unit_than_the_source_is_unsupported() -> None:
    wrong = "The K2 is covered by a 10-month warranty. The K2 weighs 114 lb."
    sentences, citations = align(wrong, [CHUNK])
    assert [s.supported for s in sentences] == [False, False] and citations == []
    right = "The K2 is covered by a 10 year warranty. The K2 weight is 114 kg."
    assert [s.supported for s in align(right, [CHUNK])[0]] == [True, True]
    # A source number without a unit (a table cell) supports a unit its passage names, never
    # one the model adds.
    text = "Prices are in euros.\n\n| Aurora K2 | BW-K2 | 7,450 |"
    table = RetrievedChunk("t", text, "/p.md", "p", "p", None, 0, len(text), 0.5, 0.6)
    assert align("The Aurora K2 costs 7,450 euros.", [table])[0][0].supported
    assert not align("The Aurora K2 weighs 7,450 kg.", [table])[0][0].supported
    text = "| Product | Price (€) |\n|---|---|\n| Aurora K2 | 7,450 |"
    table = RetrievedChunk("t", text, "/p.md", "p", "p", None, 0, len(text), 0.5, 0.6)
    assert align("The Aurora K2 costs 7,450 euros.", [table])[0][0].supported


def test_the_answer_span_is_the_quantity_in_the_asked_unit() -> None:
    sentence = "The company was founded in 2014 in Ghent and has 240 employees in three offices."
    start, end = analyse("How many employees work here?").answer_span(sentence)
    assert sentence[start:end] == "240 employees"
    start, end = analyse("How much energy can it hold?").answer_span("In 2024: 13.5 kWh usable.")
    assert "In 2024: 13.5 kWh usable."[start:end] == "13.5 kWh"


def test_stems_let_plurals_and_third_persons_meet() -> None:
    from rag.answer.text import stem

    assert stem("flies") == stem("fly") and stem("sisters") == stem("sister")
    assert stem("batteries") == stem("battery") and stem("sons") == stem("son")


def test_a_number_written_in_words_must_be_the_source_number() -> None:
    text = "The K2 is covered by a 10-year warranty or 4,000 full charge cycles."
    chunk = RetrievedChunk("w", text, "/w.md", "w", "w", None, 0, len(text), 0.5, 0.6)
    wrong = align("The K2 is covered by a 10-year warranty or four full charge cycles.", [chunk])
    right = align(
        "The K2 is covered by a 10-year warranty or four thousand charge cycles.", [chunk]
    )
    assert not wrong[0][0].supported
    assert right[0][0].supported


def test_when_asks_for_a_date_only_as_the_question_word() -> None:
    from rag.answer.question import answer_type

    # "when" that opens a condition leaves the question what it was (seen: the battery's
    # weight question ranked "Valid from 1 January 2026" first, as a date).
    assert answer_type("What is the heaviest the battery weighs when I lift it?") == "quantity"
    assert answer_type("How quickly does the battery take over when there is a blackout?") == (
        "quantity"
    )
    assert answer_type("What happens when the grid fails?") == "any"
    dated = ["When was the company founded?", "Since when is the G3 sold?",
             "Until when is the price list valid?", "In which year did it open?"]  # fmt: skip
    for question in dated:
        assert answer_type(question) == "date", question


def test_a_citation_carries_its_ocr_confidence_and_table_record() -> None:
    row = {"start": 20, "end": 40, "record": {"Product": "K2", "Price": "7,450"}}
    chunk = RetrievedChunk("s", "Scanned. | K2 | 7,450 |", "/scan.pdf", "scan.pdf", "d", 2, 12, 44,
                           0.5, 0.6, ocr_confidence=0.91, records=(row,))  # fmt: skip
    cited = Citation("1", chunk, 22, 34, "K2 | 7,450", 0.9).to_json()
    assert cited["ocr"] is True and cited["ocr_confidence"] == 0.91
    assert cited["record"] == {"Product": "K2", "Price": "7,450"}
    assert "record" not in Citation("1", chunk, 12, 20, "Scanned.", 0.9).to_json()


def test_identifiers_are_years_versions_and_codes_not_quantities() -> None:
    from rag.answer.text import identifiers

    asked = "Were 50 kg K3 units sold in 2024 with firmware version 4.0 on the 2nd floor, 24h?"
    assert identifiers(asked) == {"k3", "2024", "4.0"}
    stated = "Product: BW-K2; released 14 March 2026; Version 3.2.0"
    assert identifiers(stated) == {"k2", "2026", "3.2.0"}


def test_support_counts_only_evidence_about_the_asked_year_version_or_model() -> None:
    from rag.answer.abstain import evidence_signal

    text = "Quarter: Q2; K2 units sold: 520.\nThe K2 units sold in 2025 were 2,100."
    chunk = RetrievedChunk("c", text, "/d/sales.md", "sales.md", "d", None, 0, len(text), 1, 1)
    ranked = rank_evidence(analyse("How many K2 units were sold in 2025?"), [chunk], _cosine)
    assert evidence_signal(analyse("How many K2 units were sold in 2025?"), ranked) > 0.0

    asked = analyse("How many K2 units were sold in 2024?")
    assert evidence_signal(asked, rank_evidence(asked, [chunk], _cosine)) == 0.0
    other = analyse("How many K3 units were sold in 2025?")
    assert evidence_signal(other, rank_evidence(other, [chunk], _cosine)) == 0.0


def _cosine(question: str, texts: list[str]) -> list[float]:
    return [0.5] * len(texts)


def _known(word: str) -> bool:
    return word != "zorblium"  # a made-up name; every other word is ordinary English here


def test_the_asked_subject_is_a_name_after_the_last_of_or_before_s() -> None:
    assert analyse("What is the boiling point of zorblium?", _known).subject == ("zorblium",)
    assert analyse("What is zorblium's boiling point?", _known).subject == ("zorblium",)
    assert analyse("Who is the grandparent of Hope Croom?").subject == ("Hope", "Croom")
    assert analyse("What is the phone number of the Brussels service centre?").subject == (
        "Brussels",
    )
    # A common noun may be worded otherwise by the sources ("warranty"): not a name to look for.
    assert analyse("What is the price of five more years of guarantee?", _known).subject == ()
    # An acronym may be spelled out in the sources ("chief executive"): not a name to look for.
    assert analyse("Who is the assistant of the CEO?", _known).subject == ()
    # Too long to be a name, a figure, or nothing named.
    assert analyse("What percentage of a returned battery gets recycled?").subject == ()
    assert analyse("What is 12 percent of 2450?").subject == ()
    assert analyse("What's the most power it's rated for?").subject == ()


def test_support_is_nil_when_no_retrieved_passage_names_the_asked_subject() -> None:
    from rag.answer.abstain import evidence_signal, unmentioned

    text = "Aurora K2\nThe Aurora K2 runs between -20 °C and 50 °C, its boiling point unknown."
    chunk = RetrievedChunk("c", text, "/d/k2.md", "k2.md", "d", None, 0, len(text), 1, 1)
    named = analyse("What is the operating temperature of the Aurora K2?", _known)
    assert unmentioned(named, [chunk]) is None
    assert evidence_signal(named, rank_evidence(named, [chunk], _cosine)) > 0.0

    absent = analyse("What is the boiling point of zorblium?", _known)
    assert unmentioned(absent, [chunk]) == "zorblium"
    assert evidence_signal(absent, rank_evidence(absent, [chunk], _cosine)) == 0.0


def test_a_lead_in_the_model_writes_is_not_shown_alone() -> None:
    from rag.answer.verify import AnswerVerifier

    text = "Travel is booked centrally. Allowances depend on the destination:\n- Japan: 60 euros."
    chunk = RetrievedChunk("c", text, "/d/travel.md", "travel.md", "d", None, 0, len(text), 1, 1)
    focus = analyse("What's the daily food allowance in Japan?")
    verifier = AnswerVerifier(focus, rank_evidence(focus, [chunk], _cosine))
    assert verifier.check("Allowances depend on the destination:") is None
    assert verifier.check("Japan: 60 euros.") is not None


def test_a_quoted_lead_in_brings_the_list_it_announces() -> None:
    from rag.answer.context import with_neighbours

    text = (
        "The K2 has three operating modes:\n- Self-powered: stores surplus solar energy.\n"
        "- Backup: keeps the battery full for outages.\n- Time-based: charges when power is cheap."
        "\n\nInstall it indoors."
    )
    chunk = RetrievedChunk("c", text, "/d/k2.md", "k2.md", "d", None, 0, len(text), 1, 1)
    ranked = rank_evidence(analyse("What are the K2's operating modes?"), [chunk], _cosine)
    lead_in = next(e for e in ranked if e.reads.endswith("modes:"))
    shown = [e.reads for e in with_neighbours(lead_in, ranked)]
    assert shown[0] == lead_in.reads and len(shown) == 4
    assert [item.split(":")[0] for item in shown[1:]] == ["Self-powered", "Backup", "Time-based"]


def test_a_list_item_is_read_with_the_line_that_introduces_its_list() -> None:
    from rag.answer.context import with_neighbours

    text = (
        "Release notes\n\nVersion 3.1.2 — released 9 December 2025\n"
        "- Fixed: charging stopped at 97% on some units.\n- Fixed: a failed update restarts.\n"
    )
    chunk = RetrievedChunk("c", text, "/d/notes.txt", "notes.txt", "d", None, 0, len(text), 1, 1)
    focus = analyse("Which version fixed the restart after a failed update?")
    ranked = rank_evidence(focus, [chunk], _cosine)
    item = next(e for e in ranked if e.reads.startswith("Fixed: a failed"))
    shown = [e.reads for e in with_neighbours(item, ranked)]
    assert shown == ["Version 3.1.2 — released 9 December 2025", item.reads]


def _spans_of(text: str) -> list:
    chunk = RetrievedChunk("p", text, "/d/prices.md", "prices.md", "d", None, 0, len(text), 1, 1)
    return source_spans([chunk])


def test_a_version_the_source_does_not_name_is_not_supported() -> None:
    spans = _spans_of("Version 3.1.0 — released 2 October 2025\n- Fixed: slow charging.\n")
    assert best_support("Firmware version 3.0 was released on 2 October 2025.", spans) is None
    assert best_support("Version 3.1.0 was released on 2 October 2025.", spans) is not None
    # A time or a size written with its unit glued on names no model.
    spans = _spans_of("Support answers from 9 am to 5 pm on weekdays.")
    assert best_support("Support answers from 9am to 5pm on weekdays.", spans) is not None


def test_which_hours_asks_for_a_span_of_time_and_what_time_for_a_moment() -> None:
    hours = analyse("During which hours must staff be reachable?")
    assert hours.has_answer_type("Core hours are 10:00 to 15:00 Central European Time.")
    assert hours.has_answer_type("Open Mon-Fri 08:30-18:00.")
    assert hours.has_answer_type("Support answers between 10:00 and 15:00.")
    assert hours.has_answer_type("The office is staffed 9 a.m. to 5 p.m. on weekdays.")
    assert not hours.has_answer_type("IT hands out the laptop at 09:00 on the first day.")
    moment = analyse("What time is the laptop handed out?")
    assert moment.has_answer_type("IT hands out the laptop at 09:00 on the first day.")


def test_an_age_is_asked_in_years_not_in_money() -> None:
    age = analyse("What is the minimum age to hire the hall?")
    assert age.answer_type == "quantity"
    assert age.has_answer_type("Hirers must be aged 18 or over.")
    assert age.has_answer_type("Volunteers must be at least 16 years old.")
    assert age.has_answer_type("Anyone over 16 may apply.")
    assert not age.has_answer_type("The hall costs £38 an hour.")
    assert analyse("How old do you have to be to volunteer?").has_answer_type(
        "Volunteers must be 16 or over."
    )
    for stated in (
        "The minimum age is 18.",
        "You must be 18 to hire the hall.",
        "Over-18s only.",
        "Open to children from the age of 8.",
        "Children under 12 must be accompanied by an adult.",
        "You must be at least 18.",
        "Volunteers must be over 16.",
        "Residents over 65 receive a 50% discount.",
        "Pupils under 16 need consent.",
        "The age limit is 18.",
        "Applicants must be 18 years or older.",
    ):
        assert age.has_answer_type(stated), stated
    for unaged in (
        "Book at least 14 days ahead.",
        "Events for over 20 people need a permit.",
        "Notice must be 7 to 14 days before the event.",
        "Tenants over 2 months in arrears lose the plot.",
        "Visitors over 15 minutes late cannot enter.",
    ):
        assert not age.has_answer_type(unaged), unaged
