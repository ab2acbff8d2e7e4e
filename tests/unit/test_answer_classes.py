"""The failure classes a person met (issue 33), each as the mechanism that closes it: what the
question names, answer kinds beyond a value, lists, table rows as sentences, claims the sources
never make, and paraphrase. Fakes only: no model, a constant similarity."""

import dataclasses

from rag.answer.abstain import unmentioned
from rag.answer.asks import states_kind
from rag.answer.context import Evidence, rank_evidence, read_on, runner_up
from rag.answer.lists import best_list, whole_list
from rag.answer.question import analyse, answer_type
from rag.answer.rows import row_sentence
from rag.answer.verify import AnswerVerifier
from rag.retrieve import RetrievedChunk


def _chunk(text: str, source: str = "/d/doc.md", title: str = "doc.md") -> RetrievedChunk:
    return RetrievedChunk("c-" + source, text, source, title, "d", None, 0, len(text), 1, 1)


def _flat(question: str, texts: list[str]) -> list[float]:
    return [0.5] * len(texts)


def _ranked(question: str, *chunks: RetrievedChunk, synonyms=None) -> list[Evidence]:
    focus = analyse(question, synonyms=synonyms) if synonyms else analyse(question)
    return rank_evidence(focus, list(chunks), _flat)


def _verifier(question: str, *chunks: RetrievedChunk) -> AnswerVerifier:
    """The verifier of a model's sentences for `question` over `chunks`."""
    focus = analyse(question)
    return AnswerVerifier(focus, rank_evidence(focus, list(chunks), _flat))


ERRORS = _chunk(
    "Error codes\nCode: E01; Meaning: Battery too hot, let it cool down.\n"
    "Code: E02; Meaning: Grid voltage out of range.\n"
    "Code: E04; Meaning: Communication with the inverter lost.\n"
)


def test_a_row_naming_a_sibling_code_is_never_the_answer() -> None:
    # "My battery shows E04" was answered with the E01 row.
    ranked = _ranked("My battery shows E04, what does that mean?", ERRORS)
    best = next(e for e in ranked if e.answer_like)
    assert "E04" in best.reads
    assert not any(e.answer_like for e in ranked if "E01" in e.reads or "E02" in e.reads)


def test_a_code_no_passage_names_is_not_mentioned() -> None:
    focus = analyse("What does error E07 mean?")
    assert unmentioned(focus, [ERRORS]) == "E07"  # as the question writes it
    assert unmentioned(analyse("What does error E04 mean?"), [ERRORS]) is None


def test_the_pronoun_i_is_no_part_of_a_name() -> None:
    # "Once I've been offered an allotment, ..." abstained: "The documents do not mention
    # once i've."
    offer = _chunk("You have 14 days to accept or decline the offer of a plot.")
    focus = analyse("Once I've been offered an allotment, how long have I got to decide?")
    assert not focus.names
    assert unmentioned(focus, [offer]) is None


def test_a_financial_year_is_named_whole() -> None:
    # "What was the Parks budget in 2024-25?" was answered from a bylaw made in March 2024.
    from rag.answer.text import identifiers

    assert identifiers("the 2024-25 budget, not 2025/26 or 2026–2027") >= {
        "2024-25",
        "2025-26",
        "2026-27",
    }
    budget = _chunk("Budget 2025-26\nParks & Open Spaces: £212,000.")
    bylaw = _chunk("This bylaw was made on 19 March 2024.", "/d/bylaw.md", "bylaw.md")
    focus = analyse("What was the Parks & Open Spaces budget in 2024-25?")
    assert unmentioned(focus, [budget, bylaw]) == "2024-25"
    assert unmentioned(analyse("What is the Parks budget in 2025/26?"), [budget]) is None


def test_one_of_a_lettered_series_is_named_like_a_code() -> None:
    zones = _chunk(
        "Zone A: Monday. Zone B: Tuesday. Zone C: Wednesday. Zone D: Thursday.\n"
        "Food waste collections start on 6 April 2026."
    )
    zone_e = analyse("When do food waste collections start in Zone E?")
    assert unmentioned(zone_e, [zones]) == "Zone E"
    assert unmentioned(analyse("Which day is Zone C collected?"), [zones]) is None
    options = _chunk("Option B: 30 minutes free, then £1.50 an hour.\nOption C: permits at £55.")
    ranked = _ranked("Under Option B, what would an hour cost?", options)
    assert [e.reads for e in ranked if e.answer_like] == [
        "Option B: 30 minutes free, then £1.50 an hour."
    ]
    assert analyse("Can I park here? Is A the answer?").identifiers == frozenset()


def test_a_passage_not_naming_the_asked_thing_ranks_below_one_that_does() -> None:
    k2 = _chunk("The warranty lasts 10 years from installation.", "/d/k2.md", "Aurora K2 manual")
    k3 = _chunk("The Aurora K3 warranty lasts 12 years.", "/d/road.md", "roadmap")
    ranked = _ranked("How long is the warranty on the Aurora K3?", k2, k3)
    assert ranked[0].span.chunk is k3


def test_a_sibling_name_sharing_the_head_word_is_not_the_answer() -> None:
    parks = _chunk("Oakfield Park opens at 07:00. Riverside Park opens at 08:30.")
    ranked = _ranked("When does Riverside Park open?", parks)
    assert [e.reads for e in ranked if e.answer_like] == ["Riverside Park opens at 08:30."]


def test_another_member_of_a_closed_family_of_modifiers_is_a_sibling() -> None:
    from rag.answer.holidays import with_holiday_dates

    permits = _chunk(
        "Permit: £55 a year for the first vehicle, £85 for a second vehicle. "
        "Visitors may park for up to 2 hours."
    )
    ranked = _ranked("How much is a residents' permit for a third car?", permits)
    assert not any(e.answer_like for e in ranked if "vehicle" in e.reads)
    for question, sibling in (
        ("How many litres do the purple sacks hold?", "The blue bin holds 240 litres."),
        ("How much is a daily consent?", "An annual consent costs £620."),
        ("When does the splash pad open in summer?", "In winter it opens at 10am."),
        ("What time does the Saturday market open?", "On Fridays it opens at 8am."),
    ):
        assert analyse(question).names.sibling_in(sibling), question
    for question, same in (
        ("How many litres does the blue bin hold?", "The Blue bin holds 240 litres."),
        ("What do second bins cost?", "£52 for the first bin, £40 for a second bin."),
        ("What time does the Saturday market open?", "On Saturdays it opens at 8am."),
        # a colour inside a capitalised name is no colour; "may" is the verb
        ("When is the green bin emptied?", "Hollins Green opens at 8am."),
        ("What happens in March?", "The Council may prosecute."),
        # a measure asked, a range of days, a date: no modifier of another thing
        ("How long is the boardwalk?", "A short walk away, the boardwalk is 400 metres."),
        ("Is the library open on Wednesday?", "The library is open Monday to Friday."),
        ("Is it open on Boxing Day?", "Closed on 25 and 26 December and 1 January."),
    ):
        assert not analyse(with_holiday_dates(question)).names.sibling_in(same), question


