"""Finding plugins: the entry points of the four groups in the installed distributions' metadata.

Built-ins (the `rag-local` distribution) are always enabled; another distribution's plugins load
only when RAG_PLUGINS names the distribution or the entry point (or says `all`), because a
plugin is code run in the server. Loading imports the entry point's object (a class is
instantiated with no arguments) under the plugin time limit; a failure is recorded, not raised.
"""

import re
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from rag.plugins.limits import call_with_limit

BUILTIN_DISTRIBUTION = "rag-local"
# kind → entry point group
GROUPS: dict[str, str] = {
    "connector": "rag.connectors",
    "reader": "rag.readers",
    "tool": "rag.tools",
    "answerer": "rag.answerers",
}


def normalized(name: str) -> str:
    """A distribution name as packaging compares it: `Rag_Feed.Tool` is `rag-feed-tool`."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class PluginRecord:
    """One installed entry point: what it is, whether it is enabled, and what went wrong."""

    kind: str
    name: str
    distribution: str
    enabled: bool
    error: str | None = None  # why it did not load, or why it was disabled since
    failures: int = 0  # calls that raised or were refused since the start
    last_failure: str | None = None

    @property
    def builtin(self) -> bool:
        return self.distribution == BUILTIN_DISTRIBUTION

    @property
    def active(self) -> bool:
        return self.enabled and self.error is None

    @property
    def label(self) -> str:
        return f"plugin {self.distribution} ({self.kind} {self.name})"

    def note_failure(self, message: str) -> None:
        self.failures += 1
        self.last_failure = message

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "group": GROUPS[self.kind],  # the entry-point group it registered under
            "name": self.name,
            "distribution": self.distribution,
            "builtin": self.builtin,
            "enabled": self.enabled,
            "error": self.error,
            "failures": self.failures,
            "last_failure": self.last_failure,
        }


def discover(wanted: list[str]) -> list[tuple[PluginRecord, EntryPoint]]:
    """Every installed entry point of the four groups, built-ins first, each with its record."""
    chosen = {normalized(name) for name in wanted}
    found = []
    for kind, group in GROUPS.items():
        for point in entry_points(group=group):
            distribution = point.dist.name if point.dist is not None else "unknown"
            enabled = (
                normalized(distribution) == BUILTIN_DISTRIBUTION
                or "all" in chosen
                or normalized(distribution) in chosen
                or normalized(point.name) in chosen
            )
            found.append((PluginRecord(kind, point.name, distribution, enabled), point))
    kinds = list(GROUPS)
    found.sort(
        key=lambda pair: (
            not pair[0].builtin,
            pair[0].distribution,
            kinds.index(pair[0].kind),
            pair[0].name,
        )
    )
    return found


def load(record: PluginRecord, point: EntryPoint, timeout_s: float) -> Any | None:
    """The entry point's object (a class instantiated), or None with `record.error` set."""

    def instantiate() -> Any:
        loaded = point.load()
        return loaded() if isinstance(loaded, type) else loaded

    try:
        if record.builtin:
            return instantiate()
        return call_with_limit(instantiate, timeout_s, record.label)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any import or start-up failure
        record.error = f"cannot load {point.value}: {type(exc).__name__}: {exc}"
        return None
