"""The loaded plugins of one process, by what they extend: readers by file type and extension,
connectors by URI scheme, tools by name, answerers with their place in the chain.

A plugin that fails to load, or that claims a file type, scheme or name already taken, is
recorded with the reason and left out; the rest load. Third-party plugins are guarded
(rag/plugins/guards.py); built-ins run as the project's own code.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from rag.plugins.discovery import GROUPS, PluginRecord, discover, load
from rag.plugins.guards import GuardedConnector, GuardedReader, PluginGuard, plugin_tool
from rag.plugins.kinds import AnswererPlugin, ConnectorPlugin, ReaderPlugin, ToolPlugin
from rag.tools import Tool, ToolRegistry, tool_from_function

if TYPE_CHECKING:
    from rag.settings import Settings

KINDS = tuple(GROUPS)
ANSWERER_NAMES = (
    "tool_route",
    "document_arithmetic",
    "model_tools",
    "abstention",
    "grounded_generation",
    "extractive_quote",
)


@dataclass
class PlacedAnswerer:
    plugin: AnswererPlugin
    guard: PluginGuard
    options: Mapping[str, str]
    relation: str  # "before" or "after"
    anchor: str  # a built-in answerer's name


@dataclass
class Plugins:
    records: list[PluginRecord] = field(default_factory=list)
    readers: dict[str, ReaderPlugin] = field(default_factory=dict)  # by file type
    file_types: dict[str, str] = field(default_factory=dict)  # extension → file type
    connectors: dict[str, ConnectorPlugin] = field(default_factory=dict)  # by scheme
    tools: dict[str, Tool] = field(default_factory=dict)
    answerers: list[PlacedAnswerer] = field(default_factory=list)
    options: dict[str, dict[str, str]] = field(default_factory=dict)  # by distribution

    def options_for(self, record: PluginRecord) -> dict[str, str]:
        return self.options.get(record.distribution, {})

    def tool_registry(self) -> ToolRegistry:
        return ToolRegistry(self.tools.values())

    def enabled(self) -> list[PluginRecord]:
        return [record for record in self.records if record.enabled]

    def add(self, record: PluginRecord, plugin: Any, timeout_s: float) -> None:
        """Register a loaded plugin of `record.kind`, or record why it cannot be."""
        guard = PluginGuard(record, timeout_s)
        try:
            clash = _ADDERS[record.kind](self, record, plugin, guard)
        except Exception as exc:  # noqa: BLE001 - even a property that raises only skips it
            record.error = f"not a {record.kind} plugin: {exc}"
            return
        if clash:
            record.error = f"{clash} is already registered by another plugin; skipped"


def _add_reader(plugins: Plugins, record: PluginRecord, plugin: Any, guard: PluginGuard) -> str:
    _check(plugin, ReaderPlugin, "file_type, extensions and read(data, context)")
    extensions = [str(e).lower() for e in plugin.extensions]
    if any(not e.startswith(".") for e in extensions):
        raise ValueError(f"extensions start with a dot: {extensions}")
    taken = [e for e in extensions if e in plugins.file_types]
    if plugin.file_type in plugins.readers or taken:
        return f"file type {plugin.file_type!r}" + (f" (extensions {taken})" if taken else "")
    plugins.readers[plugin.file_type] = (
        plugin if record.builtin else GuardedReader(plugin, guard, plugins.options_for(record))
    )
    plugins.file_types.update(dict.fromkeys(extensions, plugin.file_type))
    return ""


def _add_connector(plugins: Plugins, record: PluginRecord, plugin: Any, guard: PluginGuard) -> str:
    _check(plugin, ConnectorPlugin, "schemes and scan(uri, context)")
    schemes = [str(s).lower() for s in plugin.schemes]
    taken = [s for s in schemes if s in plugins.connectors]
    if taken:
        return f"scheme {taken}"
    options = plugins.options_for(record)
    chosen = plugin if record.builtin else GuardedConnector(plugin, guard, options)
    plugins.connectors.update(dict.fromkeys(schemes, chosen))
    return ""


def _add_tool(plugins: Plugins, record: PluginRecord, plugin: Any, guard: PluginGuard) -> str:
    if isinstance(plugin, ToolPlugin):
        tool = plugin_tool(plugin, guard, plugins.options_for(record))
    elif callable(plugin) and record.builtin:
        tool = tool_from_function(plugin)
    else:
        raise TypeError("a tool plugin has name, description, parameters, run() and route()")
    if tool.name in plugins.tools:
        return f"tool {tool.name!r}"
    plugins.tools[tool.name] = tool
    return ""


def _add_answerer(plugins: Plugins, record: PluginRecord, plugin: Any, guard: PluginGuard) -> str:
    _check(plugin, AnswererPlugin, "name, place and try_answer(context)")
    relation, _, anchor = str(plugin.place).partition(":")
    if relation not in ("before", "after") or anchor not in ANSWERER_NAMES:
        raise ValueError(f"place is 'before:NAME' or 'after:NAME', NAME one of {ANSWERER_NAMES}")
    taken = [*ANSWERER_NAMES, *(placed.plugin.name for placed in plugins.answerers)]
    if plugin.name in taken:
        return f"answerer {plugin.name!r}"
    options = plugins.options_for(record)
    plugins.answerers.append(PlacedAnswerer(plugin, guard, options, relation, anchor))
    return ""


_ADDERS = {
    "reader": _add_reader,
    "connector": _add_connector,
    "tool": _add_tool,
    "answerer": _add_answerer,
}


def _check(plugin: Any, protocol: type, needs: str) -> None:
    if not isinstance(plugin, protocol):
        raise TypeError(f"it needs {needs}")


def load_plugins(settings: "Settings | None" = None, kinds: tuple[str, ...] = KINDS) -> Plugins:
    """Discover the plugins of `kinds`, load the enabled ones and register them. Without
    settings, the built-ins alone."""
    wanted = settings.plugins if settings is not None else []
    timeout_s = settings.plugin_timeout_s if settings is not None else 0.0
    options = settings.plugin_options if settings is not None else {}
    plugins = Plugins(options={name: dict(values) for name, values in options.items()})
    for record, point in discover(wanted):
        if record.kind not in kinds:
            continue
        plugins.records.append(record)
        if record.enabled:
            loaded = load(record, point, timeout_s)
            if loaded is not None:
                plugins.add(record, loaded, timeout_s)
    return plugins


def builtin_tools() -> list[Tool]:
    return list(load_plugins(kinds=("tool",)).tools.values())


@cache
def builtin_readers() -> Mapping[str, ReaderPlugin]:
    return MappingProxyType(load_plugins(kinds=("reader",)).readers)