def test_a_reference_of_the_same_shape_is_a_sibling() -> None:
    from rag.answer.text import identifiers

    assert identifiers("Job KTC/26/04, item PI-26-09, site KES-07.") == {
        "ktc/26/04",
        "pi-26-09",
        "kes-07",
    }
    asked = analyse("What job was advertised under reference KTC/26/04?")
    assert asked.names.sibling_in("KTC/26/03: Parks Apprentice, closing 9 January.")
    assert not asked.names.sibling_in("KTC/26/04: Finance Assistant.")
    assert analyse("what job is ktc/26/04?").identifiers == {"ktc/26/04"}


def test_a_document_titled_with_another_year_answers_only_where_it_names_the_asked_one() -> None:
    report = _chunk(
        "We carried out 1,318 bulky waste collections. "
        "Contamination was 11.4% in 2025 against 9.8% in 2024 for the same quarter.",
        "/d/annual_report_2025.pdf",
        "annual_report_2025.pdf",
    )
    ranked = _ranked("How many bulky waste collections were there in 2024?", report)
    assert not any(e.answer_like for e in ranked if "bulky" in e.reads)
    assert any(e.answer_like for e in ranked if "9.8%" in e.reads)
    # a date in a title says when it was written, not what it is about
    minutes = _chunk(
        "The Castle Ward grant was refused.", "/d/minutes.docx", "minutes_2026-02-03.docx"
    )
    ranked = _ranked("Why was the Castle Ward grant refused in 2025?", minutes)
    assert all(e.answer_like for e in ranked)
    minutes = _chunk("The Castle Ward grant was refused.", "/d/m.docx", "minutes_2026_02_03.docx")
    assert all(
        e.answer_like for e in _ranked("Why was the Castle Ward grant refused in 2025?", minutes)
    )
    # only a sibling year or code in a title counts: a daily permit is in the annual charges
    charges = _chunk("A daily parking permit costs £5.", "/d/c.pdf", "annual_parking_charges.pdf")
    assert all(e.answer_like for e in _ranked("How much is a daily parking permit?", charges))


def test_a_claim_copied_from_the_question_that_no_passage_makes_is_unsupported() -> None:
    # "Brightwater Labs is the CEO of BrightWater." passed verification.
    about = _chunk("Brightwater Labs was founded in 2014 by Ines Maes and Tom Claes in Ghent.")
    verifier = _verifier("Who is the CEO of Brightwater?", about)
    assert verifier.check("Brightwater Labs is the CEO of Brightwater Labs.") is None
    verifier = _verifier("Who founded Brightwater?", about)
    assert verifier.check("Brightwater Labs was founded by Ines Maes and Tom Claes.") is not None


def test_a_heading_like_fragment_is_no_answer_unless_a_name_is_asked() -> None:
    text = "Qwen 2.5 Instruct\nQwen 2.5 Instruct reads a context of 128K tokens."
    verifier = _verifier("What is the context window of Qwen 2.5?", _chunk(text))
    assert verifier.check("Qwen 2.5 Instruct") is None
    assert verifier.check("Qwen 2.5 Instruct reads a context of 128K tokens.") is not None
    verifier = _verifier("Which model reads a context of 128K tokens?", _chunk(text))
    assert verifier.check("Qwen 2.5 Instruct.") is not None


def test_a_plural_asked_for_after_its_modifiers_asks_for_a_list() -> None:
    assert answer_type("Which tree species are going to replace the ash trees?") == "list"
    assert answer_type("Which places in the parks are off limits to dogs?") == "list"
    assert answer_type("On which paths in the parks am I allowed to ride a bike?") == "list"
    assert answer_type("Which allotment sites does the council run?") == "list"
    assert answer_type("What shouldn't go in the food caddy?") == "list"
    assert answer_type("What should I bring along to a task day?") == "list"
    assert answer_type("Which bus goes to the station?") == "any"
    assert answer_type("What address is the Guildhall at?") == "any"


def test_duties_powers_criteria_and_banned_places_ask_for_a_list() -> None:
    assert answer_type("Which members were present at the May meeting?") == "list"
    assert answer_type("Which jobs does the works team do in winter?") == "list"
    assert answer_type("What do I need to bring to the open day?") == "list"
    assert answer_type("Where are barbecues banned in the parks?") == "list"
    assert answer_type("What is the licensing committee responsible for?") == "list"
    assert answer_type("What can a warden do to someone dropping litter?") == "list"
    assert answer_type("What are show entries judged on?") == "list"
    assert answer_type("What is the skip permit for?") == "reason"
    assert answer_type("Where is the cemetery office?") == "any"
    assert answer_type("Which member was absent?") == "any"
    assert answer_type("Which days is the tip shut in winter?") != "list"


def test_steps_asked_after_a_first_sentence_or_in_the_passive_ask_for_a_procedure() -> None:
    assert answer_type("I'd like an allotment. How do I go about getting one?") == "procedure"
    assert answer_type("How is a burial at Ashgrove Cemetery arranged?") == "procedure"
    assert answer_type("What's the process for applying for a Major Grant?") == "procedure"
    assert answer_type("How is the park looked after?") == "any"
    assert answer_type("How does our club apply for a community grant?") == "procedure"
    assert answer_type("What happens step by step if my plot is neglected?") == "procedure"
    assert answer_type("How and when should I put my bins out?") == "procedure"
    assert answer_type("How does the heat pump work?") == "any"


