"""Private, local-first retrieval-augmented generation.

The data path reads in the package layout: connectors → ingest → embed → store → retrieve →
generate (llm, tools) → cite (answer). `rag.app` is the one place that builds the parts.
"""

__version__ = "0.1.0"
