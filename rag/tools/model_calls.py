"""Tool calls the model writes, for arithmetic that deterministic parsing (rag/tools/routing.py)
could not read: "I buy 3 boxes at 17.50 each; what do I pay?".

The model writes one JSON object, and a llama.cpp grammar built from the registry's schemas lets
it write nothing else: `{"tool": NAME, "arguments": {...}}` or `{"tool": "none"}`. The call is
then checked like any other (its arguments against the tool's schema), and a calculator
expression may only use numbers the question states, so a small model cannot invent a figure.
A refused call is shown to the model once with the reason; after MAX_ATTEMPTS the question goes
on without a tool, as if none had been asked for. Never a crash: every failure is a fallback.
"""

import json
import re
from decimal import Decimal
from typing import Any

from rag.llm import Message
from rag.llm.worker import ModelWorker
from rag.tools import ToolCall, ToolError, ToolRegistry
from rag.tools.routing import digits_for_number_words

MAX_ATTEMPTS = 2
CALL_TOKENS = 80
# A quantity, not a digit inside a name such as "G3" or "E04".
_NUMBER = re.compile(r"(?<![A-Za-z])\d+(?:[.,]\d+)*(?![A-Za-z])")
# Words that ask for a computation; together with two numbers they make a question worth a call.
_OPERATION = re.compile(
    r"\b(each|per|total|sum|plus|minus|times|twice|double|half|divided|split|share|average|"
    r"percent|more than|less than|difference|altogether|in all|pay|cost|left)\b|[%×÷*/+-]",
    re.I,
)
_SYSTEM = (
    "You decide whether a tool must compute the answer. Reply with one JSON object: "
    '{"tool": "<name>", "arguments": {...}} to call a tool, or {"tool": "none"}. '
    "Write numbers exactly as the question gives them. Tools:\n"
)


def call_schema(registry: ToolRegistry) -> dict[str, Any]:
    """JSON schema of one reply: a registered tool with its own arguments, or none."""
    options: list[dict[str, Any]] = [_object({"tool": {"const": "none"}})]
    for tool in registry.schemas():
        options.append(_object({"tool": {"const": tool["name"]}, "arguments": tool["parameters"]}))
    return {"oneOf": options}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


# Constants an expression may use without the question stating them (percent, twice, half).
_IMPLIED = frozenset({"1", "2", "100"})


def numbers_in(text: str) -> set[str]:
    """The numbers in `text`, spelled-out ones included, normalised ("17.50" and "17.5" agree)."""
    found = _NUMBER.findall(digits_for_number_words(text))
    return {format(Decimal(n.replace(",", "")).normalize(), "f") for n in found}


class ModelToolCaller:
    def __init__(self, worker: ModelWorker, registry: ToolRegistry) -> None:
        self._worker = worker
        self._registry = registry
        self._schema = call_schema(registry)
        listing = "\n".join(
            f"- {t['name']}: {t['description']} Arguments: "
            f"{json.dumps(t['parameters']['properties'])}"
            for t in registry.schemas()
        )
        self._system = _SYSTEM + listing

    @staticmethod
    def wants_tool(question: str) -> bool:
        """Two or more numbers and a word asking to combine them."""
        return len(_NUMBER.findall(digits_for_number_words(question))) >= 2 and bool(
            _OPERATION.search(question)
        )

    def call(self, question: str, adapter: str | None = None) -> ToolCall | None:
        """The tool call the model chose and the registry ran, or None (no tool, or no valid
        call within MAX_ATTEMPTS)."""
        messages: list[Message] = [
            {"role": "system", "content": self._system},
            {"role": "user", "content": question},
        ]
        for _ in range(MAX_ATTEMPTS):
            reply = self._worker.complete(
                messages, CALL_TOKENS, adapter=adapter, json_schema=self._schema
            ).text
            try:
                chosen = json.loads(reply)
                if chosen["tool"] == "none":
                    return None
                return self._run(chosen["tool"], chosen["arguments"], question)
            except (ToolError, ValueError, KeyError, TypeError) as exc:
                messages += [
                    {"role": "assistant", "content": reply},
                    {"role": "user", "content": f"That call was refused: {exc}. Try again."},
                ]
        return None

    def _run(self, name: str, arguments: dict[str, Any], question: str) -> ToolCall:
        if name == "calculator":
            stated = numbers_in(question) | _IMPLIED
            invented = numbers_in(str(arguments.get("expression", ""))) - stated
            if invented:
                raise ToolError(f"the numbers {sorted(invented)} are not in the question")
        return self._registry.call(name, arguments)
