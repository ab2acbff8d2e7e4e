"""The answerability verifier: its weight format, and the shipped weights on clear cases.

The cases are invented here (not sample_docs text): each question has a sentence that states the
answer and a hard negative that retrieval would bring next to it.
"""

from pathlib import Path

import numpy as np
import pytest

from rag.answer.verifier import WEIGHTS_DIR, AnswerabilityVerifier, save_weights
from rag.errors import ModelNotFoundError
from rag.settings import Settings
from tests.fakes import HashEmbedder

# (question, sentence stating the answer, hard negative)
CASES = [
    (  # same entity, other attribute
        "How heavy is the Brenna T7 vacuum cleaner?",
        "The Brenna T7 weighs 4.2 kg without its dust box.",
        "The Brenna T7 costs 299 euros in most shops.",
    ),
    (  # same attribute, another release
        "When was Lumofield 2.4 released?",
        "Lumofield 2.4 shipped on 3 March 2021.",
        "Lumofield 3.1 shipped on 9 June 2023.",
    ),
    (  # the topic, without a value
        "How many people live in Carrowmere?",
        "Carrowmere is home to 48,200 residents.",
        "Ask the town hall about the population of Carrowmere.",
    ),
    (  # a near miss: another kind of leave
        "How many weeks of parental leave do staff at Corvel Analytics get?",
        "New parents at Corvel Analytics may stay home for 16 weeks on full pay.",
        "Corvel Analytics gives every employee 28 days of paid vacation a year.",
    ),
    pytest.param(  # the question asked back, as in an FAQ
        "Which port does Quillbase 5 listen on?",
        "By default Quillbase 5 serves requests on port 7311.",
        "Which port does Quillbase 5 listen on by default?",
        marks=pytest.mark.xfail(
            reason="known weakness: a near-verbatim echo of the question scores as high as the "
            "answer (0.99); the answer stage drops questions before the verifier (a sentence "
            "ending in '?' is not Evidence.answer_like: test_answer.py)",
            strict=False,
        ),
    ),
]


def _tiny_weights(folder: Path, embedder_id: str, dimension: int) -> None:
    rng = np.random.default_rng(0)
    width = 4 * dimension + 1 + 2  # [q, s, q*s, |q-s|], cosine, two lexical cues
    layers = [
        (rng.normal(0, 0.05, (width, 8)), np.zeros(8)),
        (rng.normal(0, 0.05, (8, 1)), np.zeros(1)),
    ]
    save_weights(folder, layers, {"embedder": embedder_id, "hidden": 8, "lexical": True})


def test_scores_read_saved_weights(tmp_path: Path) -> None:
    embedder = HashEmbedder()
    _tiny_weights(tmp_path, embedder.model_id, embedder.dimension)
    verifier = AnswerabilityVerifier(embedder, tmp_path)
    scores = verifier.scores("How heavy is it?", ["It weighs 4 kg.", "Price: 20 euros"])
    assert len(scores) == 2 and all(0.0 <= s <= 1.0 for s in scores)
    assert verifier.scores("How heavy is it?", []) == []


def test_weights_of_another_embedder_are_refused(tmp_path: Path) -> None:
    embedder = HashEmbedder()
    _tiny_weights(tmp_path, "some-other-model", embedder.dimension)
    assert not AnswerabilityVerifier.fits(embedder, tmp_path)
    with pytest.raises(ModelNotFoundError, match="training.verifier"):
        AnswerabilityVerifier(embedder, tmp_path).scores("How heavy is it?", ["It weighs 4 kg."])


def test_missing_weights_say_how_to_make_them(tmp_path: Path) -> None:
    assert not AnswerabilityVerifier.available(tmp_path)
    with pytest.raises(ModelNotFoundError, match="training.verifier"):
        AnswerabilityVerifier(HashEmbedder(), tmp_path).scores("Who?", ["Anna did."])


@pytest.fixture(scope="module")
def shipped() -> AnswerabilityVerifier:
    if not AnswerabilityVerifier.available(WEIGHTS_DIR):
        pytest.skip("no verifier weights shipped (training/verifier.py did not write them)")
    from rag.embed import SentenceTransformerEmbedder, bundled_embedder_path

    embedder = SentenceTransformerEmbedder(bundled_embedder_path())
    assert AnswerabilityVerifier.fits(embedder)
    return AnswerabilityVerifier(embedder)


