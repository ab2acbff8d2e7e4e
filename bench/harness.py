"""Shared benchmark plumbing: machine description and sections of docs/BENCHMARKS.md."""

import datetime
import os
import platform
import re
from pathlib import Path

REPORT = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS.md"
HEADER = (
    "# Benchmarks\n\n"
    "Each section is written by the script named in it (`make bench` runs them all).\n"
)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        memory = "unknown memory"
    return f"{cpu}, {os.cpu_count()} cores, {memory}, Python {platform.python_version()}"


def write_section(name: str, script: str, body: str) -> None:
    """Replace (or append) the section `name` of docs/BENCHMARKS.md."""
    today = datetime.date.today().isoformat()
    section = (
        f"<!-- {name}:start -->\n## {name}\n\n"
        f"`{script}` — {today} — {machine()}\n\n{body.strip()}\n<!-- {name}:end -->\n"
    )
    text = REPORT.read_text() if REPORT.exists() else HEADER
    pattern = re.compile(
        rf"<!-- {re.escape(name)}:start -->.*?<!-- {re.escape(name)}:end -->\n", re.S
    )
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else f"{text}\n{section}"
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(text)


def table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
