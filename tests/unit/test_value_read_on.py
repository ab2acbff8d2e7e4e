"""A question asking how much, who or when, whose best sentence names what is asked and the
next sentence in its paragraph states the value, is answered by the two read together."""

from rag.answer.abstain import states_nothing_asked
from rag.answer.context import best_answer_like, read_on
from rag.answer.question import analyse
from tests.unit.test_answer_classes import _chunk, _ranked

QUESTION = (
    "How much rent will the Kestrelford Players pay for the rehearsal room at the Corn Exchange?"
)
ASKED = (
    "The Council considered a request from the Kestrelford Players to renew the lease of their "
    "rehearsal room at the Corn Exchange."
)
RESOLVED = "RESOLVED that the lease be renewed for five years at an annual rent of £4,200."


def _quoted(text: str, question: str = QUESTION) -> list[str]:
    ranked = _ranked(question, _chunk(text))
    best = best_answer_like(ranked)
    assert best is not None and best.reads == ASKED  # it names what is asked, not the value
    return [e.reads for e in read_on(best, ranked, analyse(question))]


def test_the_sentence_after_states_the_value_the_best_one_lacks() -> None:
    text = f"{ASKED} {RESOLVED}\n\nThe Chair thanked the Players."
    assert _quoted(text) == [ASKED, RESOLVED]
    assert not states_nothing_asked(analyse(QUESTION), _ranked(QUESTION, _chunk(text)))


def test_only_a_sentence_in_the_same_paragraph_stating_the_value_is_read_on() -> None:
    assert _quoted(f"{ASKED}\n\n{RESOLVED}") == [ASKED]  # another paragraph
    assert _quoted(f"{ASKED} The Chair thanked the Players.") == [ASKED]  # no figure
    # a question not asking for a value reads the best sentence alone
    why = "Why did the Kestrelford Players ask about the rehearsal room at the Corn Exchange?"
    assert _quoted(f"{ASKED} {RESOLVED}", why) == [ASKED]


COMPLAIN = "How do I make a complaint to the council?"
WRITE = "Write to the Town Clerk at the Guildhall to make a complaint to the council."
REPLY = "We will acknowledge it within 5 working days and reply within 20 working days."
REVIEW = "If you are not satisfied, a panel of three councillors reviews it."


def test_steps_in_prose_read_on_through_their_paragraph() -> None:
    text = f"{WRITE} {REPLY} {REVIEW}\n\nThe Guildhall is open on weekdays."
    ranked = _ranked(COMPLAIN, _chunk(text))
    best = best_answer_like(ranked)
    assert best is not None and best.reads == WRITE
    assert [e.reads for e in read_on(best, ranked, analyse(COMPLAIN))] == [WRITE, REPLY, REVIEW]
