"""The project's exceptions. Each front door (CLI, API, UI) translates them exactly once.

Messages are written for the person at the keyboard: they say what went wrong and the fix.
"""


class RagError(Exception):
    """Base class: anything the user can act on."""


class InvalidInputError(RagError):
    """The request itself is wrong (empty question, unknown mode, bad argument)."""


class ConfigError(RagError):
    """Settings are inconsistent or point at something that is not there."""


class ModelNotFoundError(ConfigError):
    """A configured model file or folder does not exist."""


class IndexLockedError(RagError):
    """Another process owns the data directory (its index and ledger)."""


class RecipeMismatchError(RagError):
    """The collection was built with another embedder or chunker; vectors must not be mixed."""


class NotFoundError(RagError):
    """A named collection, document or job does not exist."""

    @classmethod
    def collection(cls, name: str) -> "NotFoundError":
        """Names that differ only by case are one collection. The message spells the name in
        lowercase, so a collection outside a key's scope (known by its first spelling) reads
        exactly like one that does not exist."""
        return cls(f"collection {name.lower()!r} does not exist")


class StoreError(RagError):
    """The vector store failed or refused an operation."""


class SourceError(RagError):
    """One source could not be read; the rest of its batch goes on."""


class ModelBusyError(RagError):
    """The model's request queue is full; the caller should retry after `retry_after_s`."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ModelTimeoutError(RagError):
    """A generation did not finish within the per-request time limit."""


class ModelError(RagError):
    """The model backend failed (a remote server's error, a broken GGUF)."""


class TooLargeError(InvalidInputError):
    """An upload or request body is over its configured size limit."""


class UnsupportedTypeError(InvalidInputError):
    """A file is of a type no reader handles."""


class UnprocessableError(InvalidInputError):
    """The request was well formed, but nothing in it could be used (no readable file)."""


class UnauthorizedError(RagError):
    """No API key, or one that is malformed, unknown or revoked."""


class ForbiddenError(RagError):
    """The key may see this collection, but its role does not allow the action."""


class PluginError(RagError):
    """A plugin failed, overran its time limit or broke its contract; the message names it."""


class TableQueryError(InvalidInputError):
    """A query over the table engine was refused (not one SELECT over the collection's tables,
    a file, network or extension function) or failed (unknown column, over its time limit)."""
