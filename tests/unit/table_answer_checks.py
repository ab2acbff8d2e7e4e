"""What a table answer must say, and must not, for the table answerer's unit tests."""

from rag.tables.answerer import TableAnswer, TableQuestionAnswerer

# A play inspection log: a status column of done values (Completed, Closed) beside open ones.
PLAYGROUND_INSPECTIONS = (
    "playground_inspections",
    ["ref", "park", "play_area", "equipment", "risk_rating", "status"],
    [["PI-1", "Millrace Park", "Junior Play Area", "Climbing frame", "High", "Completed"],
     ["PI-2", "Millrace Park", "Junior Play Area", "Basket swing", "Low", "Closed"],
     ["PI-3", "Fennick Meadows", "Natural Play Trail", "Rope bridge", "High", "Open"],
     ["PI-4", "Hollins Green", "Toddler Play Area", "Cradle swings", "Medium", "Open"]],
)  # fmt: skip


def answer_saying(
    answerer: TableQuestionAnswerer, question: str, stated: list[str], left_out: list[str]
) -> TableAnswer:
    """`answerer`'s answer to `question` in collection "c", checked to say every text of
    `stated` and none of `left_out`."""
    answer = answerer.answer(question, "c")
    assert answer is not None, question
    for text in stated:
        assert text in answer.text
    for text in left_out:
        assert text not in answer.text
    return answer
