"""What a table answer must say, and must not, for the table answerer's unit tests."""

from rag.tables.answerer import TableAnswer, TableQuestionAnswerer


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