def test_steps_asked_in_other_words_ask_for_a_procedure() -> None:
    assert answer_type("Can you walk me through booking a bulky waste pick-up?") == "procedure"
    assert answer_type("What's involved in arranging a burial at Ashgrove?") == "procedure"
    assert answer_type("What's the right way to put my bins out?") == "procedure"
    assert answer_type("What do I need to sort out before walking dogs there?") == "procedure"
    assert answer_type("How does a skip permit get applied for?") == "procedure"
    assert answer_type("What's involved?") == "any"  # nothing named to do
    assert answer_type("Which way to the station?") == "any"


def test_what_counts_or_is_classed_as_something_asks_for_a_definition() -> None:
    assert answer_type("When does an allotment count as cultivated?") == "definition"
    assert answer_type("For permit decision times, what counts as a working day?") == "definition"
    assert answer_type("What does the parks bylaw class as a drone?") == "definition"
    focus = analyse("When does an allotment count as cultivated?")
    assert focus.has_answer_type(
        "Cultivated means that the ground is dug, planted, sown and kept free of weeds."
    )
    assert not focus.has_answer_type("At least 75% of your plot must be cultivated at all times.")


def test_a_line_in_capitals_is_a_heading() -> None:
    text = (
        "KESTRELFORD TOWN COUNCIL\nPARKS AND OPEN SPACES BYLAW 2019\n\n"
        "FC/26/07  TOWN CENTRE PARKING CONSULTATION\n"
        "5.2 An authorised officer may offer a fixed penalty of £75."
    )
    ranked = _ranked("What was the fixed penalty under the 2019 parks bylaw?", _chunk(text))
    assert [e.span.text for e in ranked if e.answer_like] == [
        "5.2 An authorised officer may offer a fixed penalty of £75."
    ]


def test_a_committee_or_a_place_is_not_a_person() -> None:
    focus = analyse("Who chairs the Planning and Environment Committee?")
    assert not focus.has_answer_type("The Council has the Finance and Resources Committee.")
    assert not focus.has_answer_type("It meets at the Corn Exchange on Mill Lane.")
    assert focus.has_answer_type("Chair: Cllr Rosalind Achterberg")
    assert focus.has_answer_type("Reports to: Declan Furrow, Parks and Open Spaces Manager")
    assert not focus.has_answer_type("7.7 The Staffing Sub-Committee has 3 members.")
    # a table row's thing, named by the kind its column says: "Grant: Small Grant"
    assert not focus.has_answer_type("Grant: Small Grant; Who decides: the Chair")
    assert focus.has_answer_type("Present: Cllr Marcus Fenwick-Hale (Vice-Chair).")


def test_a_who_question_prefers_a_sentence_naming_a_person() -> None:
    rules = _chunk(
        "7.2 The Planning and Environment Committee has 7 members.", "/d/orders.md", "orders.md"
    )
    minutes = _chunk(
        "Present: Cllr Rosalind Achterberg (Chair), Cllr Dev Malhotra.",
        "/d/planning_minutes.md",
        "planning_minutes.md",
    )
    ranked = _ranked("Who chairs the Planning and Environment Committee?", rules, minutes)
    assert ranked[0].reads.startswith("Present:")


def test_a_duration_may_have_a_word_before_its_unit() -> None:
    focus = analyse("If my bin is missed, how long have I got to report it?")
    assert focus.has_answer_type("Report it within 2 working days of your collection day.")
    assert focus.has_answer_type("Notice is three clear days.")


def test_kinds_beyond_a_value_are_read_from_the_question() -> None:
    assert answer_type("What is a minor works permit?") == "definition"
    assert answer_type("What does FOI stand for?") == "definition"
    assert answer_type("Why was the footbridge closed?") == "reason"
    assert answer_type("How do I apply for a parking permit?") == "procedure"
    assert answer_type("What are the items accepted in the green bin?") == "list"
    assert answer_type("Which animals am I allowed to keep on an allotment?") == "list"
    assert answer_type("What permits does the council issue?") == "list"
    assert answer_type("What goes in the blue bin?") == "list"
    assert answer_type("What class is the K2 in?") == "any"
    # Attributes and amounts are not definitions.
    assert answer_type("What is the warranty on the Aurora K3?") == "any"
    assert answer_type("How do I know how much it costs?") == "quantity"


def test_a_definition_is_the_sentence_defining_the_asked_term() -> None:
    text = (
        "An open-weight model publishes its weights for anyone to download. "
        "A closed model means one whose weights stay with its maker. "
        "Closed models are common in industry."
    )
    ranked = _ranked("What is a closed model?", _chunk(text))
    typed = [e.reads for e in ranked if e.typed]
    assert typed == ["A closed model means one whose weights stay with its maker."]


def test_a_reason_is_a_sentence_giving_a_cause() -> None:
    text = (
        "The footbridge was closed on 3 March. "
        "The footbridge was closed because inspectors found corroded bolts in its main span."
    )
    ranked = _ranked("Why was the footbridge closed?", _chunk(text))
    assert ranked[0].reads.startswith("The footbridge was closed because")
    assert not ranked[1].typed


def test_a_list_question_gathers_every_item_with_its_lead_line() -> None:
    text = (
        "Your first week\nWhat happens in your first week:\n- Monday: laptop and badge.\n"
        "- Tuesday: security training.\n- Wednesday: meet your team.\n\nQuestions go to HR."
    )
    ranked = _ranked("What's planned for my first week?", _chunk(text))
    tuesday = next(e for e in ranked if e.reads.startswith("Tuesday"))
    shown = [e.reads for e in whole_list(tuesday, ranked) or []]
    assert shown == [
        "What happens in your first week:",
        "Monday: laptop and badge.",
        "Tuesday: security training.",
        "Wednesday: meet your team.",
    ]


def test_a_best_sentence_listing_what_is_not_so_is_the_list() -> None:
    text = (
        "All food waste can go in your caddy, including:\n- Meat and fish\n- Bread\n\n"
        "Not in the caddy: liquids such as milk, packaging of any kind, or pet waste."
    )
    ranked = _ranked("What shouldn't go in the food caddy?", _chunk(text))
    assert [e.reads for e in best_list(ranked, negated=True) or []] == [
        "Not in the caddy: liquids such as milk, packaging of any kind, or pet waste."
    ]
    listed = best_list(_ranked("What goes in the food caddy?", _chunk(text))) or []
    assert [e.reads for e in listed][1:] == ["Meat and fish", "Bread"]


