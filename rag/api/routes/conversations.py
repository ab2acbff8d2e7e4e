"""Saved conversations (rag/conversations.py): list, create, read, rename, delete.

`/v1/query` and chat completions with a `conversation_id` append turns to them.
"""

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field, StringConstraints

from rag.api.deps import Caller, Rag

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])

Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class NewConversation(BaseModel):
    collection: str | None = Field(default=None, max_length=64)
    title: Title = ""


class Rename(BaseModel):
    title: Annotated[Title, StringConstraints(min_length=1)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_conversation(body: NewConversation, rag: Rag, caller: Caller) -> dict[str, object]:
    """A new, empty conversation over a collection (the default one when none is named),
    belonging to the calling key."""
    collection = caller.allow(rag.collection(body.collection))
    return rag.conversations.create(collection, body.title, owner=caller.name)


@router.get("")
def list_conversations(
    rag: Rag,
    caller: Caller,
    collection: str | None = Query(default=None, max_length=64),
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0, le=2**62),  # SQLite's integers are 64-bit
) -> dict[str, object]:
    """Most recently used first: the calling key's own (an admin key sees all)."""
    if collection is not None:
        caller.allow(rag.collection(collection))
    owner = None if caller.is_admin else caller.name
    found = rag.conversations.recent(collection, limit, offset, owner)
    return {"conversations": [c for c in found if caller.can_read(c["collection"])]}


@router.get("/{conversation_id}")
def get_conversation(conversation_id: str, rag: Rag, caller: Caller) -> dict[str, object]:
    """The conversation and its turns, oldest first (each the `ask --json` shape plus its
    `id`, `question`, `collection` and the calling key's `feedback`, or null)."""
    caller.allow_conversation(rag.conversations, conversation_id)
    conversation = rag.conversations.get(conversation_id)
    votes = rag.feedback.votes([t["id"] for t in conversation["turns"]], caller.name)
    for turn in conversation["turns"]:
        turn["feedback"] = votes.get(turn["id"])
    return conversation


@router.patch("/{conversation_id}")
def rename_conversation(
    conversation_id: str, body: Rename, rag: Rag, caller: Caller
) -> dict[str, object]:
    caller.allow_conversation(rag.conversations, conversation_id)
    return rag.conversations.rename(conversation_id, body.title)


@router.delete("/{conversation_id}")
def delete_conversation(conversation_id: str, rag: Rag, caller: Caller) -> dict[str, object]:
    caller.allow_conversation(rag.conversations, conversation_id)
    rag.conversations.delete(conversation_id)
    return {"deleted": conversation_id}
