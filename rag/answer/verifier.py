"""Answerability verifier: does this source sentence state the answer to the question?

A small network over the bundled MiniLM's embeddings of the question and the sentence
([q, s, q*s, |q-s|], their cosine), with or without two lexical cues of its own (share of the
question's words the sentence holds; a digit in it), as its config says. It was
trained on generated pairs only (training/verifier.py, training/verifier_data.py): a sentence
stating the asked attribute of the asked entity scores high; the same entity's other attribute,
the same attribute of another entity, a near miss ("annual" leave for "sick" leave), the topic
without a value, a heading or a question score low. Its weights (verifier_model/, safetensors and
JSON, about 1 MB) fit only the embedder they were trained with: `fits(embedder)` says whether
the app's one is that. Numpy only; the embedder brings its own model.
"""

import json
import re
import threading
from pathlib import Path

import numpy as np

from rag.embed import DenseEmbedder
from rag.errors import ModelNotFoundError

WEIGHTS_DIR = Path(__file__).resolve().parent / "verifier_model"
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "verifier.safetensors"


_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")
# Words that only ask; the rest of a question says what the answer is about.
_ASKING = frozenset(
    """a an and are as at be by can could did do does for from get has have how i in is it its
    many much of on or the there this to was what when where which who whom why will with you
    your""".split()
)


def lexical(question: str, sentence: str) -> list[float]:
    """Share of the question's content words (first five letters) the sentence holds, and
    whether the sentence holds a digit. Kept here, not shared, so the trained weights never
    see inputs computed differently from training."""
    asked = {w[:5] for w in _WORD.findall(question.lower()) if w not in _ASKING}
    held = {w[:5] for w in _WORD.findall(sentence.lower())}
    share = len(asked & held) / len(asked) if asked else 1.0
    return [share, float(bool(_DIGIT.search(sentence)))]


def features(
    question: str, question_vector: np.ndarray, sentences: list[str], vectors: np.ndarray,
    with_lexical: bool,
) -> np.ndarray:  # fmt: skip
    """One row per sentence: [q, s, q*s, |q-s|, cosine] and, `with_lexical`, `lexical`."""
    q = np.broadcast_to(question_vector, vectors.shape)
    cosine = (q * vectors).sum(axis=1, keepdims=True)
    parts = [q, vectors, q * vectors, np.abs(q - vectors), cosine]
    if with_lexical:
        cues = [lexical(question, s) for s in sentences]
        parts.append(np.array(cues, dtype=np.float32).reshape(len(sentences), 2))
    return np.hstack(parts).astype(np.float32)


class AnswerabilityVerifier:
    """`scores(question, sentences)`: for each sentence, the chance (0..1) that it states the
    answer to `question`. Built on the app's embedder; weights load on first call."""

    def __init__(self, embedder: DenseEmbedder, weights_dir: Path = WEIGHTS_DIR) -> None:
        self._embedder = embedder
        self._weights_dir = weights_dir
        self._lock = threading.Lock()
        self._layers: list[tuple[np.ndarray, np.ndarray]] | None = None
        self._with_lexical = False

    @staticmethod
    def available(weights_dir: Path = WEIGHTS_DIR) -> bool:
        return (weights_dir / WEIGHTS_FILE).is_file() and (weights_dir / CONFIG_FILE).is_file()

    @staticmethod
    def fits(embedder: DenseEmbedder, weights_dir: Path = WEIGHTS_DIR) -> bool:
        """Whether weights exist and were trained on this embedder's vectors."""
        if not AnswerabilityVerifier.available(weights_dir):
            return False
        config = json.loads((weights_dir / CONFIG_FILE).read_text(encoding="utf-8"))
        return config.get("embedder") == embedder.model_id

    def scores(self, question: str, sentences: list[str]) -> list[float]:
        if not sentences:
            return []
        layers = self._load()
        query = np.asarray(self._embedder.embed_query(question), dtype=np.float32)
        vectors = np.asarray(self._embedder.embed_documents(sentences), dtype=np.float32)
        hidden = features(question, query, sentences, vectors, self._with_lexical)
        for n, (weight, bias) in enumerate(layers):
            hidden = hidden @ weight + bias
            if n < len(layers) - 1:
                hidden = np.maximum(hidden, 0.0)
        logits = hidden[:, 0].astype(np.float64)
        return (1.0 / (1.0 + np.exp(-logits))).tolist()

    def _load(self) -> list[tuple[np.ndarray, np.ndarray]]:
        with self._lock:
            if self._layers is None:
                self._layers = self._read()
            return self._layers

    def _read(self) -> list[tuple[np.ndarray, np.ndarray]]:
        if not self.fits(self._embedder, self._weights_dir):
            raise ModelNotFoundError(
                f"no answerability verifier weights for embedder {self._embedder.model_id!r} in "
                f"{self._weights_dir}; run `python -m training.verifier` to train them"
            )
        from safetensors.numpy import load_file

        config = json.loads((self._weights_dir / CONFIG_FILE).read_text(encoding="utf-8"))
        self._with_lexical = bool(config.get("lexical", False))
        tensors = load_file(str(self._weights_dir / WEIGHTS_FILE))
        count = len([k for k in tensors if k.startswith("weight.")])
        return [
            (tensors[f"weight.{n}"].astype(np.float32), tensors[f"bias.{n}"].astype(np.float32))
            for n in range(count)
        ]


def save_weights(
    weights_dir: Path, layers: list[tuple[np.ndarray, np.ndarray]], config: dict[str, object]
) -> None:
    """Write `layers` (weight, bias pairs, input to output) as fp16 safetensors and `config`."""
    from safetensors.numpy import save_file

    weights_dir.mkdir(parents=True, exist_ok=True)
    tensors: dict[str, np.ndarray] = {}
    for n, (weight, bias) in enumerate(layers):
        tensors[f"weight.{n}"] = np.ascontiguousarray(weight, dtype=np.float16)
        tensors[f"bias.{n}"] = np.ascontiguousarray(bias, dtype=np.float16)
    save_file(tensors, str(weights_dir / WEIGHTS_FILE))
    text = json.dumps(config, indent=2, sort_keys=True) + "\n"
    (weights_dir / CONFIG_FILE).write_text(text, encoding="utf-8")
