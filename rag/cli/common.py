"""What the `rag` commands share: opening the index, going through a live server, filters.

Commands call `common.open_app(...)` through this module, so tests replace it in one place.
"""

from typing import TYPE_CHECKING

from rag.errors import InvalidInputError
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.app import RagApp
    from rag.client.backend import Backend
    from rag.client.local import LocalClient


def open_app(settings: Settings) -> "RagApp":
    """The index and the models for `settings` (`rag.app` is imported on first use)."""
    from rag.app import RagApp

    return RagApp(settings)


def parse_condition(text: str) -> tuple[str, str, str]:
    """`KEY=VALUE`, `KEY>=VALUE` or `KEY<=VALUE` → (key, operator, value)."""
    for op in (">=", "<=", "="):
        key, found, value = text.partition(op)
        if found and key.strip() and value.strip():
            return key.strip(), op, value.strip()
    raise InvalidInputError(f"expected KEY=VALUE, KEY>=VALUE or KEY<=VALUE, got {text!r}")


def parse_filters(conditions: list[str] | None) -> dict[str, object] | None:
    """`page>=2`, `page<=5`, `source=/a.md` → {"page": {"gte": 2, "lte": 5}, "source": ...}."""
    filters: dict[str, object] = {}
    for key, op, raw in map(parse_condition, conditions or []):
        value: object = int(raw) if raw.lstrip("-").isdigit() else raw
        if op == "=":
            filters[key] = value
        else:
            bounds = filters.setdefault(key, {})
            if not isinstance(bounds, dict):
                raise InvalidInputError(f"filter {key!r} is both a value and a range")
            bounds["gte" if op == ">=" else "lte"] = value
    return filters or None


def open_local(settings: Settings) -> "LocalClient":
    """The client of the index and the models opened in this process (by `open_app`)."""
    from rag.client.local import LocalClient

    return LocalClient(open_app(settings))


def open_client(settings: Settings) -> "Backend":
    """The client of the live server that owns the data dir, else of the index opened here."""
    from rag.client.http import ServerClient

    return ServerClient.for_settings(settings) or open_local(settings)
