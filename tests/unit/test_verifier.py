"""The answerability verifier: its weight format, and the shipped weights on clear cases.

The cases are invented here (not sample_docs text): each question has a sentence that states the
answer and a hard negative that retrieval would bring next to it.
"""

from pathlib import Path

import numpy as np
import pytest

from rag.answer.verifier import WEIGHTS_DIR, AnswerabilityVerifier, save_weights
from rag.errors import ModelNotFoundError
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
            "answer (0.99); the answer stage drops questions (is_answer_like) before the verifier",
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
    with pytest.raises(ModelNotFoundError, match="train_verifier"):
        AnswerabilityVerifier(embedder, tmp_path).scores("How heavy is it?", ["It weighs 4 kg."])


def test_missing_weights_say_how_to_make_them(tmp_path: Path) -> None:
    assert not AnswerabilityVerifier.available(tmp_path)
    with pytest.raises(ModelNotFoundError, match="train_verifier"):
        AnswerabilityVerifier(HashEmbedder(), tmp_path).scores("Who?", ["Anna did."])


@pytest.fixture(scope="module")
def shipped() -> AnswerabilityVerifier:
    if not AnswerabilityVerifier.available(WEIGHTS_DIR):
        pytest.skip("no verifier weights shipped (bench/train_verifier.py did not write them)")
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
