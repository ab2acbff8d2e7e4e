"""Ratings of answers, kept with the question, the answer and its sources for later review.

Every stored field is bounded (length, count, depth) by the types below, which the API's
schema uses too, so nothing stored can break a later read or export. A database written before
the bounds is repaired once when opened: an oversized text is cut, sources over the bounds are
replaced by an empty list, and the comment says so; no record is dropped.
"""

import json
import logging
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from rag.errors import NotFoundError, TooLargeError

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 4000
MAX_ANSWER_CHARS = 20_000
MAX_COMMENT_CHARS = 4000
MAX_SOURCES = 50
MAX_SOURCE_TEXT_CHARS = 10_000
MAX_SOURCE_KEYS = 30
MAX_PAGE = 1000
# What one key may keep stored, and what one export page holds at most (a page ends early, after
# at least one record, rather than pass it): 150 records of 1 MB were stored in 1.6 s and
# exported as one 152 MB page.
MAX_VOTER_BYTES = 32 * 1024 * 1024
MAX_PAGE_BYTES = 8 * 1024 * 1024
_SIZE = "length(question) + length(answer) + length(sources) + coalesce(length(comment), 0)"

# A source is a citation as the API returned it: flat fields, one level of nesting at most
# (a table row's `record`, a list of numbers).
_Key = Annotated[str, Field(max_length=100)]
_Scalar = (
    Annotated[str, Field(max_length=MAX_SOURCE_TEXT_CHARS)]
    | Annotated[int, Field(ge=-(2**63), le=2**63 - 1)]
    | Annotated[float, Field(allow_inf_nan=False)]
    | bool
    | None
)
_Value = (
    _Scalar
    | Annotated[dict[_Key, _Scalar], Field(max_length=MAX_SOURCE_KEYS)]
    | Annotated[list[_Scalar], Field(max_length=MAX_SOURCES)]
)
Source = Annotated[dict[_Key, _Value], Field(max_length=MAX_SOURCE_KEYS)]
Sources = Annotated[list[Source], Field(max_length=MAX_SOURCES)]
_SOURCES = TypeAdapter(Sources)


