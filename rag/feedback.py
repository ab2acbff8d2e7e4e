"""Ratings of answers, kept with the question, the answer and its sources for later review."""

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    rating INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    sources TEXT NOT NULL,
    comment TEXT,
    conversation_id TEXT
)
"""


class FeedbackLog:
    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()

    def record(
        self,
        rating: int,
        question: str,
        answer: str,
        sources: list[dict[str, Any]],
        comment: str | None = None,
        conversation_id: str | None = None,
    ) -> str:
        feedback_id = str(uuid.uuid4())
        with self._lock:
            self._db.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    feedback_id,
                    time.time(),
                    rating,
                    question,
                    answer,
                    json.dumps(sources),
                    comment,
                    conversation_id,
                ),
            )
        return feedback_id

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            cursor = self._db.execute(
                "SELECT id, created_at, rating, question, answer, sources, comment, "
                "conversation_id FROM feedback ORDER BY created_at"
            )
            columns = [description[0] for description in cursor.description]
            entries = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        for entry in entries:
            entry["sources"] = json.loads(entry["sources"])
        return entries

    def close(self) -> None:
        self._db.close()
