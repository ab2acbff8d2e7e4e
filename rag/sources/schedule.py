"""When a source syncs: `every 15m` (s, m, h or d), `daily 02:00` (UTC), or `manual`.

The next time after a sync gets a little jitter, so sources added together do not all sync at
the same second; after a failure the source is retried sooner than its period, backing off
(1 min, 4 min, 16 min, ...) up to the period itself.
"""

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rag.errors import InvalidInputError

_EVERY = re.compile(r"^every\s+(\d+)\s*([smhd])$")
_DAILY = re.compile(r"^daily\s+([01]\d|2[0-3]):([0-5]\d)$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_PERIOD_S = 60
MAX_JITTER_S = 300.0
JITTER_SHARE = 0.1  # of the period
RETRY_FIRST_S = 60.0
_JITTER = random.Random()  # noqa: S311 - spreads sync times, guards nothing


@dataclass(frozen=True)
class Schedule:
    text: str  # as shown: "every 15m", "daily 02:00", "manual"
    period_s: float | None  # None: manual
    daily_at: tuple[int, int] | None = None  # (hour, minute) UTC

    @classmethod
    def parse(cls, text: str) -> "Schedule":
        spoken = " ".join(text.strip().lower().split())
        if spoken == "manual":
            return cls("manual", None)
        if match := _EVERY.match(spoken):
            period = int(match[1]) * _UNIT_S[match[2]]
            if period < MIN_PERIOD_S:
                raise InvalidInputError(f"schedule {text!r}: the shortest period is 1m")
            return cls(f"every {match[1]}{match[2]}", float(period))
        if match := _DAILY.match(spoken):
            return cls(f"daily {match[1]}:{match[2]}", 86400.0, (int(match[1]), int(match[2])))
        raise InvalidInputError(
            f"schedule {text!r} is not one of: every N(s|m|h|d) such as 'every 15m', "
            "'daily HH:MM' (UTC), 'manual'"
        )

    def next_after(
        self, now: float, failures: int = 0, rng: random.Random = _JITTER
    ) -> float | None:
        """When to sync next after a sync that ended at `now` (`failures` in a row), or None."""
        if self.period_s is None:
            return None
        jitter = rng.uniform(0, min(self.period_s * JITTER_SHARE, MAX_JITTER_S))
        if failures:
            return now + min(RETRY_FIRST_S * 4 ** (failures - 1), self.period_s) + jitter
        if self.daily_at is None:
            return now + self.period_s + jitter
        hour, minute = self.daily_at
        current = datetime.fromtimestamp(now, UTC)
        due = current.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if due <= current:
            due += timedelta(days=1)
        return due.timestamp() + jitter
