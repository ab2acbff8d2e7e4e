"""Chat templates are code shipped inside model files, so they are rendered in a sandbox, under
a time and an output limit.

The template runs in Jinja's `ImmutableSandboxedEnvironment`, set up as llama-cpp-python's
`Jinja2ChatFormatter` sets it up: attribute walks such as `lipsum.__globals__` raise
`SecurityError` instead of running. A template may still loop for ever or build a string of
gigabytes (issue 39): the output is counted as it is produced and refused past
`MAX_PROMPT_CHARS`; repetition, powers and padding are refused before they build anything that
large; and a render still running after `MAX_RENDER_S` is interrupted in its thread.
"""

import ctypes
import operator
import threading
from typing import Any

from jinja2 import BaseLoader
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

from rag.errors import ModelError
from rag.llm import Message

# Used when a GGUF carries no template: ChatML, which most small instruct models follow.
CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
# Far above any prompt a context window holds (a million tokens of ~4 characters).
MAX_PROMPT_CHARS = 4 * 1024 * 1024
MAX_RENDER_S = 2.0
_MAX_POWER_BITS = 64 * 1024


class TemplateLimitError(SecurityError):
    pass


class _BoundedEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            return operator.mul(left, right)
        if operator_ == "**":
            huge = isinstance(left, int) and isinstance(right, int) and abs(left) > 1
            if huge and right * abs(left).bit_length() > _MAX_POWER_BITS:
                raise TemplateLimitError("a power over the template's size limit")
            return operator.pow(left, right)
        return super().call_binop(context, operator_, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # str.ljust(10**9), range of a huge count and the like: no number argument may exceed
        # the output limit.
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and abs(value) > MAX_PROMPT_CHARS:
                raise TemplateLimitError("a call with a number over the template's size limit")
        return super().call(__context, __obj, *args, **kwargs)


def _check_repeat(sequence: Any, times: Any) -> None:
    repeated = isinstance(sequence, str | bytes | list | tuple) and isinstance(times, int)
    if repeated and len(sequence) * times > MAX_PROMPT_CHARS:
        raise TemplateLimitError("a repetition over the template's size limit")


def _center(value: Any, width: int = 80) -> str:
    if width > MAX_PROMPT_CHARS:
        raise TemplateLimitError("a width over the template's size limit")
    return str(value).center(width)


class ChatTemplate:
    def __init__(self, template: str | None, bos_token: str, eos_token: str) -> None:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        environment = _BoundedEnvironment(
            loader=BaseLoader(),
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=[Jinja2ChatFormatter.IgnoreGenerationTags, loopcontrols],
        )
        environment.filters["tojson"] = Jinja2ChatFormatter.tojson
        environment.filters["center"] = _center
        self._tokens = {"bos_token": bos_token, "eos_token": eos_token}
        try:
            self._template = environment.from_string(template or CHATML)
        except TemplateError as exc:
            raise ModelError(f"the model's chat template does not parse: {exc}") from None

    def render(self, messages: list[Message]) -> tuple[str, bool]:
        """The prompt text, and whether it already holds the BOS token (a template renders
        it itself, as llama-cpp-python's formatter assumes)."""
        outcome: dict[str, Any] = {}
        worker = threading.Thread(
            target=self._render_into, args=(messages, outcome), name="chat-template", daemon=True
        )
        worker.start()
        worker.join(MAX_RENDER_S)
        if worker.is_alive():
            _interrupt(worker)
            raise ModelError(
                f"the model's chat template failed: it ran past its {MAX_RENDER_S:g} s time limit"
            )
        error = outcome.get("error")
        if isinstance(error, SecurityError):
            message = f"the model's chat template tried an unsafe operation: {error}"
            raise ModelError(message)
        if isinstance(error, TemplateError | ValueError | TypeError | ArithmeticError):
            raise ModelError(f"the model's chat template failed: {error}")
        if error is not None:
            raise error
        return outcome["prompt"], True

    def _render_into(self, messages: list[Message], outcome: dict[str, Any]) -> None:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        def raise_exception(message: str) -> None:
            raise ValueError(message)

        try:
            parts, size = [], 0
            for part in self._template.generate(
                messages=messages,
                raise_exception=raise_exception,
                add_generation_prompt=True,
                # What llama-cpp-python's formatter passes, for templates that test them.
                functions=None,
                function_call=None,
                tools=None,
                tool_choice=None,
                strftime_now=Jinja2ChatFormatter.strftime_now,
                **self._tokens,
            ):
                size += len(part)
                if size > MAX_PROMPT_CHARS:
                    raise TemplateLimitError(
                        f"its output went past the {MAX_PROMPT_CHARS}-character size limit"
                    )
                parts.append(part)
            outcome["prompt"] = "".join(parts)
        except (Exception, _Interrupted) as exc:  # handed to the caller's thread
            outcome["error"] = exc


class _Interrupted(BaseException):
    """Raised inside a render's thread that ran past its time (never caught by a template)."""


def _interrupt(worker: threading.Thread) -> None:
    """Stop `worker`'s pure-Python loop: CPython raises the exception in it at its next
    bytecode check; Jinja's compiled templates are plain Python loops."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(worker.ident or 0), ctypes.py_object(_Interrupted)
    )
