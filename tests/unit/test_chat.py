from pathlib import Path

import pytest

from rag.answer import ABSTAIN_TEXT, build_messages
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.errors import InvalidInputError
from tests.fakes import ScriptedModel


@pytest.fixture
def indexed(rag_app: RagApp, docs: Path) -> RagApp:
    rag_app.indexer.sync([scan_path(docs, 10**6)], "default")
    return rag_app


def test_supported_answer_carries_citations_into_the_right_file(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append("Full-time employees receive 26 days of paid annual leave per year.")

    result = indexed.chat.ask("How many days of annual leave?", "default", top_k=4)

    assert not result.abstained
    assert result.citations and result.citations[0].chunk.source.endswith("employee-handbook.md")
    assert "26 days" in result.citations[0].text
    body = result.to_json()
    assert set(body) >= {
        "answer",
        "abstained",
        "conversation_id",
        "citations",
        "sentences",
        "closest_sources",
        "tool_calls",
        "timings",
    }
    assert body["sentences"][0]["supported"] is True


def test_invented_answer_falls_back_to_quoting_sources(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append("Employees get 99 days off and a free car.")

    result = indexed.chat.ask("How many days of annual leave?", "default", top_k=4)

    assert "99" not in result.answer
    assert result.citations and all(s.supported for s in result.sentences)


def test_question_far_from_every_document_abstains_without_calling_the_model(
    indexed: RagApp, model: ScriptedModel
) -> None:
    result = indexed.chat.ask("zebra quantum tango?", "default", top_k=4)

    assert result.abstained and result.answer == ABSTAIN_TEXT
    assert result.citations == [] and result.closest_sources
    assert model.prompts == []


@pytest.mark.parametrize("question", ["", "   ", "x" * 5000])
def test_bad_questions_are_input_errors(indexed: RagApp, question: str) -> None:
    with pytest.raises(InvalidInputError):
        indexed.chat.ask(question, "default", top_k=4)


def test_conversation_id_is_echoed(indexed: RagApp, model: ScriptedModel) -> None:
    result = indexed.chat.ask("annual leave days?", "default", 4, conversation_id="conv-1")
    assert result.conversation_id == "conv-1"


@pytest.mark.parametrize(
    ("question", "answer"),
    [("What is 40366 / 439?", "91.9499"), ("calculate 12% of 2450", "294")],
)
def test_arithmetic_questions_go_to_the_calculator_not_the_model(
    indexed: RagApp, model: ScriptedModel, question: str, answer: str
) -> None:
    result = indexed.chat.ask(question, "default", top_k=4)

    assert answer in result.answer and not result.abstained
    assert model.prompts == []
    body = result.to_json()
    assert body["tool_calls"][0]["name"] == "calculator"
    assert body["tool_calls"][0]["result"] == answer


def test_document_questions_with_numbers_still_use_the_documents(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append("Customers get 8% off when they buy two or more batteries.")
    result = indexed.chat.ask("What discount do I get for 2 batteries?", "default", top_k=4)
    assert result.tool_calls == [] and model.prompts


def test_the_stream_holds_unsupported_openers_and_streams_exactly_the_answer(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append(
        "Great question. Full-time employees receive 26 days of paid annual leave per year. "
        "Enjoy them."
    )

    stream = indexed.chat.stream("How many days of annual leave?", "default", top_k=4)
    deltas = list(stream)

    assert "".join(deltas) == stream.result.answer
    assert deltas[0].startswith("Great question.")  # released together with the supported one
    assert "26 days" in deltas[1]
    assert [s.supported for s in stream.result.sentences] == [False, True, False]
    assert stream.result.timings["completion_tokens"] > 0


def test_a_stream_with_no_supported_sentence_gives_only_the_quoted_fallback(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append("Employees get 99 days off. They also get a free car.")

    stream = indexed.chat.stream("How many days of annual leave?", "default", top_k=4)
    deltas = list(stream)

    assert deltas == [stream.result.answer]
    assert "99" not in stream.result.answer and stream.result.citations


def test_sources_are_dropped_weakest_first_until_the_prompt_fits_the_context(
    indexed: RagApp, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "How many days of annual leave?"
    chunks = indexed.retriever.search(question, "default", 4)
    two_sources = model.count_tokens(build_messages(question, chunks[:2]))
    monkeypatch.setattr(model, "n_ctx", two_sources + indexed.settings.llm_max_tokens)
    model.replies.append("Full-time employees receive 26 days of paid annual leave per year.")

    trimmed = indexed.chat.ask(question, "default", top_k=4)

    prompt = model.prompts[-1]
    assert model.count_tokens(prompt) + indexed.settings.llm_max_tokens <= model.n_ctx
    assert prompt[-1]["content"].count("<source ") == 2
    assert trimmed.citations


@pytest.mark.parametrize(
    "reply",
    [
        "The documents do not say.",
        "The sources don't mention a pension plan.",
        "There is no information about a pension plan in the context.",
    ],
)
def test_a_model_saying_the_sources_lack_the_answer_abstains_with_closest_sources(
    indexed: RagApp, model: ScriptedModel, reply: str
) -> None:
    model.replies.append(reply)
    result = indexed.chat.ask("Does the company offer a pension plan for staff?", "default", 4)
    assert result.abstained and result.answer == ABSTAIN_TEXT
    assert result.citations == [] and result.closest_sources
    assert 0 < result.support <= 1


def test_a_follow_up_is_answered_through_the_condensed_query(
    rag_app: RagApp, model: ScriptedModel, tmp_path: Path
) -> None:
    corpus = tmp_path / "prices"
    corpus.mkdir()
    (corpus / "g3.md").write_text("The Solar Gateway G3 costs 1,290 euros including VAT.\n")
    (corpus / "k2.md").write_text("How much does it cost? The Aurora K2 costs 7,450 euros.\n")
    (corpus / "k3.md").write_text("How much does the K3 cost? It costs 9,900 euros.\n")
    rag_app.indexer.sync([scan_path(corpus, 10**6)], "default")
    follow_up = "And how much does it cost?"
    alone = rag_app.retriever.search(follow_up, "default", 2)
    assert not any(c.source.endswith("g3.md") for c in alone)  # unanswerable on its own

    model.replies.append("The Solar Gateway G3 costs 1,290 euros.")
    history = [
        {"role": "user", "content": "What does the Solar Gateway G3 connect?"},
        {"role": "assistant", "content": "It connects solar panels, batteries and the grid."},
    ]
    result = rag_app.chat.ask(follow_up, "default", 2, history=history)

    assert not result.abstained and result.answer == "The Solar Gateway G3 costs 1,290 euros."
    assert [c.chunk.source for c in result.citations] == [str(corpus / "g3.md")]
    assert "condense_ms" in result.timings
    assert any("Solar Gateway G3 connect" in m["content"] for m in model.prompts[0])


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("And how much does it cost?", True),
        ("What about the K3?", True),
        ("Why?", True),
        ("How many days of annual leave do employees get?", False),
        ("What does error E04 mean on the Aurora K2?", False),
    ],
)
def test_follow_up_detection(question: str, follow_up: bool) -> None:
    from rag.condense import is_follow_up, standalone_query

    assert is_follow_up(question) is follow_up
    history = [{"role": "user", "content": "Tell me about the Solar Gateway G3 and the K2."}]
    expected = f"Solar Gateway G3 K2 {question}" if follow_up else question
    assert standalone_query(question, history) == expected
    assert standalone_query(question, []) == question
    unnamed = [{"role": "user", "content": "how long is parental leave?"}]
    assert standalone_query("And for adoption?", unnamed) == (
        "how long is parental leave? And for adoption?"
    )
