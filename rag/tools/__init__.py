"""Tools: plain typed functions. The JSON schema comes from the signature, the description from
the docstring, so adding a tool is one function plus one `rag.tools` entry point in
pyproject.toml (rag/plugins/ loads them, a third party's tools too).
"""

import inspect
import json
import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rag.errors import InvalidInputError

_JSON_TYPES: dict[type, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}


class ToolError(InvalidInputError):
    """A tool refused its arguments or could not compute a result; the message says why."""


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]  # JSON schema of the arguments object
    function: Callable[..., str]
    plugin: str | None = None  # the distribution of a third-party tool, shown in the trace
    # The arguments when a question is one this tool answers outright (a plugin's own router).
    route: Callable[[str], dict[str, Any] | None] | None = field(default=None, compare=False)

    def schema(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "parameters": self.parameters}


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]
    result: str
    plugin: str | None = None

    def to_json(self) -> dict[str, Any]:
        shown = {
            "name": self.name,
            "arguments": self.arguments,
            "result": self.result,
            "summary": call_summary(self.name, self.arguments, self.result),
        }
        return shown if self.plugin is None else {**shown, "plugin": self.plugin}


SUMMARY_CHARS = 160
_PASSAGE_SOURCE = re.compile(r'<passage source="([^"]*)">')


def call_summary(name: str, arguments: dict[str, Any], result: str) -> str:
    """A tool call in one line, as a trace shows it: `search_documents(query="G3 price") →
    2 passages: price-list.md, solar-gateway-g3.html`. Arguments are JSON values (a garbled
    one reads as what it is), found passages are named by their documents, never quoted whole,
    and a long result is cut."""
    shown = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items())
    passages = result.count("<passage")
    if passages:
        titles = ", ".join(dict.fromkeys(_PASSAGE_SOURCE.findall(result)))
        outcome = f"{passages} passage{'s' if passages != 1 else ''}" + (
            f": {titles}" if titles else ""
        )
    else:
        outcome = " ".join(result.split())
    if len(outcome) > SUMMARY_CHARS:
        outcome = outcome[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"{name}({shown}) → {outcome}"


def tool_from_function(function: Callable[..., str]) -> Tool:
    doc = inspect.getdoc(function) or ""
    summary, _, rest = doc.partition("\n\n")
    arg_docs = dict(re.findall(r"^\s*(\w+):\s*(.+)$", rest.partition("Args:")[2], re.M))
    hints = typing.get_type_hints(function)
    properties, required = {}, []
    for name, parameter in inspect.signature(function).parameters.items():
        json_type = _JSON_TYPES.get(hints.get(name, str))
        if json_type is None:
            raise TypeError(
                f"tool {function.__name__}: parameter {name} needs a str/int/float/bool"
            )
        properties[name] = {"type": json_type, "description": arg_docs.get(name, "")}
        if parameter.default is inspect.Parameter.empty:
            required.append(name)
    parameters = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return Tool(function.__name__, " ".join(summary.split()), parameters, function)


class ToolRegistry:
    def __init__(self, tools: Iterable[Tool | Callable[..., str]]) -> None:
        built = [t if isinstance(t, Tool) else tool_from_function(t) for t in tools]
        self._tools = {tool.name: tool for tool in built}

    def with_functions(self, *functions: "Tool | Callable[..., str]") -> "ToolRegistry":
        """This registry plus tools bound to one request (such as a document search)."""
        extended = ToolRegistry([])
        added = [f if isinstance(f, Tool) else tool_from_function(f) for f in functions]
        extended._tools = {**self._tools, **{t.name: t for t in added}}
        return extended

    def schemas(self) -> list[dict[str, Any]]:
        return [tool.schema() for tool in self._tools.values()]

    def names(self) -> list[str]:
        return list(self._tools)

    def call(self, name: str, arguments: dict[str, Any]) -> ToolCall:
        """Validate the arguments against the tool's schema, then run it."""
        tool = self._tools.get(name)
        if tool is None:
            raise ToolError(f"unknown tool {name!r}; available: {', '.join(self._tools)}")
        _validate(tool, arguments)
        return ToolCall(name, dict(arguments), tool.function(**arguments), tool.plugin)

    def route(self, question: str) -> tuple[str, dict[str, Any]] | None:
        """The first tool whose own router reads `question` as its call: (name, arguments)."""
        for tool in self._tools.values():
            arguments = tool.route(question) if tool.route is not None else None
            if arguments is not None:
                return tool.name, arguments
        return None


def _validate(tool: Tool, arguments: dict[str, Any]) -> None:
    properties = tool.parameters["properties"]
    missing = [n for n in tool.parameters["required"] if n not in arguments]
    unknown = [n for n in arguments if n not in properties]
    if missing or unknown:
        raise ToolError(f"{tool.name}: missing {missing or 'nothing'}, unknown {unknown or 'none'}")
    for name, value in arguments.items():
        expected = properties[name]["type"]
        ok = {
            "string": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
            # a tool with structured arguments (table_query's spec) checks their inside itself
            "array": isinstance(value, list),
            "object": isinstance(value, dict),
        }[expected]
        if not ok:
            raise ToolError(f"{tool.name}: argument {name} must be a {expected}")


def default_registry() -> ToolRegistry:
    """The built-in tools, as registered under the `rag.tools` entry points."""
    from rag.plugins.registry import builtin_tools

    return ToolRegistry(builtin_tools())
