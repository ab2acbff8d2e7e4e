"""Saved conversations (rag/conversations.py): list, create, read, rename, delete.

`/v1/query` and chat completions with a `conversation_id` append turns to them.
"""

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field, StringConstraints

from rag.api.deps import Rag

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])

Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class NewConversation(BaseModel):
    collection: str | None = Field(default=None, max_length=64)
    title: Title = ""


class Rename(BaseModel):
    title: Annotated[Title, StringConstraints(min_length=1)]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_conversation(body: NewConversation, rag: Rag) -> dict[str, object]:
    """A new, empty conversation over a collection (the default one when none is named)."""
    return rag.conversations.create(rag.collection(body.collection), body.title)


@router.get("")
def list_conversations(
    rag: Rag,
    collection: str | None = Query(default=None, max_length=64),
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> dict[str, object]:
    """Most recently used first."""
    return {"conversations": rag.conversations.recent(collection, limit, offset)}


@router.get("/{conversation_id}")
def get_conversation(conversation_id: str, rag: Rag) -> dict[str, object]:
    """The conversation and its turns, oldest first (each the `ask --json` shape plus its
    `id`, `question` and `collection`)."""
    return rag.conversations.get(conversation_id)


@router.patch("/{conversation_id}")
def rename_conversation(conversation_id: str, body: Rename, rag: Rag) -> dict[str, object]:
    return rag.conversations.rename(conversation_id, body.title)


@router.delete("/{conversation_id}")
def delete_conversation(conversation_id: str, rag: Rag) -> dict[str, object]:
    rag.conversations.delete(conversation_id)
    return {"deleted": conversation_id}
