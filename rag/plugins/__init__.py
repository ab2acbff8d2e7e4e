"""The public plugin API: everything a connector, reader, tool or answerer plugin imports.

A plugin is an object (or a class, instantiated with no arguments) named by an entry point of
one of four groups in its distribution's pyproject.toml: `rag.connectors`, `rag.readers`,
`rag.tools`, `rag.answerers`. docs/PLUGINS.md shows one of each. The built-ins register the
same way; third-party plugins load only when RAG_PLUGINS names them.
"""

from rag.connectors import RawSource, Scan, SourceFailure
from rag.ingest.pages import Page, PageWriter, TableRecord
from rag.plugins.kinds import (
    AnswererContext,
    AnswererPlugin,
    ConnectorContext,
    ConnectorPlugin,
    Fetched,
    FetchError,
    Passage,
    PluginAnswer,
    ReaderContext,
    ReaderPlugin,
    ToolContext,
    ToolPlugin,
)
from rag.tools import ToolError

__all__ = [
    "AnswererContext",
    "AnswererPlugin",
    "ConnectorContext",
    "ConnectorPlugin",
    "FetchError",
    "Fetched",
    "Page",
    "PageWriter",
    "Passage",
    "PluginAnswer",
    "RawSource",
    "ReaderContext",
    "ReaderPlugin",
    "Scan",
    "SourceFailure",
    "TableRecord",
    "ToolContext",
    "ToolError",
    "ToolPlugin",
]
