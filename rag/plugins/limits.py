"""A time limit on plugin code. Python cannot stop a thread, so a call that overruns is left
running in a daemon thread (it never holds the process open at exit) and its plugin is disabled
until the next start, so a plugin that hangs costs one time limit, not one per call."""

import threading
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


class TimeLimitError(Exception):
    """The call did not return within its time limit."""


def call_with_limit(function: Callable[[], Result], timeout_s: float, name: str) -> Result:
    """`function()`'s result or exception, or TimeLimitError after `timeout_s` seconds."""
    outcome: dict[str, object] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = function()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name=f"plugin {name}", daemon=True).start()
    if not done.wait(timeout_s):
        raise TimeLimitError(f"no answer within {timeout_s:g} s (RAG_PLUGIN_TIMEOUT_S)")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
