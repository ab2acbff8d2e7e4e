from pathlib import Path

import pytest

from rag.answer.abstain import CONFIDENT_SUPPORT
from rag.answer.context import embedder_similarity, rank_evidence, select_context
from rag.answer.prompt import build_messages
from rag.answer.question import analyse
from rag.answer.types import ABSTAIN_TEXT, AskResult
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

    result = indexed.answers.ask(
        indexed.ask_request("How many days of annual leave?", "default", top_k=4)
    )

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

    result = indexed.answers.ask(
        indexed.ask_request("How many days of annual leave?", "default", top_k=4)
    )

    assert "99" not in result.answer
    assert result.citations and all(s.supported for s in result.sentences)


def test_question_far_from_every_document_abstains_without_calling_the_model(
    indexed: RagApp, model: ScriptedModel
) -> None:
    result = indexed.answers.ask(indexed.ask_request("zebra quantum tango?", "default", top_k=4))

    assert result.abstained and result.answer == ABSTAIN_TEXT
    assert result.citations == [] and result.closest_sources
    assert model.prompts == []


def test_an_abstention_lists_each_closest_place_once(indexed: RagApp) -> None:
    request = indexed.ask_request("What is the boiling point of zorblium?", "default", top_k=8)
    retrieved = indexed.search(request)
    assert len({(c.source, c.page) for c in retrieved}) < len(retrieved)  # some file twice

    result = indexed.answers.ask(request)

    places = [(c.source, c.page) for c in result.closest_sources]
    assert result.abstained and places and len(places) == len(set(places))
    assert places[0] == (retrieved[0].source, retrieved[0].page)


@pytest.mark.parametrize("question", ["", "   ", "x" * 5000])
def test_bad_questions_are_input_errors(indexed: RagApp, question: str) -> None:
    with pytest.raises(InvalidInputError):
        indexed.answers.ask(indexed.ask_request(question, "default", top_k=4))


def test_conversation_id_is_echoed(indexed: RagApp, model: ScriptedModel) -> None:
    conversation_id = indexed.conversations.create("default")["id"]
    result = indexed.answers.ask(
        indexed.ask_request("annual leave days?", "default", 4, conversation_id=conversation_id)
    )
    assert result.conversation_id == conversation_id


@pytest.mark.parametrize(
    ("question", "answer"),
    [("What is 40366 / 439?", "91.9499"), ("calculate 12% of 2450", "294")],
)
def test_arithmetic_questions_go_to_the_calculator_not_the_model(
    indexed: RagApp, model: ScriptedModel, question: str, answer: str
) -> None:
    result = indexed.answers.ask(indexed.ask_request(question, "default", top_k=4))

    assert answer in result.answer and not result.abstained
    assert model.prompts == []
    body = result.to_json()
    assert body["tool_calls"][0]["name"] == "calculator"
    assert body["tool_calls"][0]["result"] == answer


