"""Optional second-stage ranking: a cross-encoder rescoring (query, chunk) pairs.

Off by default: no cross-encoder ships inside a PyPI package, and nothing is fetched at run
time. Set `RAG_RERANK_MODEL` to a local sentence-transformers CrossEncoder folder to enable it.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from rag.errors import ModelNotFoundError


class Reranker(Protocol):
    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        """Relevance of each text to the query; higher is better."""
        ...


class CrossEncoderReranker:
    def __init__(self, model_path: Path) -> None:
        if not (model_path / "config.json").is_file():
            raise ModelNotFoundError(
                f"reranker folder {model_path} is not a local CrossEncoder model; "
                "fix RAG_RERANK_MODEL or unset it"
            )
        self._path = model_path
        self._model = None

    def scores(self, query: str, texts: Sequence[str]) -> list[float]:
        if self._model is None:
            from sentence_transformers import CrossEncoder

            self._model = CrossEncoder(str(self._path), device="cpu", local_files_only=True)
        return [float(s) for s in self._model.predict([(query, t) for t in texts])]
