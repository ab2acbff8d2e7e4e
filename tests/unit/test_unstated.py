"""Near-misses the documents never state (rag/answer/unstated.py): an attribute asked of a thing
the passages name, a part of a named place, a name no one passage names whole. Synthetic
passages only; no model."""

from rag.answer.abstain import about_the_asked, unmentioned
from rag.answer.context import rank_evidence
from rag.answer.question import analyse
from rag.answer.unstated import asked_attribute, unstated
from rag.retrieve import RetrievedChunk


def _chunk(text: str, name: str = "doc", title: str = "") -> RetrievedChunk:
    return RetrievedChunk(
        f"c-{name}", text, f"/d/{name}.md", title or f"{name}.md", name, None, 0, len(text), 1, 1
    )


def _synonyms(word: str) -> frozenset[str]:
    return frozenset({"salary": {"wage"}, "boss": {"head"}}.get(word, set()))


TOWN_HALL = _chunk(
    "The Moot Hall stands at 3 Quay Street. It is open on weekdays from 9am to 5pm.\n\n"
    "The Moot Hall has a main hall for 120 people and a kitchen.",
    "hall",
)
STAFF = _chunk(
    "| Name | Role | Phone |\n|---|---|---|\n| Ada Pym | Harbour Master | 01632 960555 |\n"
    "| Ben Orr | Ferry Clerk | |",
    "staff",
)
CLUB = _chunk(
    "Grants were awarded to the Tidewater Rowing Club for new oars. "
    "The Tidewater Rowing Club was founded by Ola Penrose in 1990.",
    "club",
)


def test_an_attribute_no_passage_naming_the_thing_states_is_unstated() -> None:
    focus = analyse("What is the postcode of the Moot Hall?")
    assert unstated(focus, [TOWN_HALL, CLUB]) == "the postcode of the Moot Hall"
    # The same attribute, stated next to the name, is an answer to look for.
    stated = _chunk("The Moot Hall, 3 Quay Street. Its postcode is QX1 4AB.", "hall2")
    assert unstated(focus, [TOWN_HALL, stated]) is None


def test_a_role_nobody_holds_is_unstated_though_the_thing_is_named() -> None:
    # Only the founder is named: "the captain" is not stated of the club.
    focus = analyse("Who is the captain of the Tidewater Rowing Club?")
    assert unstated(focus, [CLUB]) == "the captain of the Tidewater Rowing Club"
    assert unstated(analyse("Who is the founder of the Tidewater Rowing Club?"), [CLUB]) is None


def test_a_process_asked_of_a_thing_is_stated_by_its_steps_not_its_name() -> None:
    steps = _chunk(
        "To book the Moot Hall, complete form MH1 and send it to the Town Clerk. "
        "The Moot Hall is confirmed within 5 working days.",
        "booking",
    )
    focus = analyse("What's the process for booking the Moot Hall for a party?")
    assert focus.answer_type == "procedure"
    assert unstated(focus, [steps]) is None


def test_a_parent_called_mum_or_dad_is_no_name_the_documents_must_mention() -> None:
    focus = analyse("We'd like to put a headstone on Dad's grave. How do we go about it?")
    assert not focus.names
    assert unmentioned(focus, [TOWN_HALL]) is None
    assert not analyse("Can Mum get a discount on her allotment?").names
    for question in ("What is the size of Dad's plot?", "A headstone on Granddad's grave?"):
        assert unmentioned(analyse(question), [TOWN_HALL]) is None, question


def test_unmentioned_says_what_is_unstated_and_support_reads_no_evidence() -> None:
    focus = analyse("What is the postcode of the Moot Hall?")
    assert unmentioned(focus, [TOWN_HALL]) == "the postcode of the Moot Hall"
    ranked = rank_evidence(focus, [TOWN_HALL], lambda q, texts: [0.5] * len(texts))
    assert about_the_asked(focus, ranked) == []