def test_document_questions_with_numbers_still_use_the_documents(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append("Customers get 8% off when they buy two or more batteries.")
    result = indexed.answers.ask(
        indexed.ask_request("What discount do I get for 2 batteries?", "default", top_k=4)
    )
    assert result.tool_calls == [] and model.prompts


def test_the_stream_releases_only_verified_sentences_and_streams_exactly_the_answer(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append(
        "Great question. Full-time employees receive 26 days of paid annual leave per year. "
        "Enjoy them. Full-time employees receive 26 days of paid annual leave per year."
    )

    stream = indexed.answers.stream(
        indexed.ask_request("How many days of annual leave?", "default", top_k=4)
    )
    deltas = list(stream)

    assert "".join(deltas) == stream.result.answer
    # The opener and the closer are not verified, and the repeat is shown once.
    assert deltas == ["Full-time employees receive 26 days of paid annual leave per year."]
    assert [s.supported for s in stream.result.sentences] == [True]
    assert stream.result.timings["completion_tokens"] > 0


def test_a_stream_with_no_supported_sentence_gives_only_the_quoted_fallback(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append("Employees get 99 days off. They also get a free car.")

    stream = indexed.answers.stream(
        indexed.ask_request("How many days of annual leave?", "default", top_k=4)
    )
    deltas = list(stream)

    assert deltas == [stream.result.answer]
    assert "99" not in stream.result.answer and stream.result.citations


def test_sentences_are_dropped_weakest_first_until_the_prompt_fits_the_context(
    indexed: RagApp, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "How many days of annual leave?"
    chunks = indexed.retriever.search(question, "default", 4)
    ranked = rank_evidence(analyse(question), chunks, embedder_similarity(indexed.embedder))
    context = select_context(ranked)
    two_sentences = model.count_tokens(build_messages(question, context[:2]))
    monkeypatch.setattr(model, "n_ctx", two_sentences + indexed.settings.llm_max_tokens)
    model.replies.append("Full-time employees receive 26 days of paid annual leave per year.")

    trimmed = indexed.answers.ask(indexed.ask_request(question, "default", top_k=4))

    prompt = model.prompts[-1]
    assert model.count_tokens(prompt) + indexed.settings.llm_max_tokens <= model.n_ctx
    assert prompt[-1]["content"].count("\n") < build_messages(question, context)[-1][
        "content"
    ].count("\n")
    assert context[0].reads in prompt[-1]["content"]
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
    indexed: RagApp, model: ScriptedModel, reply: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Evidence weak enough to doubt, not so weak that the answer abstains before the model.
    monkeypatch.setattr(indexed.settings, "abstain_min_support", 0.0)
    model.replies.append(reply)
    result = indexed.answers.ask(
        indexed.ask_request("Does the company offer a pension plan for staff?", "default", 4)
    )
    assert model.prompts
    assert result.abstained and result.answer == ABSTAIN_TEXT
    assert result.citations == [] and result.closest_sources
    assert 0 <= result.support < CONFIDENT_SUPPORT


def test_weak_evidence_abstains_before_the_model_is_asked(
    indexed: RagApp, model: ScriptedModel
) -> None:
    result = indexed.answers.ask(
        indexed.ask_request("Does the company offer a pension plan for staff?", "default", 4)
    )
    assert result.abstained and result.closest_sources and model.prompts == []


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
    result = rag_app.answers.ask(rag_app.ask_request(follow_up, "default", 2, history=history))

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
        # It points back with "that", but names what it asks about itself.
        ("My battery shows E04, what does that mean?", False),
    ],
)
def test_follow_up_detection(question: str, follow_up: bool) -> None:
    from rag.answer.condense import is_follow_up, standalone_query

    assert is_follow_up(question) is follow_up
    history = [{"role": "user", "content": "Tell me about the Solar Gateway G3 and the K2."}]
    expected = f"Solar Gateway G3 K2 {question}" if follow_up else question
    assert standalone_query(question, history) == expected
    assert standalone_query(question, []) == question
    unnamed = [{"role": "user", "content": "how long is parental leave?"}]
    assert standalone_query("And for adoption?", unnamed) == (
        "how long is parental leave? And for adoption?"
    )


def test_the_quoted_fallback_marks_where_the_asked_fact_stands(
    indexed: RagApp, model: ScriptedModel
) -> None:
    model.replies.append("Employees get 99 days off.")
    result = indexed.answers.ask(
        indexed.ask_request("How many days of annual leave?", "default", top_k=4)
    )
    [sentence] = [s for s in result.sentences if s.answer_span]
    start, end = sentence.answer_span
    assert sentence.text[start:end].startswith("26")
    assert result.to_json()["sentences"][0]["answer_span"] == [start, end]


@pytest.mark.parametrize("top_k", [0, 51])
def test_top_k_outside_its_one_bound_is_an_input_error(indexed: RagApp, top_k: int) -> None:
    with pytest.raises(InvalidInputError, match="top_k must be between 1 and 50"):
        indexed.ask_request("How many days of annual leave?", "default", top_k)


def test_a_quoted_sentence_wrapped_in_its_source_reads_as_one_line(
    rag_app: RagApp, model: ScriptedModel, tmp_path: Path
) -> None:
    text = (
        "The office opened in 2019 and since then it has had room for exactly\n"
        "45 desks across two floors of the building.\n"
    )
    result = _quoted(rag_app, model, tmp_path, text, "How many desks are there?")

    assert "\n" not in result.answer and "45 desks" in result.answer
    assert "\n" in result.citations[0].text  # the quote itself stays exact


def test_a_question_about_something_no_document_names_says_so_without_the_model(
    indexed: RagApp, model: ScriptedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not the support threshold: the documents never name what is asked about.
    monkeypatch.setattr(indexed.settings, "abstain_min_support", 0.0)
    result = indexed.answers.ask(
        indexed.ask_request("What is the annual leave of Zorblium?", "default", top_k=4)
    )
    assert result.abstained and "Zorblium" in result.answer
    assert result.citations == [] and result.closest_sources
    assert model.prompts == []


def test_a_quoted_lead_in_reads_with_its_list_without_markdown_emphasis(
    rag_app: RagApp, model: ScriptedModel, tmp_path: Path
) -> None:
    text = (
        "# Modes\n\nThe unit is set up in the app. The Zephyr has three operating modes:\n\n"
        "- **Eco**: saves energy at night.\n- **Boost**: runs at full power.\n"
        "- **Quiet**: keeps the fan slow.\n\nClean the filter monthly.\n"
    )
    question = "Which operating modes does the Zephyr have?"
    result = _quoted(rag_app, model, tmp_path, text, question)

    assert [s.text for s in result.sentences] == [
        "The Zephyr has three operating modes:",
        "Eco: saves energy at night.",
        "Boost: runs at full power.",
        "Quiet: keeps the fan slow.",
    ]
    assert all(s.citations for s in result.sentences) and len(result.citations) == 4


def _quoted(
    rag_app: RagApp, model: ScriptedModel, tmp_path: Path, text: str, question: str
) -> AskResult:
    """The answer to `question` from one Markdown file holding `text`, when the model writes
    nothing the sources support (so the quoted fallback answers)."""
    corpus = tmp_path / "one-file"
    corpus.mkdir()
    (corpus / "notes.md").write_text(text)
    rag_app.indexer.sync([scan_path(corpus, 10**6)], "default")
    model.replies.append("Nothing the sources support.")
    return rag_app.answers.ask(rag_app.ask_request(question, "default", 2))
