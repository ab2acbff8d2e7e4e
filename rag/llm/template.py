"""Chat templates are code shipped inside model files, so they are rendered in a sandbox.

llama-cpp-python's `Jinja2ChatFormatter` renders with Jinja's `ImmutableSandboxedEnvironment`:
attribute walks such as `lipsum.__globals__` raise `SecurityError` instead of running.
"""

from jinja2.exceptions import SecurityError, TemplateError

from rag.errors import ModelError
from rag.llm import Message

# Used when a GGUF carries no template: ChatML, which most small instruct models follow.
CHATML = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


class ChatTemplate:
    def __init__(self, template: str | None, bos_token: str, eos_token: str) -> None:
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        try:
            self._formatter = Jinja2ChatFormatter(
                template=template or CHATML, eos_token=eos_token, bos_token=bos_token
            )
        except TemplateError as exc:
            raise ModelError(f"the model's chat template does not parse: {exc}") from None

    def render(self, messages: list[Message]) -> tuple[str, bool]:
        """The prompt text, and whether it already holds the BOS token."""
        try:
            result = self._formatter(messages=messages)
        except SecurityError as exc:
            message = f"the model's chat template tried an unsafe operation: {exc}"
            raise ModelError(message) from None
        except (TemplateError, ValueError, TypeError) as exc:
            raise ModelError(f"the model's chat template failed: {exc}") from None
        return result.prompt, bool(result.added_special)
