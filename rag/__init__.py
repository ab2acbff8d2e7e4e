"""Private, local-first retrieval-augmented generation.

The public API is what this module exports: `Rag` (docs/API.md) and the result types its calls
return. Everything else may change. Names load on first use, so `import rag` stays fast and
imports no model runtime (torch, llama_cpp) or vector store until one is needed.

The data path reads in the package layout: connectors → ingest → embed → store → retrieve →
generate (llm, tools) → cite (answer). `rag.app` is the one place that builds the parts.
"""

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# Each public name → the module it lives in.
_EXPORTS = {
    "Rag": "rag.client",
    "AskResult": "rag.answer.types",
    "Citation": "rag.answer.types",
    "AlignedSentence": "rag.answer.types",
    "RetrievedChunk": "rag.retrieve",
    "ToolCall": "rag.tools",
    "IngestReport": "rag.ingest.report",
    "CollectionInfo": "rag.catalog",
    "DocumentInfo": "rag.catalog",
    "RagError": "rag.errors",
    "InvalidInputError": "rag.errors",
    "NotFoundError": "rag.errors",
    "IndexLockedError": "rag.errors",
    "ModelBusyError": "rag.errors",
}
__all__ = [
    "AlignedSentence",
    "AskResult",
    "Citation",
    "CollectionInfo",
    "DocumentInfo",
    "IndexLockedError",
    "IngestReport",
    "InvalidInputError",
    "ModelBusyError",
    "NotFoundError",
    "Rag",
    "RagError",
    "RetrievedChunk",
    "ToolCall",
    "__version__",
]

if TYPE_CHECKING:
    from rag.answer.types import AlignedSentence, AskResult, Citation
    from rag.catalog import CollectionInfo, DocumentInfo
    from rag.client import Rag
    from rag.errors import (
        IndexLockedError,
        InvalidInputError,
        ModelBusyError,
        NotFoundError,
        RagError,
    )
    from rag.ingest.report import IngestReport
    from rag.retrieve import RetrievedChunk
    from rag.tools import ToolCall


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'rag' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)


def __dir__() -> list[str]:
    return sorted(__all__)
