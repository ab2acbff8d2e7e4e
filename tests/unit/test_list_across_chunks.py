"""A list the chunk boundary cuts reads whole for a list or steps question: the chunk ending in
a list item runs on into the chunk after it (found by its id in the store)."""

from pathlib import Path

from rag.answer.layout import ends_in_list
from rag.answer.orchestrator import AnswerContext
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.retrieve import RetrievedChunk, joined
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel

STEPS = "\n".join(
    f"{n}. Step {n} of getting an allotment plot: {words}."
    for n, words in enumerate(
        [
            "complete the application form online or at the Guildhall reception desk",
            "the allotments officer adds you to the waiting list for the sites you named",
            "when a plot becomes free you are offered it by email and have 14 days to decide",
            "sign the tenancy agreement and pay the first year's rent before you start",
            "collect your gate key from the Guildhall and meet your site representative",
        ],
        1,
    )
)


def _chunk(text: str, start: int, page: int | None = 1) -> RetrievedChunk:
    return RetrievedChunk("c", text, "/d/a.md", "a.md", "d", page, start, start + len(text), 1, 1)


def test_two_overlapping_chunks_join_into_the_page_text_they_cover() -> None:
    page = "Intro line.\n1. First step.\n2. Second step.\n3. Third step."
    first = _chunk(page[:27], 0)
    second = _chunk(page[20:], 20)
    both = joined(first, second)
    assert (both.text, both.start, both.end) == (page, 0, len(page))
    assert joined(first, _chunk(page[30:], 30, page=2)) is first  # another page
    assert joined(first, _chunk(page[30:], 30)) is first  # a gap between them


def test_a_chunk_ending_in_a_list_item_or_the_line_announcing_one_may_be_cut() -> None:
    assert ends_in_list(_chunk("To get a plot:\n1. Fill in the form.\n2. Wait", 0))
    assert ends_in_list(_chunk("Intro.\n3.2 The following are prohibited streets:\n", 0))
    assert ends_in_list(_chunk("Resolved that:\n  (a) the budget be approved;", 0))
    assert not ends_in_list(_chunk("Intro.\nThe plot rent is due in October.", 0))


def test_a_steps_question_reads_a_list_the_chunk_boundary_cuts(
    rag_app: RagApp, tmp_path: Path
) -> None:
    folder = tmp_path / "handbook"
    folder.mkdir()
    (folder / "allotments.md").write_text(f"# Getting a plot\n\nTo get a plot:\n\n{STEPS}\n")
    rag_app.indexer.sync([scan_path(folder, 10**6)], "default")
    request = rag_app.ask_request("How do I get an allotment plot?", "default", top_k=1)
    chunks = rag_app.retriever.search(request.question, "default", 1)
    assert "14 days" not in chunks[0].text or "tenancy" not in chunks[0].text  # it is cut
    orchestrator = rag_app.answers
    context = AnswerContext(
        request,
        orchestrator._retriever,
        orchestrator._similarity,
        orchestrator._support,
        None,
        orchestrator._known_word,
        orchestrator._synonyms,
    )
    assert context.focus.answer_type == "procedure"
    (read,) = context.chunks
    assert len(read.text) > len(chunks[0].text)
    page = (folder / "allotments.md").read_text()
    assert page[read.start : read.end] == read.text  # still quotable: citations resolve


def test_a_list_questions_best_chunks_run_on_though_they_end_in_prose(tmp_path: Path) -> None:
    # "The HWRC is on Quarry Lane. ... Items accepted include:" with the lead-in and its items
    # past the boundary of the chunk that names the centre (chunks overlap, as by default)
    folder = tmp_path / "guide"
    folder.mkdir()
    facts = ["is run by the county council", "asks for proof of address", "has a one-way system",
             "is busiest on Saturdays", "is quiet on weekday afternoons", "takes no trade waste",
             "needs a permit for vans"]  # fmt: skip
    prose = " ".join(f"The Quarry Lane recycling centre {fact}." for fact in facts)
    items = "\n".join(f"- {item}" for item in ["Garden waste", "Paint", "Batteries", "Rubble"])
    (folder / "guide.md").write_text(
        f"# Recycling centre\n\n{prose} Items accepted include:\n{items}\n"
    )
    settings = Settings(data_dir=tmp_path / "data", chunk_size=64, chunk_overlap=24)
    with RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel()) as app:
        app.indexer.sync([scan_path(folder, 10**6)], "default")
        question = "What sorts of things can I take to the Quarry Lane recycling centre?"
        request = app.ask_request(question, "default", top_k=1)
        (retrieved,) = app.retriever.search(request.question, "default", 1)
        assert "Rubble" not in retrieved.text and not ends_in_list(retrieved)
        answers = app.answers
        context = AnswerContext(request, answers._retriever, answers._similarity, answers._support,
                                None, answers._known_word, answers._synonyms)  # fmt: skip
        assert context.focus.answer_type == "list"
        (read,) = context.chunks
        assert "Rubble" in read.text
