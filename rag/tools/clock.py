"""Dates: today's date, and the days between two dates."""

from datetime import date

from rag.tools import ToolError


def current_date() -> str:
    """Today's date in ISO 8601 form (YYYY-MM-DD), with the weekday."""
    today = date.today()
    return f"{today.isoformat()} ({today.strftime('%A')})"


def days_between(start: str, end: str) -> str:
    """The number of days from one date to another (negative when `end` is earlier).

    Args:
        start: The first date, YYYY-MM-DD.
        end: The second date, YYYY-MM-DD.
    """
    try:
        first, second = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise ToolError(f"dates must be YYYY-MM-DD, got {start!r} and {end!r}") from None
    return str((second - first).days)
