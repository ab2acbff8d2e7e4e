from typing import Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field, model_validator

from rag.api.deps import Caller, Rag
from rag.errors import NotFoundError
from rag.feedback import (
    MAX_ANSWER_CHARS,
    MAX_COMMENT_CHARS,
    MAX_PAGE,
    MAX_QUESTION_CHARS,
    Sources,
    rated_sources,
)

router = APIRouter(prefix="/v1", tags=["feedback"])


class FeedbackBody(BaseModel):
    """Every field is bounded (rag/feedback.py), so nothing stored can break the export.
    A rating of a saved turn names it (`turn_id`); one without names what was rated."""

    rating: Literal[-1, 1] = Field(description="1 = helpful, -1 = not helpful")
    turn_id: str | None = Field(default=None, max_length=100)
    question: str | None = Field(default=None, min_length=1, max_length=MAX_QUESTION_CHARS)
    answer: str = Field(default="", max_length=MAX_ANSWER_CHARS)
    sources: Sources = Field(default_factory=list, description="The citations shown")
    comment: str | None = Field(default=None, max_length=MAX_COMMENT_CHARS)
    conversation_id: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _names_what_was_rated(self) -> "FeedbackBody":
        if self.turn_id is None and self.question is None:
            raise ValueError("name the rated turn (turn_id) or the question that was answered")
        return self


@router.post("/feedback", status_code=status.HTTP_201_CREATED)
def post_feedback(body: FeedbackBody, rag: Rag, caller: Caller) -> dict[str, str]:
    """Store a rating with the question, the answer and the sources it cited; a rating of a
    saved turn replaces the calling key's earlier rating of it."""
    if body.turn_id is not None:
        turn = rag.conversations.turn(body.turn_id)
        try:
            caller.allow_conversation(rag.conversations, turn["conversation_id"])
        except NotFoundError:  # another key's turn reads like none, its conversation unnamed
            raise NotFoundError(f"turn {body.turn_id!r} does not exist") from None
        feedback_id = rag.feedback.record(
            body.rating,
            turn["question"],
            turn["answer"][:MAX_ANSWER_CHARS],
            rated_sources(turn.get("citations", [])),
            body.comment,
            turn["conversation_id"],
            turn_id=body.turn_id,
            voter=caller.name,
        )
        return {"id": feedback_id}
    if body.conversation_id is not None:
        caller.allow_conversation(rag.conversations, body.conversation_id)
    feedback_id = rag.feedback.record(
        body.rating,
        body.question,
        body.answer,
        body.sources,
        body.comment,
        body.conversation_id,
        voter=caller.name,
    )
    return {"id": feedback_id}


@router.get("/feedback")
def list_feedback(
    rag: Rag,
    caller: Caller,
    offset: int = Query(default=0, ge=0, le=2**62),
    limit: int = Query(default=100, ge=1, le=MAX_PAGE),
) -> dict[str, object]:
    """Ratings stored so far, oldest first, a page at a time (for export into an evaluation
    set); `total` counts them all. A page holds at most 8 MiB of text, so it may end before
    `limit`: the next starts at `offset` plus its length. The calling key's own ratings; an
    admin key's: everyone's."""
    voter = None if caller.is_admin else caller.name
    entries = rag.feedback.entries(offset, limit, voter)
    return {"feedback": entries, "total": rag.feedback.count(voter), "offset": offset}


@router.delete("/feedback/{feedback_id}")
def delete_feedback(feedback_id: str, rag: Rag, caller: Caller) -> dict[str, str]:
    """Remove a rating: the calling key's own (another's is not found); an admin's: any."""
    rag.feedback.delete(feedback_id, None if caller.is_admin else caller.name)
    return {"deleted": feedback_id}
