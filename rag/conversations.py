"""Saved conversations: each turn's question and answer (with its citations, tool calls and
timings), kept in SQLite in the data directory so a chat survives a reload or a restart.

A request that names a conversation gets its stored turns as history and appends a turn; a
request without one is stateless and stores nothing, as OpenAI's API does.
"""

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from rag.errors import InvalidInputError, NotFoundError
from rag.llm import Message

# Turns sent back to the model as history: older ones rarely help a small model and cost prompt.
HISTORY_TURNS = 10
TITLE_CHARS = 80
# What an earlier answer kept in a regenerated turn leaves out: its own earlier answers, and
# what the turn it was in already says.
_NOT_KEPT = frozenset({"earlier", "conversation_id", "turn_id", "id", "question", "feedback"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    collection TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    owner TEXT
);
CREATE TABLE IF NOT EXISTS turns (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    created_at REAL NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    collection TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS turns_of_conversation ON turns (conversation_id, created_at);
"""
_SUMMARY = "SELECT id, title, collection, created_at, updated_at, owner FROM conversations"
_TURNS = "SELECT id, conversation_id, created_at, question, collection, result FROM turns"


class ConversationStore:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(conversations)")}
        if "owner" not in columns:  # made before conversations had owners: admins' only
            self._db.execute("ALTER TABLE conversations ADD COLUMN owner TEXT")
        self._lock = threading.Lock()

    def create(self, collection: str, title: str = "", owner: str | None = None) -> dict[str, Any]:
        """A new conversation; `owner` is the API key's name that made it (rag/access/)."""
        now = time.time()
        conversation_id = str(uuid.uuid4())
        with self._lock:
            self._db.execute(
                "INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, title, collection, now, now, owner),
            )
        return self.summary(conversation_id)

    def recent(
        self,
        collection: str | None = None,
        limit: int = 100,
        offset: int = 0,
        owner: str | None = None,
    ) -> list[dict[str, Any]]:
        """Most recently used first; only `owner`'s when one is given."""
        return self._rows(
            f"{_SUMMARY} WHERE (? IS NULL OR collection = ?) AND (? IS NULL OR owner = ?) "
            "ORDER BY updated_at DESC LIMIT ? OFFSET ?",
            (collection, collection, owner, owner, limit, offset),
        )

    def summary(self, conversation_id: str) -> dict[str, Any]:
        rows = self._rows(f"{_SUMMARY} WHERE id = ?", (conversation_id,))
        if not rows:
            raise NotFoundError(f"conversation {conversation_id!r} does not exist")
        return rows[0]

    def get(self, conversation_id: str) -> dict[str, Any]:
        """The conversation with its turns, oldest first."""
        turns = self._turns(f"{_TURNS} WHERE conversation_id = ?", (conversation_id,))
        return {**self.summary(conversation_id), "turns": turns}

    def rename(self, conversation_id: str, title: str) -> dict[str, Any]:
        self.summary(conversation_id)
        with self._lock:
            self._db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id)
            )
        return self.summary(conversation_id)

    def delete(self, conversation_id: str) -> None:
        self.summary(conversation_id)
        with self._lock:
            self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def history(self, conversation_id: str) -> list[Message]:
        """The last turns as chat messages (an unknown id is NotFoundError)."""
        self.summary(conversation_id)
        rows = self._rows(
            "SELECT question, answer FROM turns WHERE conversation_id = ? "
            "ORDER BY created_at DESC LIMIT ?",
            (conversation_id, HISTORY_TURNS),
        )
        messages: list[Message] = []
        for row in reversed(rows):
            messages.append({"role": "user", "content": row["question"]})
            messages.append({"role": "assistant", "content": row["answer"]})
        return messages

    def append(
        self, conversation_id: str, question: str, collection: str, result: dict[str, Any]
    ) -> str:
        """Store a turn (`result` is the `ask --json` shape); the first one titles an untitled
        conversation. Returns the turn's id."""
        summary = self.summary(conversation_id)
        turn_id = str(uuid.uuid4())
        now = time.time()
        title = summary["title"] or title_of(question)
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    turn_id,
                    conversation_id,
                    now,
                    question,
                    str(result.get("answer", "")),
                    collection,
                    json.dumps(result),
                ),
            )
            self._db.execute(
                "UPDATE conversations SET updated_at = ?, title = ?, collection = ? WHERE id = ?",
                (now, title, collection, conversation_id),
            )
            self._db.execute("COMMIT")
        return turn_id

    def replace_last(
        self, conversation_id: str, question: str, collection: str, result: dict[str, Any]
    ) -> str:
        """Store `result` as a new answer to the last question: it takes the last turn's
        place, and that turn's answers stay in the new one's `earlier` (oldest first)."""
        turns = self.get(conversation_id)["turns"]
        if not turns or turns[-1]["question"] != question:
            raise InvalidInputError("only the conversation's last question can be regenerated")
        last = turns[-1]
        kept = {k: v for k, v in last.items() if k not in _NOT_KEPT}
        result = {**result, "earlier": [*last.get("earlier", []), kept]}
        with self._lock:
            self._db.execute("DELETE FROM turns WHERE id = ?", (last["id"],))
        return self.append(conversation_id, question, collection, result)

    def turn(self, turn_id: str) -> dict[str, Any]:
        turns = self._turns(f"{_TURNS} WHERE id = ?", (turn_id,))
        if not turns:
            raise NotFoundError(f"turn {turn_id!r} does not exist")
        return turns[0]

    def close(self) -> None:
        self._db.close()

    def _turns(self, sql: str, params: tuple[object, ...]) -> list[dict[str, Any]]:
        rows = self._rows(f"{sql} ORDER BY created_at", params)
        return [{**json.loads(row.pop("result")), **row} for row in rows]

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self._db.execute(sql, params)
            columns = [description[0] for description in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def title_of(question: str) -> str:
    """A conversation's title from its first question: its words, cut at a word."""
    title = " ".join(question.split())
    if len(title) <= TITLE_CHARS:
        return title
    return title[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