@pytest.mark.parametrize(("question", "answer", "negative"), CASES)
def test_shipped_weights_rank_the_answer_above_its_hard_negative(
    shipped: AnswerabilityVerifier, question: str, answer: str, negative: str
) -> None:
    good, bad = shipped.scores(question, [answer, negative])
    assert good > bad, (question, good, bad)


class _FixedVerifier:
    """Scores every sentence alike, so only the signal's other readings move it."""

    def scores(self, question: str, sentences: list[str]) -> list[float]:
        return [0.2] * len(sentences)


def _support(text: str, sentence_cosine: float, chunk_cosine: float) -> float:
    from rag.answer.abstain import verifier_signal
    from rag.answer.context import rank_evidence
    from rag.answer.question import analyse
    from rag.retrieve import RetrievedChunk

    chunk = RetrievedChunk("c", text, "/d/t7.md", "t7.md", "d", None, 0, len(text), 1.0,
                           chunk_cosine)  # fmt: skip
    focus = analyse("How heavy is the Brenna T7 vacuum cleaner?")
    ranked = rank_evidence(focus, [chunk], lambda q, texts: [sentence_cosine] * len(texts))
    return verifier_signal(_FixedVerifier())(focus, ranked)  # type: ignore[arg-type]


def test_support_rises_when_a_best_sentence_states_the_asked_kind_of_thing() -> None:
    typed = _support("Brenna T7 weighs 4.2 kg. Brenna T7 comes in grey.", 0.4, 0.4)
    untyped = _support("Brenna T7 comes in grey. Brenna T7 runs quietly.", 0.4, 0.4)
    assert 0.0 < untyped < typed < 1.0


def test_support_rises_when_a_sentence_stands_closer_to_the_question_than_its_passage() -> None:
    text = "Brenna T7 weighs 4.2 kg. Brenna T7 comes in grey."
    assert _support(text, 0.6, 0.3) > _support(text, 0.3, 0.3) > _support(text, 0.3, 0.6)


def test_the_abstention_threshold_is_the_one_calibrated_for_the_signal_unless_set(
    settings: Settings,
) -> None:
    from rag.answer.abstain import COVERAGE_MIN_SUPPORT
    from rag.app import RagApp

    settings.abstain_min_support = None
    with RagApp(settings, embedder=HashEmbedder()) as app:  # no verifier fits the hash embedder
        assert app.min_support == COVERAGE_MIN_SUPPORT
    settings.abstain_min_support = 0.5
    with RagApp(settings, embedder=HashEmbedder()) as app:
        assert app.min_support == 0.5


class _WholeListVerifier:
    """Scores a text high only when it holds every step, as a whole list does."""

    def scores(self, question: str, sentences: list[str]) -> list[float]:
        return [0.9 if "form" in s and "fee" in s else 0.1 for s in sentences]


def test_a_list_question_is_supported_by_its_list_read_whole() -> None:
    from rag.answer.abstain import verifier_signal
    from rag.answer.context import rank_evidence
    from rag.answer.question import analyse
    from rag.retrieve import RetrievedChunk

    text = "To book a bulky waste pickup:\n- Fill in the booking form.\n- Pay the £25 fee online."
    chunk = RetrievedChunk("c", text, "/d/w.md", "w.md", "d", None, 0, len(text), 1.0, 0.5)
    focus = analyse("How do I book a bulky waste pickup?")
    assert focus.answer_type == "procedure"
    ranked = rank_evidence(focus, [chunk], lambda q, texts: [0.5] * len(texts))
    whole = verifier_signal(_WholeListVerifier())(focus, ranked)  # type: ignore[arg-type]
    parts = verifier_signal(_FixedVerifier())(focus, ranked)  # type: ignore[arg-type]
    assert whole > parts


def test_steps_in_prose_are_supported_by_their_paragraph_read_whole() -> None:
    from rag.answer.abstain import verifier_signal
    from rag.answer.context import rank_evidence
    from rag.answer.question import analyse
    from rag.retrieve import RetrievedChunk

    text = "Bulky waste pickups are booked with the clerk. Fill in the form. Then pay the fee."
    chunk = RetrievedChunk("c", text, "/d/w.md", "w.md", "d", None, 0, len(text), 1.0, 0.5)
    focus = analyse("How do I book a bulky waste pickup?")
    ranked = rank_evidence(focus, [chunk], lambda q, texts: [0.5] * len(texts))
    whole = verifier_signal(_WholeListVerifier())(focus, ranked)  # type: ignore[arg-type]
    parts = verifier_signal(_FixedVerifier())(focus, ranked)  # type: ignore[arg-type]
    assert whole > parts