def test_a_best_sentence_announcing_the_items_after_a_colon_is_the_list() -> None:
    text = (
        "Three options will be put to the public: Option A (first hour free), Option B (30 "
        "minutes free) and Option C (a permit zone).\nOption C:\n- Car parks stay free\n"
        "- Permits cost £55"
    )
    ranked = _ranked("What are the three options in the parking consultation?", _chunk(text))
    assert [e.reads[:18] for e in best_list(ranked) or []] == ["Three options will"]
    # a sentence saying what is not so is no list for a question that does not ask it
    streets = "Not in the scheme: Market Row, Church Lane, or Castle Hill.\nIn it:\n- Mill Lane"
    ranked = _ranked("Which streets are in the scheme?", _chunk(streets))
    assert "Mill Lane" in [e.reads for e in best_list(ranked) or []]
    # what is not so, said in passing and not announced after a colon, lists nothing
    passing = (
        "Trading must be managed so that pavements stay passable, neighbours are not disturbed, "
        "and traders compete fairly.\nThe following are prohibited streets:\n(a) High Street;"
    )
    ranked = _ranked("Which streets are street traders not allowed to trade on?", _chunk(passing))
    assert "High Street;" in [e.reads[-12:] for e in best_list(ranked, negated=True) or []]


def test_keeping_something_out_asks_what_is_not_so() -> None:
    assert analyse("What kinds of things must I keep out of the food caddy?").negated
    assert analyse("Which items should I leave out of the blue bin?").negated
    assert not analyse("What can I put in the food caddy?").negated


def test_words_that_only_begin_like_a_ban_or_an_exclusion_negate_nothing() -> None:
    assert not analyse("How much is the exclusive right of burial for a full grave?").negated
    assert not analyse("When does the brass band play at the bandstand?").negated
    assert not analyse("How much was in the business bank account?").negated
    assert analyse("Where are dogs banned in the parks?").negated
    assert analyse("Which items are excluded from the grants?").negated
    assert analyse("What is the exclusion zone for dogs?").negated
    assert not analyse("What counts as exceptional circumstances?").negated
    assert analyse("Which days is it open, except Sunday?").negated


def test_a_table_row_is_no_list_for_a_list_question() -> None:
    table = "| Facility | Monday | Tuesday |\n| --- | --- | --- |\n| Quarry Lane tip | 8-6 | 8-6 |"
    ranked = _ranked("What sorts of things can I take to the Quarry Lane tip?", _chunk(table))
    assert not any(e.typed for e in ranked)
    ranked = _ranked("When is the Quarry Lane tip open on Monday?", _chunk(table))
    assert all(e.typed for e in ranked)
    record = _chunk("Facility: Quarry Lane tip; Monday: 08:00-18:00; Tuesday: Closed", "/d/h.csv")
    ranked = _ranked("What sorts of things can I take to the Quarry Lane tip?", record)
    assert not any(e.typed for e in ranked)
    assert best_list(ranked) is None  # nor a list named inline


def test_a_list_announced_later_in_the_best_sentences_paragraph_is_the_list() -> None:
    text = (
        "The recycling centre is on Quarry Lane. It is for residents only. Items accepted "
        "include:\n\n- Garden waste\n- Paint\n\nVans need a permit."
    )
    days = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Easter".split()
    hours = _chunk(
        " ".join(f"The Quarry Lane recycling centre opens at 8am on {d}." for d in days),
        "/d/hours.md",
    )
    question = "What can I take to the Quarry Lane recycling centre?"
    ranked = _ranked(question, _chunk(text), hours)
    assert "Items accepted include:" not in [e.reads for e in ranked[:10]]
    assert [e.reads for e in best_list(ranked) or []] == [
        "The recycling centre is on Quarry Lane.",
        "Items accepted include:",
        "Garden waste",
        "Paint",
    ]
    apart = "The recycling centre is on Quarry Lane.\n\nVans need:\n- a permit\n- a form"
    assert best_list(_ranked(question, _chunk(apart), hours)) is None


def test_lines_marked_step_1_step_2_are_the_steps() -> None:
    text = (
        "6.1 To apply for a street trading consent:\n\n  Step 1. Complete application form ST1."
        "\n  Step 2. Attach a colour photograph of the stall.\n  Step 3. Pay the fee.\n\n"
        "6.2 The Council consults the police."
    )
    ranked = _ranked("How do I apply for a street trading consent?", _chunk(text))
    photograph = next(e for e in ranked if "photograph" in e.reads)
    listed = [e.reads for e in whole_list(photograph, ranked) or []]
    assert listed[0].endswith("consent:")
    assert listed[1:] == [
        "Complete application form ST1.",
        "Attach a colour photograph of the stall.",
        "Pay the fee.",
    ]


def test_lettered_and_roman_numbered_lines_are_list_items() -> None:
    text = (
        "3.2 The following are prohibited streets:\n\n  (a) High Street;\n  (b) Castle Hill;\n"
        "  (c) Church Lane.\n\nResolved that:\n(i) the budget be approved;\n(ii) the fee rise."
    )
    ranked = _ranked("Which streets are street traders not allowed on?", _chunk(text))
    listed = [e.reads for e in best_list(ranked) or []]
    assert listed[0].endswith("prohibited streets:")
    assert [r[-12:] for r in listed[1:]] == ["High Street;", "Castle Hill;", "Church Lane."]
    second = next(e for e in ranked if "fee rise" in e.reads)
    resolved = [e.reads for e in whole_list(second, ranked) or []]
    assert resolved[0] == "Resolved that:" and len(resolved) == 3


def test_a_line_announcing_a_list_is_preferred_to_an_item_of_another_list_ranked_near_it() -> None:
    changes = _chunk(
        "What changed in 2024:\n- A place in the park was set aside for barbecues rather than a "
        "complete ban, and a limit put on dogs walked at once.\n- Drones were restricted.",
        "/d/changes.md",
    )
    zones = _chunk(
        "4.1 Dog exclusion zones\nThe following are dog exclusion zones:\n- every play area;\n"
        "- the splash pad.",
        "/d/bylaw.md",
    )
    ranked = _ranked("Which places in the park are completely off limits to dogs?", changes, zones)
    assert ranked[0].span.chunk is changes  # an item of another list ranks first
    listed = [e.reads for e in best_list(ranked, negated=True) or []]
    assert listed == [
        "The following are dog exclusion zones:",
        "every play area;",
        "the splash pad.",
    ]


