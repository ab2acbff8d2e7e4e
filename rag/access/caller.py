"""The caller of one request: who it is, what role it has, which collections it may touch.

Anything in a collection outside the caller's scope is answered exactly as if it did not
exist (NotFoundError with the same message), so names, ids and text of other collections
never leak; a role too low for an action on a collection it may read is ForbiddenError.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rag.access.keys import ApiKey, Role
from rag.errors import ForbiddenError, NotFoundError

if TYPE_CHECKING:
    from rag.conversations import ConversationStore


@dataclass
class Caller:
    name: str
    role: Role
    collections: frozenset[str] | None = None  # None: every collection
    # What the request touched, for the audit log.
    touched: list[str] = field(default_factory=list)
    content: str | None = None

    @classmethod
    def of_key(cls, key: ApiKey) -> "Caller":
        scope = frozenset(key.collections) if key.collections is not None else None
        return cls(key.name, key.role, scope)

    @property
    def is_admin(self) -> bool:
        return self.role >= Role.admin

    def can_read(self, collection: str) -> bool:
        return self.collections is None or collection in self.collections

    def allow(self, collection: str, role: Role = Role.reader, content: str | None = None) -> str:
        """`collection`, once this caller may act on it with `role`."""
        self.touched.append(collection)
        if content is not None:
            self.content = content
        if not self.can_read(collection):
            raise NotFoundError.collection(collection)
        self.require(role)
        return collection

    def allow_found(self, collection: str, missing: str, role: Role = Role.reader) -> None:
        """For a thing found by its id: out of scope it is `missing`, its not-found message."""
        if not self.can_read(collection):
            self.touched.append(collection)
            raise NotFoundError(missing)
        self.allow(collection, role)

    def allow_conversation(self, conversations: "ConversationStore", conversation_id: str) -> None:
        """A conversation is its maker's (admins see all), within the maker's collections."""
        summary = conversations.summary(conversation_id)
        if not self.owns(summary.get("owner")):
            raise NotFoundError(f"conversation {conversation_id!r} does not exist")
        self.allow_found(summary["collection"], f"conversation {conversation_id!r} does not exist")

    def require(self, role: Role) -> None:
        if self.role < role:
            raise ForbiddenError(
                f"key {self.name!r} has role {self.role.name}; this needs {role.name}"
            )

    def readable(self, collections: Iterable[str]) -> list[str]:
        return [c for c in collections if self.can_read(c)]

    def owns(self, owner: str | None) -> bool:
        """Whether a conversation (or feedback) made by `owner` is this caller's to see."""
        return self.is_admin or owner == self.name


def anonymous() -> Caller:
    """The caller of an open server (no keys stored, no RAG_API_KEY)."""
    return Caller("anonymous", Role.admin)
