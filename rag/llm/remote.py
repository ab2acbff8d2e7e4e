"""Any OpenAI-compatible chat server (llama.cpp server, vLLM, TGI) as a chat model.

The URL comes from settings, never from a request. Token counts are estimated from characters
(a server's tokenizer is not reachable through the OpenAI API), erring high so budgeting keeps
prompts inside the server's context.
"""

import json
from collections.abc import Iterable, Iterator
from typing import Any

import httpx

from rag.errors import ModelError
from rag.llm import Message

CHARS_PER_TOKEN = 3  # English averages ~4; 3 over-counts on purpose
TOKENS_PER_MESSAGE = 8


class RemoteChatModel:
    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None,
        n_ctx: int,
        parallel: int,
        timeout_s: float,
        temperature: float,
        adapters: Iterable[str] = (),
    ) -> None:
        self.model_id = model
        # Servers such as vLLM (--lora-modules) serve each LoRA adapter under its own model name.
        self.adapters = frozenset(adapters)
        self.n_ctx = n_ctx
        self.parallel = parallel
        self._url = base_url.rstrip("/") + "/chat/completions"
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = httpx.Timeout(timeout_s, connect=10.0)
        self._temperature = temperature

    def count_tokens(self, messages: list[Message]) -> int:
        chars = sum(len(m.get("content") or "") for m in messages)
        return chars // CHARS_PER_TOKEN + TOKENS_PER_MESSAGE * len(messages)

    def stream(
        self,
        messages: list[Message],
        max_tokens: int,
        stop: list[str],
        adapter: str | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> Iterator[str]:
        body: dict[str, Any] = {
            "model": adapter or self.model_id,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": self._temperature,
            "stream": True,
        }
        if json_schema is not None:  # structured outputs (vLLM, llama.cpp server, OpenAI)
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "reply", "schema": json_schema, "strict": True},
            }
        if stop:
            body["stop"] = stop[:4]  # the OpenAI API accepts at most four
        try:
            with httpx.stream(
                "POST", self._url, json=body, headers=self._headers, timeout=self._timeout
            ) as response:
                if response.status_code != 200:
                    response.read()
                    raise ModelError(
                        f"the model server at {self._url} answered {response.status_code}: "
                        f"{response.text[:200]}"
                    )
                for line in response.iter_lines():
                    piece = _delta(line)
                    if piece is None:
                        return
                    if piece:
                        yield piece
        except httpx.HTTPError as exc:
            raise ModelError(f"the model server at {self._url} failed: {exc}") from None


def _delta(line: str) -> str | None:
    """The text in one server-sent event line; None at the end of the stream."""
    if not line.startswith("data:"):
        return ""
    data = line[len("data:") :].strip()
    if data == "[DONE]":
        return None
    try:
        choices = json.loads(data).get("choices") or [{}]
    except json.JSONDecodeError:
        raise ModelError(f"the model server sent a malformed event: {data[:100]}") from None
    return (choices[0].get("delta") or {}).get("content") or ""