def test_a_sentence_right_before_a_table_leads_its_rows_for_a_list_question() -> None:
    text = (
        "The Council manages three allotment sites.\n\n| Site | Plots |\n| --- | --- |\n"
        "| Bramble Lane | 42 |\n| Ferry Road | 16 |\n| Cutler's Field | 28 |\n\nRent is due."
    )
    ranked = _ranked("Which allotment sites does the council run?", _chunk(text))
    listed = [e.reads for e in best_list(ranked) or []]
    assert listed[0] == "The Council manages three allotment sites."
    assert [r.split(";")[0] for r in listed[1:]] == [
        "Site: Bramble Lane",
        "Site: Ferry Road",
        "Site: Cutler's Field",
    ]


def test_a_slides_bullets_as_the_reader_marks_them_are_a_list_under_its_title() -> None:
    text = "Training LLMs\n- GPUs with 80 GB\n- Weeks of compute\n- Curated data"
    slide = _chunk(text, "/d/t.pptx")
    ranked = _ranked("What do you need to train an LLM?", slide)
    gpus = next(e for e in ranked if e.reads.startswith("GPUs"))
    shown = [e.reads for e in whole_list(gpus, ranked) or []]
    assert shown == ["Training LLMs", "GPUs with 80 GB", "Weeks of compute", "Curated data"]


def test_a_table_row_reads_as_a_sentence_naming_the_asked_column() -> None:
    price = analyse("What is the price of the Aurora K2?")
    row = "Product: Aurora K2; Price (€): 7,450; Stock: 12"
    assert row_sentence(row, price) == "The price (€) of Aurora K2 is 7,450."
    weight = analyse("How heavy is the K2?")
    assert row_sentence("Property: Weight; Value: 114 kg", weight) == "Weight is 114 kg."
    assert row_sentence("Not a row at all.", weight) == "Not a row at all."


def test_a_row_in_a_list_answer_names_its_thing_and_every_column() -> None:
    sites = analyse("Which allotment sites does the council run?")
    row = "Site: Bramble Lane; Plots: 42; Notes: Largest site; communal shed"
    assert row_sentence(row, sites) == "Bramble Lane: plots 42, notes Largest site; communal shed."


def test_a_row_asked_by_one_of_its_values_names_the_columns_holding_it() -> None:
    row = "Facility: Town Library; Monday: 9-17; Wednesday: Closed; Sunday: Closed"
    focus = analyse("Apart from Sunday, which day is the Town Library closed?")
    assert row_sentence(row, focus) == "Town Library — Closed: Wednesday and Sunday."
    sites = analyse("Which days is the Quarry Lane centre shut?")
    assert "Wednesday" not in row_sentence(row, sites)  # "shut" names no value of the row
    project = "Project: Play area refurbishment; Site: Millrace Park; Total cost (£): 145000"
    muga = analyse("How much does it cost to book the MUGA at Millrace Park?")
    assert row_sentence(project, muga) == "The total cost (£) of Play area refurbishment is 145000."
    contact = "Name: Colin Baptiste; Job title: Allotments Officer; Phone: 01632 960175"
    phone = analyse("What's the phone number for the Allotments Officer?")
    assert row_sentence(contact, phone) == "The phone of Colin Baptiste is 01632 960175."


def test_a_value_repeating_the_rows_own_name_is_not_the_asked_value() -> None:
    row = "Project: Guildhall roof repairs; Site: Guildhall; Target completion: October 2026"
    focus = analyse("By when should the roof repairs at the Guildhall be done?")
    assert "October 2026" in row_sentence(row, focus)


def test_a_column_whose_value_the_question_states_is_not_what_it_asks() -> None:
    row = "Venue: Corn Exchange; Room: Assembly Room; Commercial rate per hour (£): 40"
    focus = analyse("If we hire the Assembly Room at the Corn Exchange, what's the charge?")
    assert "40" in row_sentence(row, focus)
    accessible = "Room: Assembly Room; Accessible: Yes; Charge (£): 40"
    asked = analyse("Is the Assembly Room accessible?")
    assert row_sentence(accessible, asked) == "The accessible of Assembly Room is Yes."


def test_a_sentence_the_ranker_cannot_tell_from_the_best_is_quoted_beside_it() -> None:
    question = "What was the fixed penalty under the bylaw?"
    penalties = _chunk(
        "If the fixed penalty under the bylaw is paid within 10 days it is reduced to £50.\n\n"
        "The park opens at 8am every day of the year.",
        "/d/a.md",
    )
    offered = _chunk("An officer may offer a fixed penalty under the bylaw of £75.", "/d/b.md")
    focus = analyse(question)
    ranked = _ranked(question, penalties, offered)
    best = ranked[0]
    quoted = read_on(best, ranked, focus)
    added = runner_up(best, quoted, ranked, focus)
    said = {e.span.text for e in [*quoted, *added]}
    assert any("£75" in t for t in said) and any("£50" in t for t in said)
    assert not any("8am" in t for t in said)  # far below the best
    assert runner_up(best, [*quoted, *added], ranked, focus) == []  # nothing new is left


def _tied(ranked: list[Evidence]) -> list[Evidence]:
    """`ranked` with every sentence scored alike: the ranker cannot tell them apart."""
    return [dataclasses.replace(e, score=1.0) for e in ranked]


def test_a_runner_up_about_another_thing_is_never_quoted() -> None:
    question = "How tall can a headstone be in the Traditional section?"
    focus = analyse(question)
    sizes = _chunk(
        "| Section | Maximum height |\n|---|---|\n| Traditional section | 1.2 metres |\n"
        "| Lawn section | 0.9 metres |\n"
    )
    unnamed = "How tall can a headstone be?"  # naming no section: only the row rule holds
    ranked = _tied(_ranked(unnamed, sizes))
    best = next(e for e in ranked if "1.2 metres" in e.reads)
    assert runner_up(best, [best], ranked, analyse(unnamed)) == []  # another row of its table
    prose = _chunk(
        "Headstones in the Traditional section may be up to 1.2 metres tall.\n\n"
        "In the Lawn section headstones may be up to 0.9 metres tall.\n\n"
        "A headstone in the Traditional section of 1.2 metres needs a permit."
    )
    ranked = _tied(_ranked(question, prose))
    best = next(e for e in ranked if e.reads.startswith("Headstones"))
    # the Lawn section's is another thing; the permit sentence says no figure the quote lacks
    assert runner_up(best, [best], ranked, focus) == []