def rated_sources(citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A stored turn's citations as a rating's sources: without the chunk around each quote,
    cut to the `Sources` bounds."""
    sources = [{k: v for k, v in c.items() if k != "context"} for c in citations[:MAX_SOURCES]]
    for source in sources:
        if isinstance(source.get("text"), str):
            source["text"] = source["text"][:MAX_SOURCE_TEXT_CHARS]
    return _SOURCES.validate_python(sources)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    rating INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    sources TEXT NOT NULL,
    comment TEXT,
    conversation_id TEXT,
    turn_id TEXT,
    voter TEXT
)
"""
# A rating of a saved turn (rag/conversations.py) is one per turn and key: a later one replaces it.
_ONE_VOTE_PER_TURN = "CREATE UNIQUE INDEX IF NOT EXISTS one_vote ON feedback (turn_id, voter)"
_COLUMNS = "id, created_at, rating, question, answer, sources, comment, conversation_id, turn_id"
# PRAGMA user_version: 1 = every record within the bounds above.
_BOUNDED = 1


class FeedbackLog:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(feedback)")}
        for column in ("turn_id", "voter"):  # a database made before ratings of turns
            if column not in columns:
                self._db.execute(f"ALTER TABLE feedback ADD COLUMN {column} TEXT")
        self._db.execute(_ONE_VOTE_PER_TURN)
        self._lock = threading.Lock()
        if self._db.execute("PRAGMA user_version").fetchone()[0] < _BOUNDED:
            self._repair()

    def record(
        self,
        rating: int,
        question: str,
        answer: str,
        sources: list[dict[str, Any]],
        comment: str | None = None,
        conversation_id: str | None = None,
        turn_id: str | None = None,
        voter: str = "",
    ) -> str:
        """Store a rating; `sources` must be within the `Sources` bounds (the API checks).
        A rating of a turn replaces `voter`'s earlier one of it and keeps its id."""
        encoded = json.dumps(sources)
        size = len(question) + len(answer) + len(encoded) + len(comment or "")
        with self._lock:
            held = self._db.execute(
                f"SELECT coalesce(sum({_SIZE}), 0) FROM feedback WHERE voter = ?",  # noqa: S608
                (voter,),
            ).fetchone()[0]
            if held + size > MAX_VOTER_BYTES:
                raise TooLargeError(
                    f"this key's feedback would pass its {MAX_VOTER_BYTES}-character limit; "
                    "export and delete older ratings first"
                )
            return self._db.execute(
                "INSERT INTO feedback (id, created_at, rating, question, answer, sources, comment, "
                "conversation_id, turn_id, voter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (turn_id, voter) DO UPDATE SET created_at = excluded.created_at, "
                "rating = excluded.rating, comment = excluded.comment RETURNING id",
                (
                    str(uuid.uuid4()),
                    time.time(),
                    rating,
                    question,
                    answer,
                    encoded,
                    comment,
                    conversation_id,
                    turn_id,
                    voter,
                ),
            ).fetchone()[0]

    def votes(self, turn_ids: list[str], voter: str = "") -> dict[str, dict[str, Any]]:
        """`voter`'s rating and comment of each of `turn_ids` that has one."""
        marks = ", ".join("?" * len(turn_ids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT turn_id, rating, comment FROM feedback WHERE voter = ? "  # noqa: S608
                f"AND turn_id IN ({marks})",
                (voter, *turn_ids),
            ).fetchall()
        return {turn: {"rating": rating, "comment": comment} for turn, rating, comment in rows}

    def entries(
        self, offset: int = 0, limit: int = MAX_PAGE, voter: str | None = None
    ) -> list[dict[str, Any]]:
        """One page of ratings, oldest first; only `voter`'s when one is given."""
        with self._lock:
            cursor = self._db.execute(
                f"SELECT {_COLUMNS} FROM feedback "  # noqa: S608 - fixed column list
                "WHERE ? IS NULL OR voter = ? ORDER BY created_at, id LIMIT ? OFFSET ?",
                (voter, voter, min(limit, MAX_PAGE), offset),
            )
            columns = [description[0] for description in cursor.description]
            entries, size = [], 0
            for row in cursor:
                size += sum(len(value) for value in row if isinstance(value, str))
                if entries and size > MAX_PAGE_BYTES:
                    break
                entries.append(dict(zip(columns, row, strict=True)))
        for entry in entries:
            entry["sources"] = json.loads(entry["sources"])
        return entries

    def count(self, voter: str | None = None) -> int:
        with self._lock:
            sql = "SELECT count(*) FROM feedback WHERE ? IS NULL OR voter = ?"
            return self._db.execute(sql, (voter, voter)).fetchone()[0]

    def delete(self, feedback_id: str, voter: str | None = None) -> None:
        """Remove a rating (only `voter`'s when one is given: another's is not found)."""
        with self._lock:
            deleted = self._db.execute(
                "DELETE FROM feedback WHERE id = ? AND (? IS NULL OR voter = ?)",
                (feedback_id, voter, voter),
            )
        if deleted.rowcount == 0:
            raise NotFoundError(f"no feedback {feedback_id!r}")

    def _repair(self) -> None:
        """Bring records stored before the bounds within them, once; then give the space back."""
        rows = self._db.execute(
            "SELECT id, question, answer, sources, comment FROM feedback"
        ).fetchall()
        repaired = 0
        for feedback_id, question, answer, sources, comment in rows:
            try:
                _SOURCES.validate_json(sources)
                sources_fit = True
            except ValidationError:
                sources_fit = False
            texts_fit = (
                len(question) <= MAX_QUESTION_CHARS
                and len(answer) <= MAX_ANSWER_CHARS
                and len(comment or "") <= MAX_COMMENT_CHARS
            )
            if sources_fit and texts_fit:
                continue
            note = "[repaired: over the feedback limits]"
            kept = (comment or "")[: MAX_COMMENT_CHARS - len(note) - 1]
            self._db.execute(
                "UPDATE feedback SET question = ?, answer = ?, sources = ?, comment = ? "
                "WHERE id = ?",
                (
                    question[:MAX_QUESTION_CHARS],
                    answer[:MAX_ANSWER_CHARS],
                    sources if sources_fit else "[]",
                    f"{kept} {note}".strip(),
                    feedback_id,
                ),
            )
            repaired += 1
        self._db.execute(f"PRAGMA user_version = {_BOUNDED}")
        if repaired:
            self._db.execute("VACUUM")
            log.warning("feedback: %d stored record(s) were over the limits and repaired", repaired)

    def close(self) -> None:
        self._db.close()
