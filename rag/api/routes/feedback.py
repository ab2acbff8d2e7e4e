from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from rag.api.deps import Rag

router = APIRouter(prefix="/v1", tags=["feedback"])


class FeedbackBody(BaseModel):
    rating: Literal[-1, 1] = Field(description="1 = helpful, -1 = not helpful")
    question: str = Field(min_length=1, max_length=4000)
    answer: str = Field(max_length=20_000)
    sources: list[dict[str, Any]] = Field(default_factory=list, max_length=50)
    comment: str | None = Field(default=None, max_length=4000)
    conversation_id: str | None = Field(default=None, max_length=200)


@router.post("/feedback", status_code=status.HTTP_201_CREATED)
def post_feedback(body: FeedbackBody, rag: Rag) -> dict[str, str]:
    """Store a rating with the question, the answer and the sources it cited."""
    feedback_id = rag.feedback.record(
        body.rating, body.question, body.answer, body.sources, body.comment, body.conversation_id
    )
    return {"id": feedback_id}


@router.get("/feedback")
def list_feedback(rag: Rag) -> dict[str, object]:
    """Every rating stored so far, oldest first (for export into an evaluation set)."""
    return {"feedback": rag.feedback.entries()}