def test_a_question_asking_what_is_not_so_prefers_a_sentence_saying_so() -> None:
    text = (
        "All food waste can go in your caddy, including: meat, fish, peelings and bread.\n"
        "Not in the caddy: liquids such as milk, packaging of any kind, or pet waste."
    )
    ranked = _ranked("What shouldn't go in the food caddy?", _chunk(text))
    assert ranked[0].reads.startswith("Not in the caddy")
    ranked = _ranked("What goes in the food caddy?", _chunk(text))
    assert ranked[0].reads.startswith("All food waste")


def test_a_how_many_or_who_question_met_by_no_figure_or_name_is_not_answered() -> None:
    from rag.answer.abstain import states_nothing_asked

    keeper = _chunk("Park: Millrace Park; Park keeper: Sam Ridley; Area (ha): 14")
    courts = "How many tennis courts are there in Millrace Park?"
    assert states_nothing_asked(analyse(courts), _ranked(courts, keeper))
    sites = _chunk("There are 13 councillors, elected for four wards.")
    asked = "How many councillors are there?"
    assert not states_nothing_asked(analyse(asked), _ranked(asked, sites))
    who = "Who is the park keeper of Millrace Park?"
    assert not states_nothing_asked(analyse(who), _ranked(who, keeper))
    members = _chunk("7.7 The Staffing Sub-Committee has 3 members, all drawn from the Council.")
    chair = "Who chairs the Staffing Sub-Committee?"
    assert states_nothing_asked(analyse(chair), _ranked(chair, members))


def test_a_figure_not_in_the_asked_measure_or_a_year_for_a_count_is_no_answer() -> None:
    from rag.answer.abstain import states_nothing_asked

    def unanswered(question: str, text: str) -> bool:
        return states_nothing_asked(analyse(question), _ranked(question, _chunk(text)))

    boardwalk = "How long is the boardwalk at Fennick Meadows?"
    assert unanswered(boardwalk, "Fennick Meadows has a boardwalk and covers 23.8 hectares.")
    assert not unanswered(boardwalk, "The boardwalk at Fennick Meadows is 400 metres long.")
    graves = "How many graves are there in Old Road Cemetery?"
    assert unanswered(graves, "Old Road Cemetery opened in 1871 and has been closed since 1998.")
    # a code is no count
    assert unanswered("How many allotments are at Mill Lane?", "Mill Lane, Kestrel KT1 2AB.")
    assert not unanswered(graves, "Old Road Cemetery has about 2,300 graves and opened in 1871.")
    spaces = "How many parking places does the Market Row car park have?"
    assert not unanswered(spaces, "Market Row car park: 142 spaces, including 8 disabled spaces")
    hourly = "What is the commercial hourly rate for hiring the Assembly Room?"
    assert not unanswered(hourly, "Assembly Room: commercial rate per hour (£) 40.")
    upfront = "How much must be paid up front to confirm an order?"
    assert not unanswered(upfront, "A deposit of 30% of the order value confirms an order.")


def test_a_row_about_another_thing_than_the_one_asked_is_no_answer() -> None:
    from rag.answer.abstain import states_nothing_asked

    fees = _chunk(
        "| Facility | Unit | Adult (£) |\n|---|---|---|\n"
        "| Tennis court, Millrace Park | per court per hour | 7 |\n"
        "| Football pitch, Hollins Green | per match | 58 |\n"
    )
    pitch = "How much does it cost to hire a football pitch at Millrace Park?"
    assert states_nothing_asked(analyse(pitch), _ranked(pitch, fees))
    court = "How much does it cost to hire a tennis court at Millrace Park?"
    assert not states_nothing_asked(analyse(court), _ranked(court, fees))
    both = "How much more does the football pitch at Hollins Green cost than the tennis court?"
    assert not states_nothing_asked(analyse(both), _ranked(both, fees))
    prices = _chunk(
        "| Product | Code | Price (EUR) |\n|---|---|---|\n| Solar Gateway G3 | BW-G3 | 1,290 |\n"
        "| Each additional unit installed | SRV-INST-ADD | 450 |\n"
    )
    gateway = "What does the gateway unit cost?"  # one word of another row's name is not it
    assert not states_nothing_asked(analyse(gateway), _ranked(gateway, prices))


def test_a_synonym_bridges_the_question_to_the_sentence() -> None:
    text = "Delivery takes five days. The warranty lasts ten years."

    def synonyms(word: str) -> frozenset[str]:
        return frozenset({"warranty", "warrant"}) if word == "guarantee" else frozenset()

    plain = _ranked("How long is the guarantee?", _chunk(text))
    bridged = _ranked("How long is the guarantee?", _chunk(text), synonyms=synonyms)
    warranty = next(e for e in bridged if "warranty" in e.reads)
    assert warranty.coverage > next(e for e in plain if "warranty" in e.reads).coverage
    assert bridged[0].reads == "The warranty lasts ten years."


def test_a_word_the_model_adds_that_no_passage_says_is_unsupported() -> None:
    # "The defect was a broken hand rope." was shown as supported by "frayed hand rope".
    row = _chunk("Site: Fennick Meadows; Equipment: Rope bridge; Defect: frayed hand rope")
    verifier = _verifier("What defect was found on the rope bridge?", row)
    assert verifier.check("The defect was a broken hand rope.") is None
    assert verifier.check("The defect was a frayed hand rope.") is not None


def test_a_procedure_is_a_sentence_telling_what_to_do() -> None:
    text = (
        "If nobody can move your bins, you can ask for an assisted collection. "
        "To apply, complete the assisted collection form online and name someone aged 16 or over."
    )
    ranked = _ranked("How do I apply for an assisted collection?", _chunk(text))
    assert [e.reads[:9] for e in ranked if e.typed] == ["To apply,"]


def test_what_an_answer_adds_to_the_question_must_be_in_the_sentence_it_cites() -> None:
    # "The father of Benny Hartman is Julio Hartman." was supported by the sentence naming
    # Aron (three of its four words), Julio coming from another sentence of the article.
    article = _chunk(
        "The father of Benny Hartman is Aron Hartman. The brother of Benny Hartman is Julio "
        "Hartman.",
        "/d/benny.md",
        "benny-hartman.md",
    )
    verifier = _verifier("Who is the father of Benny Hartman?", article)
    assert verifier.check("The father of Benny Hartman is Julio Hartman.") is None
    assert verifier.check("The father of Benny Hartman is Aron Hartman.") is not None


