"""Third-party plugin code behind a guard: every call under the time limit, every failure turned
into a PluginError naming the plugin (and counted in its record), every result checked against
its kind's contract before the rest of the project sees it. Built-ins are not wrapped."""

import dataclasses
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

from rag.connectors import RawSource, Scan
from rag.errors import PluginError
from rag.ingest.pages import Page
from rag.plugins.discovery import PluginRecord
from rag.plugins.kinds import (
    ConnectorContext,
    ConnectorPlugin,
    ReaderContext,
    ReaderPlugin,
    ToolContext,
    ToolPlugin,
)
from rag.plugins.limits import TimeLimitError, call_with_limit
from rag.tools import Tool, ToolError

log = logging.getLogger(__name__)
Result = TypeVar("Result")
TOOL_TYPES = frozenset({"string", "integer", "number", "boolean"})


class PluginGuard:
    def __init__(self, record: PluginRecord, timeout_s: float) -> None:
        self.record = record
        self._timeout_s = timeout_s

    def call(self, what: str, function: Callable[[], Result]) -> Result:
        """`function()` under the time limit; a plugin that overruns is disabled."""
        record = self.record
        if record.error is not None:
            raise PluginError(f"{record.label} is disabled: {record.error}")
        try:
            return call_with_limit(function, self._timeout_s, record.label)
        except TimeLimitError as exc:
            record.error = f"{what} hung: {exc}; disabled until the next start"
            self.fail(f"{what}: {exc}; disabled until the next start")
        except (ToolError, PluginError):
            raise
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - its failure, never ours
            self.fail(f"{what} failed: {type(exc).__name__}: {exc}")

    def fail(self, problem: str) -> NoReturn:
        """Record and raise a failure of this plugin."""
        message = f"{self.record.label}: {problem}"
        self.record.note_failure(message)
        log.warning("%s", message)
        raise PluginError(message)


class GuardedReader:
    def __init__(
        self, reader: ReaderPlugin, guard: PluginGuard, options: Mapping[str, str]
    ) -> None:
        self.file_type = reader.file_type
        self.extensions = tuple(reader.extensions)
        self._reader = reader
        self._guard = guard
        self._options = options

    def read(self, data: bytes, context: ReaderContext) -> list[Page]:
        context = dataclasses.replace(context, options=self._options)
        pages = self._guard.call("read", lambda: list(self._reader.read(data, context)))
        for index, page in enumerate(pages):
            problem = page_problem(page)
            if problem:
                self._guard.fail(f"page {index + 1} rejected: {problem}")
        return pages


def page_problem(page: object) -> str | None:
    """Why a reader's page breaks the contract (its spans must resolve), or None."""
    if not isinstance(page, Page) or not isinstance(page.text, str):
        return f"a reader returns rag.plugins.Page objects with text, got {type(page).__name__}"
    if page.number is not None and (not isinstance(page.number, int) or page.number < 1):
        return f"page number {page.number!r} is not 1 or more"
    for record in page.records:
        if not 0 <= record.start < record.end <= len(page.text):
            return (
                f"record span {record.start}-{record.end} does not resolve in a "
                f"{len(page.text)}-character text"
            )
        spanned = page.text[record.start : record.end]
        missing = [value for value in record.cells.values() if value not in spanned]
        if missing:
            return f"record span {record.start}-{record.end} does not hold its cells {missing}"
    return None


class GuardedConnector:
    def __init__(
        self, connector: ConnectorPlugin, guard: PluginGuard, options: Mapping[str, str]
    ) -> None:
        self.schemes = tuple(connector.schemes)
        self._connector = connector
        self._guard = guard
        self._options = options

    def scan(self, uri: str, context: ConnectorContext) -> Scan:
        context = dataclasses.replace(context, options=self._options)
        scan = self._guard.call("scan", lambda: self._connector.scan(uri, context))
        if not isinstance(scan, Scan):
            self._guard.fail(f"scan returned {type(scan).__name__}, not a rag.plugins.Scan")
        own = tuple(f"{scheme}://" for scheme in self.schemes)
        if scan.scope is not None and not (scan.scope.startswith(own) and scan.scope not in own):
            # A wider scope would delete the chunks of sources another connector brought.
            self._guard.fail(f"scope {scan.scope!r} is not within one of {own}")
        bad = [s for s in scan.sources if not isinstance(s, RawSource)]
        if bad:
            self._guard.fail(f"scan listed {type(bad[0]).__name__}, not rag.plugins.RawSource")
        return dataclasses.replace(scan, sources=[self._guarded(s) for s in scan.sources])

    def _guarded(self, source: RawSource) -> RawSource:
        return dataclasses.replace(source, read=lambda: self._guard.call("read", source.read))


def checked_parameters(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """A tool plugin's argument schema in the form every tool call is validated against."""
    properties = parameters.get("properties", {}) if parameters.get("type") == "object" else None
    if not isinstance(properties, dict):
        raise ValueError('parameters must be {"type": "object", "properties": {...}}')
    for name, spec in properties.items():
        if not isinstance(spec, dict) or spec.get("type") not in TOOL_TYPES:
            raise ValueError(f"argument {name!r} must have a type of {sorted(TOOL_TYPES)}")
    required = list(parameters.get("required", []))
    unknown = [name for name in required if name not in properties]
    if unknown:
        raise ValueError(f"required names arguments not in properties: {unknown}")
    described = {
        name: {"type": spec["type"], "description": str(spec.get("description", ""))}
        for name, spec in properties.items()
    }
    return {
        "type": "object",
        "properties": described,
        "required": required,
        "additionalProperties": False,
    }


def plugin_tool(plugin: ToolPlugin, guard: PluginGuard, options: Mapping[str, str]) -> Tool:
    """A tool plugin as a registry tool: checked like the built-ins, run under the guard, its
    failures refusals (ToolError) that the answer stage already falls back from."""
    if not re.fullmatch(r"[A-Za-z_]\w*", str(plugin.name)):
        raise ValueError(f"tool name {plugin.name!r} is not letters, digits and _")
    context = ToolContext(options)

    def run(**arguments: Any) -> str:
        try:
            result = guard.call("run", lambda: plugin.run(dict(arguments), context))
        except PluginError as exc:
            raise ToolError(str(exc)) from None
        if not isinstance(result, str):
            guard.record.note_failure(f"{guard.record.label}: run returned no text")
            raise ToolError(f"{guard.record.label}: run returned {type(result).__name__}, not str")
        return result

    def route(question: str) -> dict[str, Any] | None:
        try:
            arguments = guard.call("route", lambda: plugin.route(question, context))
        except (PluginError, ToolError):
            return None  # reported, or refused: the question goes down the chain
        return arguments if isinstance(arguments, dict) else None

    return Tool(
        name=plugin.name,
        description=" ".join(str(plugin.description).split()),
        parameters=checked_parameters(plugin.parameters),
        function=run,
        plugin=guard.record.distribution,
        route=route,
    )