def test_an_attribute_stated_by_its_value_or_a_synonym_is_stated() -> None:
    # The row says "Phone", not "phone number": its digits state it.
    assert unstated(analyse("What is the phone number of the Harbour Master?"), [STAFF]) is None
    # Ben Orr's phone cell is empty: nothing near his name states one.
    ferry = analyse("What is the phone number of the Ferry Clerk?")
    assert unstated(ferry, [STAFF]) == "the phone number of the Ferry Clerk"
    pay = _chunk("The Ferry Clerk earns a wage of 21,000 a year.", "pay")
    assert unstated(analyse("What is the Ferry Clerk's salary?", synonyms=_synonyms), [pay]) is None
    assert unstated(analyse("What is the Ferry Clerk's salary?"), [pay]) == "Ferry Clerk's salary"


def test_a_value_states_an_attribute_only_with_the_words_that_narrow_it() -> None:
    # A grant to the club is an amount of money, but no membership fee.
    fee = analyse("What is the membership fee for the Tidewater Rowing Club?")
    grant = _chunk("Tidewater Rowing Club: amount requested £2,400, amount awarded £2,400.", "g")
    assert unstated(fee, [grant]) == "the membership fee of the Tidewater Rowing Club"
    fees = _chunk("The Tidewater Rowing Club's membership costs £120 a year.", "m")
    assert unstated(fee, [fees]) is None
    # a period, or the usual kind of a price (hire, entry), narrows nothing
    costs = _chunk("The Moot Hall costs £30 per hour.", "costs")
    assert unstated(analyse("What is the hire charge for the Moot Hall?"), [costs]) is None
    hire = _chunk("The Moot Hall is hired out at £30 per hour.", "hire")
    assert unstated(analyse("What is the hourly rate for the Moot Hall?"), [hire]) is None
    rent = _chunk("The Moot Hall café pays £4,000 a year to the council.", "rent")
    assert unstated(analyse("What is the annual rent of the Moot Hall café?"), [rent]) is None


def test_the_attribute_must_stand_near_the_thing_not_anywhere_in_its_passage() -> None:
    # A postcode in the passage, but of another building, two sentences from the name.
    far = _chunk(
        "The Moot Hall is on Quay Street. It has a kitchen. The library moved in 2019. "
        "The library's postcode is QX2 9ZZ.",
        "far",
    )
    assert unstated(analyse("What is the postcode of the Moot Hall?"), [far]) is not None


def test_a_table_row_states_the_attribute_its_header_names() -> None:
    fees = _chunk(
        "| Venue | Deposit (£) | Postcode |\n|---|---|---|\n| Moot Hall | 150 | QX1 4AB |\n"
        "| Quay Barn | 75 | QX1 5CD |",
        "fees",
    )
    assert unstated(analyse("What is the postcode of the Moot Hall?"), [fees]) is None


def test_a_part_of_a_named_place_that_no_passage_naming_it_names_is_unmentioned() -> None:
    assert unstated(analyse("When is the bar at the Moot Hall open?"), [TOWN_HALL]) == (
        "the bar at the Moot Hall"
    )
    assert unstated(analyse("How big is the kitchen at the Moot Hall?"), [TOWN_HALL]) is None
    # A clause, not a part: "a dinghy be in" says nothing of the hall.
    assert unstated(analyse("Can a dinghy be in the Moot Hall?"), [TOWN_HALL]) is None


def test_a_name_whose_words_stand_only_in_different_passages_is_unmentioned() -> None:
    def unknown(word: str) -> bool:
        return word != "tidewater"

    focus = analyse("How many members does the Tidewater Youth Forum have?", unknown)
    youth = _chunk("The youth forum of Marlow meets monthly.", "youth")
    assert unstated(focus, [CLUB, youth]) == "Tidewater Youth Forum"  # as the question writes it
    together = _chunk("The Tidewater Youth Forum has 14 members.", "forum")
    assert unstated(focus, [CLUB, together]) is None


def test_a_name_of_ordinary_words_no_passage_holds_whole_is_unmentioned() -> None:
    plots = _chunk("| Site | Plots |\n|---|---|\n| Mill Road | 40 |\n| Quarry Lane | 22 |", "plots")
    linden = analyse("How many plots are there at the Linden Road allotments?")
    assert unstated(linden, [plots, TOWN_HALL]) == "Linden Road"
    assert unstated(analyse("How many plots are there at the Mill Road site?"), [plots]) is None
    # a word capitalised only as the question's first is no part of a name
    assert (
        unstated(analyse("Besides Wednesday, which day is the Moot Hall shut?"), [TOWN_HALL])
        is None
    )