def test_a_name_made_of_the_question_s_words_is_not_who_was_asked_for() -> None:
    # "Brightwater Labs Founder" was shown as the answer to who founded it.
    text = "Brightwater Labs was founded in 2014 by Marta Lindqvist and Pieter Van Damme."
    focus = analyse("Who founded Brightwater Labs?")
    assert not focus.has_answer_type("Brightwater Labs Founder")
    assert not focus.has_answer_type("The Aurora K2 is made by Brightwater Labs.")
    verifier = _verifier("Who founded Brightwater Labs?", _chunk(text))
    assert verifier.check("Brightwater Labs Founder") is None
    assert verifier.check("Brightwater Labs was founded by Marta Lindqvist.") is not None


def test_a_numbered_section_title_is_a_heading_not_an_answer() -> None:
    # "What goes in the blue recycling bin?" was answered "What goes in each bin".
    text = "4. What goes in each bin\nBlue bin: mixed dry recycling, emptied every two weeks.\n"
    text += "1. Complete the assisted collection form and send it to the council.\n"
    ranked = _ranked("What goes in the blue recycling bin?", _chunk(text))
    heading = next(e for e in ranked if e.reads.startswith("4."))
    step = next(e for e in ranked if e.reads.startswith("1."))
    assert not heading.answer_like and step.answer_like


def test_a_sentence_leaning_on_the_one_before_holds_the_terms_that_one_names() -> None:
    text = (
        "The Guildhall opens at 9am on weekdays. It closes at 5.30pm. "
        "The market hall closes at 4pm on Saturdays."
    )
    ranked = _ranked("What time does the Guildhall close?", _chunk(text))
    leaning = next(e for e in ranked if e.reads.startswith("It closes"))
    market = next(e for e in ranked if e.reads.startswith("The market"))
    assert leaning.coverage > market.coverage
    assert leaning.score > market.score
    # what the sentence before names, it names for the leaning one: its phrases and names too
    text = (
        "7.5 The Finance and Resources Committee has 5 members. Its quorum is 3 members.\n"
        "7.6 The Planning and Environment Committee has 7 members. Its quorum is 4 members."
    )
    ranked = _ranked("What is the quorum of the Finance and Resources Committee?", _chunk(text))
    assert ranked[0].reads == "Its quorum is 3 members."
    # the first sentence of a chunk leans on nothing of the chunk before it
    before = _chunk("The Guildhall opens at 9am.", "/d/a.md", "a.md")
    after = _chunk("It closes at 5pm.", "/d/b.md", "b.md")
    ranked = _ranked("When does the Guildhall close?", before, after)
    assert next(e for e in ranked if e.reads.startswith("It")).coverage < 1.0


def test_a_spelled_out_hyphenated_duration_is_a_quantity() -> None:
    # "A six-month probation period" answers "how long", as "A 6-month probation period" does.
    focus = analyse("How long is the probation period?")
    assert focus.has_answer_type("A six-month probation period")
    assert not focus.has_answer_type("The probation period is reviewed by the manager.")


def test_a_year_in_a_file_name_names_its_passage() -> None:
    old = _chunk("It shall close at 4.30pm in winter.", "/d/bylaw_2019.txt", "parks_bylaw_2019.txt")
    new = _chunk(
        "Unlike the 2019 bylaw, it closes at 5pm in winter.", "/d/b_2024.md", "parks_bylaw_2024.md"
    )
    ranked = _ranked("Under the 2019 bylaw, when does the park close in winter?", new, old)
    assert ranked[0].span.chunk is old


def test_a_chunk_of_a_document_naming_the_asked_thing_is_about_it() -> None:
    # The size table of the Ashgrove regulations never says "Ashgrove"; another chunk of the
    # same document does, so the table is not about something else.
    def part(n: int, text: str) -> RetrievedChunk:
        return RetrievedChunk(f"c{n}", text, "/d/cem.pdf", "cem.pdf", "cem", 1, 0, len(text), 1, 1)

    about = part(1, "Ashgrove Cemetery has a Traditional section and a Lawn section.")
    table = part(2, "| Section | Maximum height |\n|---|---|\n| Traditional section | 1.2 metres |")
    ranked = _ranked(
        "How tall can a headstone be in the Traditional section at Ashgrove?", about, table
    )
    assert ranked[0].span.chunk is table


def test_a_term_only_the_document_title_holds_counts_at_a_share() -> None:
    # the minutes of a committee name it in their title, not in the line listing who chaired
    line = "Present: Cllr Rosalind Achterberg (Chair), Cllr Dev Malhotra (Vice-Chair)."
    question = "Who chairs the Planning Committee?"
    titled = _ranked(
        question, _chunk(line, "/d/planning_committee_minutes.md", "planning_committee_minutes.md")
    )
    untitled = _ranked(question, _chunk(line, "/d/minutes.md", "minutes.md"))
    assert untitled[0].coverage < titled[0].coverage < 1.0


def test_a_sentence_reads_the_one_before_it_in_its_paragraph_for_what_it_names() -> None:
    # "RESOLVED that the lease be renewed at a rent of £4,200" names no Kestrelford Players
    asked = "What rent will the Kestrelford Players pay for the rehearsal room?"
    request = "The Council considered a request from the Kestrelford Players for a rehearsal room."
    resolved = "RESOLVED that the lease be renewed at a rent of £4,200 per year."
    ranked = _ranked(asked, _chunk(f"{request}\n{resolved}"))
    apart = _ranked(asked, _chunk(f"{request}\n\n{resolved}"))
    coverage = {e.reads: e.coverage for e in ranked}
    assert coverage[resolved] > {e.reads: e.coverage for e in apart}[resolved] > 0
    rows = "| Section | Height |\n| --- | --- |\n| Traditional | 1.2 m |\n| Lawn | 0.9 m |"
    ranked = _ranked("How tall may a headstone be in the Traditional section?", _chunk(rows))
    assert ranked[0].reads.startswith("Section: Traditional")  # rows stand apart


def test_a_clause_number_or_a_reference_to_one_is_no_quantity() -> None:
    focus = analyse("What is the number of councillors on the Town Council?")
    assert focus.answer_type == "quantity"
    assert not focus.has_answer_type(
        "7A.3 The councillors elect a Chair each May, as set out in standing order 8.4."
    )
    assert focus.has_answer_type("7A.2 The Town Council has 13 councillors.")
    assert analyse("How long does the Council take to decide?").has_answer_type(
        "6.3 The Licensing Officer will decide within 10 working days."
    )


