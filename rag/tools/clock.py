"""Today's date, so questions such as "how many days until 31 March?" have a reference."""

from datetime import date


def current_date() -> str:
    """Today's date in ISO 8601 form (YYYY-MM-DD), with the weekday."""
    today = date.today()
    return f"{today.isoformat()} ({today.strftime('%A')})"