def test_only_an_attribute_worded_as_asked_of_a_thing_is_read() -> None:
    assert asked_attribute(analyse("What is there to do at the Moot Hall?")) is None
    asked = asked_attribute(analyse("What is the Harbour Master's phone number?"))
    assert asked is not None and asked.attribute == "phone number"
    assert asked.shown == "Harbour Master's phone number"


def test_a_count_never_stated_of_a_named_thing_is_unstated() -> None:
    focus = analyse("How many seats does the Moot Hall have?")
    assert unstated(focus, [TOWN_HALL]) == "how many seats does the Moot Hall have"
    assert unstated(analyse("How many kitchens does the Moot Hall have?"), [TOWN_HALL]) is None
    # Counting a thing the question does not name is left to the ranker: "units" may count
    # what the question calls "boats".
    assert asked_attribute(analyse("How many boats can be moored in one row?")) is None


def test_an_address_is_stated_by_a_house_number_beside_a_street_name() -> None:
    focus = analyse("What is the street address of the Moot Hall?")
    assert unstated(focus, [TOWN_HALL]) is None  # "at 3 Quay Street"
    bare = _chunk("The Moot Hall is by the harbour. It has a kitchen.", "bare")
    assert unstated(focus, [bare]) == "the street address of the Moot Hall"


def test_a_short_word_an_abbreviation_or_a_code_states_the_attribute() -> None:
    reps = _chunk("Each quay has a volunteer representative: at Quay Street, Ada Pym.", "reps")
    rep = analyse("Who is the volunteer quay rep for Quay Street?")
    assert unstated(rep, [reps]) is None  # "rep" is short for "representative"
    plan = _chunk("The Moot Hall is listed in the Local Plan as site QX-07.", "plan")
    assert unstated(analyse("What is the Local Plan code of the Moot Hall?"), [plan]) is None
    assert unstated(analyse("What is the postcode of the Moot Hall?"), [plan]) is not None


def test_a_month_is_no_place_with_parts() -> None:
    fires = _chunk("Bonfires are allowed from 1 November to 31 March, so not in July.", "fires")
    assert unstated(analyse("Can I light a bonfire on the plot in July?"), [fires]) is None


def test_money_asked_as_how_much_of_a_named_thing_must_be_stated_with_its_words() -> None:
    licence = _chunk(
        "A Quay Stall Licence costs £120 a year. The Quay Stall Licence is decided within 28 days.",
        "licence",
    )
    focus = analyse("How much is the refundable deposit on a Quay Stall Licence?")
    assert unstated(focus, [licence]) == "the refundable deposit on a Quay Stall Licence"
    asked = "Is there a refundable deposit for the Quay Stall Licence, and how much is it?"
    assert unstated(analyse(asked), [licence])
    # The fee itself is stated; a deposit stated beside the name is an answer to look for.
    assert unstated(analyse("How much is the fee for a Quay Stall Licence?"), [licence]) is None
    deposit = _chunk("The Quay Stall Licence needs a refundable deposit of £50.", "deposit")
    assert unstated(focus, [licence, deposit]) is None
    # Not a thing the question names: what is paid for may be worded otherwise.
    assert asked_attribute(analyse("How much is the deposit on a market stall?")) is None


def test_how_much_asks_an_attribute_only_when_it_names_a_noun() -> None:
    club = _chunk("The Tidewater Rowing Club received £5,000 from the council for oars.", "club")
    # "spent" is no attribute: the amount the club received answers it
    assert unstated(analyse("How much was spent on the Tidewater Rowing Club?"), [club]) is None
    hall = _chunk("The Moot Hall costs £40 an hour.", "hall")
    assert unstated(analyse("How much is hire of the Moot Hall?"), [hall]) is None
    # Asking whether, not how much, is left to the ranker.
    assert asked_attribute(analyse("Is there a discount for members of the Moot Hall?")) is None
    paid = asked_attribute(analyse("How much damage deposit do I pay with a Moot Hall booking?"))
    assert paid is not None and paid.attribute == "damage deposit"