def test_one_of_a_numbered_series_is_named_like_a_code() -> None:
    from rag.answer.text import identifiers

    rooms = _chunk("Meeting Room 1 holds 16 people. Meeting Room 2 holds 10 for 3 hours.")
    room_3 = analyse("How much does it cost to hire Meeting Room 3 at the Corn Exchange?")
    assert unmentioned(room_3, [rooms]) == "Meeting Room 3"
    assert unmentioned(analyse("How many people does Meeting Room 2 hold?"), [rooms]) is None
    assert room_3.names.sibling_in("Meeting Room 2 holds 10 for 3 hours.")
    assert not room_3.names.sibling_in("Meeting Room 3 holds 8 people.")
    # a capitalised word before a number at a sentence's start, or a date, names nothing
    assert identifiers("Over 20 people came. On Monday 2 March we met.") == frozenset()


def test_a_quoted_list_reads_its_lead_line_then_an_item_a_line() -> None:
    from rag.answer.answerers import list_text

    assert list_text(
        ["The HWRC is on Quarry Lane.", "Items accepted include:", "Paint", "Wood"]
    ) == ("The HWRC is on Quarry Lane. Items accepted include:\n- Paint\n- Wood")
    assert (
        list_text(["Steps:", "Fill in the form.", "Pay:"]) == "Steps:\n- Fill in the form.\n- Pay:"
    )
    assert list_text(["The Council runs three sites.", "Site: A", "Site: B"]) == (
        "The Council runs three sites.\n- Site: A\n- Site: B"
    )


def test_rent_pay_and_deposits_ask_for_an_amount_of_money() -> None:
    for question in (
        "What yearly rent will the Players pay for the rehearsal room?",
        "What will the Parks Apprentice be paid in the first year?",
        "What damage deposit do you pay on an event permit?",
        "What's the hourly charge for the Assembly Room?",
    ):
        assert answer_type(question) == "quantity", question
        assert analyse(question).has_answer_type("It is £4,200 a year."), question
        assert not analyse(question).has_answer_type("It is 4,200 square metres."), question
    assert answer_type("Which officer is in charge of allotments?") == "any"


def test_a_holiday_is_read_as_its_date(rag_app, tmp_path) -> None:
    from rag.answer.holidays import with_holiday_dates
    from rag.connectors.files import scan_path

    assert with_holiday_dates("Open on Christmas Eve 2026? And boxing day?") == (
        "Open on 24 December (christmas eve) 2026? And 26 December (boxing day)?"
    )
    (tmp_path / "christmas_2026.md").write_text(
        "# Christmas 2026 opening hours\n\n"
        "| Facility | Thursday 24 December | Friday 25 December |\n| --- | --- | --- |\n"
        "| Guildhall reception | 09:00-12:00 | Closed |\n| Town Library | 09:30-13:00 | Closed |\n"
    )
    rag_app.indexer.sync([scan_path(tmp_path, 10**6)], "default")
    answers = rag_app.answers.without("model_tools", "grounded_generation")
    result = answers.ask(
        rag_app.ask_request("What hours is the Guildhall reception open on Christmas Eve 2026?")
    )
    assert not result.abstained and "09:00-12:00" in result.answer


def test_a_procedures_steps_need_not_repeat_the_name_their_passage_gives() -> None:
    # The Moot Hall's rules name it in the sentence about its rooms; the step saying how a
    # booking is made does not, yet it is the answer to how a booking is made.
    rules = _chunk(
        "Moot Hall rules. The Moot Hall has a main hall and a kitchen for hirers. "
        "Bookings are made through the Hall Keeper at least 10 working days ahead.",
        title="moot_hall_rules.md",
    )
    steps = "Bookings are made through the Hall Keeper at least 10 working days ahead."
    assert _ranked("How is a booking of the Moot Hall made?", rules)[0].reads == steps
    # A value question still prefers the sentence naming what it asks about.
    assert "Moot Hall" in _ranked("What rooms does the Moot Hall have?", rules)[0].reads


def test_an_ordinal_or_a_place_is_no_step_but_an_order_of_steps_is() -> None:
    question = "How is a burial at the cemetery arranged?"
    for ordinal_or_place in (
        "The new woodland section received its first 12 burials.",
        "The Ferry Road site lies next to the river.",
    ):
        assert not states_kind("procedure", ordinal_or_place, question)
    for step in (
        "First, ask a funeral director to contact the Registrar.",
        "The funeral director contacts the Registrar, then the grave is prepared.",
        "Next, the Registrar confirms the date.",
    ):
        assert states_kind("procedure", step, question)


def test_a_which_question_is_answered_by_a_sentence_naming_one() -> None:
    focus = analyse("Which of the two cemeteries has a chapel that is a listed building?")
    assert not focus.has_answer_type("The cemetery chapel is a listed building.")
    assert focus.has_answer_type("The chapel at Old Road Cemetery is a listed building.")
    allocation = analyse("Which housing allocation does the committee support?")
    assert allocation.has_answer_type("The Committee supports allocation KES-02.")
    assert not allocation.has_answer_type("The Committee agreed its response to the plan.")
    # Other open questions are met by any sentence, as before.
    assert analyse("What does the committee do?").has_answer_type("It meets monthly.")


def test_a_weekday_in_the_plural_states_a_day() -> None:
    focus = analyse("On which day of the week does the apprentice go to college?")
    assert focus.answer_type == "date"
    assert focus.has_answer_type("You will attend college one day a week (on Thursdays).")


def test_first_or_next_after_a_modal_orders_steps_but_next_year_does_not() -> None:
    question = "How do I get a street trading consent?"
    assert states_kind("procedure", "You must first register with the council.", question)
    assert states_kind("procedure", "You will next need to send the form.", question)
    assert not states_kind("procedure", "Next year the market moves to the Quay.", question)


def test_a_year_names_nothing_a_which_question_asks() -> None:
    focus = analyse("Which cemetery has a listed chapel?")
    assert not focus.has_answer_type("The cemetery chapel is a listed building (since 1994).")


def test_a_lines_label_names_what_a_which_question_asks() -> None:
    focus = analyse("Which setting keeps the battery full until the grid goes down?")
    assert focus.has_answer_type("Backup only: keeps the battery full until a grid outage.")
    assert focus.has_answer_type("- **Backup only**: keeps the battery full until a grid outage.")
