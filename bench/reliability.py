"""The reliability summary: the rows that `make test-long` collected, as a BENCHMARKS section.

The hostile-input, crash and load tests add a row when they pass (tests/conftest.py,
ReliabilityLog); a test that failed leaves no row, and the run itself has failed.

Run: RELIABILITY_REPORT=r.json pytest tests/hostile ...; python -m bench.reliability r.json
With `--merge`, rows already in the section that the report lacks are kept (for re-running
only some of the tests); the rows the report has replace theirs.
"""

import datetime
import json
import re
import sys
from pathlib import Path

from bench.harness import REPORT, table, write_section

SECTION = "Reliability and security"
HEADERS = [
    "test",
    "inputs tried",
    "crashes",
    "escapes",
    "5xx",
    "leaks",
    "kills survived",
    "chunks lost",
    "duplicates",
    "notes",
]
COLUMNS = [
    "inputs",
    "crashes",
    "escapes",
    "server_errors",
    "leaks",
    "kills_survived",
    "chunks_lost",
    "duplicates",
]
TOTAL = "**total**"


def main() -> None:
    merge = "--merge" in sys.argv[1:]
    [report] = [arg for arg in sys.argv[1:] if arg != "--merge"]
    fresh = {
        name: [name, *(cells.get(column, "–") for column in COLUMNS), cells.get("notes", "")]
        for name, cells in json.loads(Path(report).read_text()).items()
    }
    previous, measured_on, rerun_today = _section()
    kept = {name: row for name, row in previous.items() if name not in fresh}
    rows = [*(kept.values() if merge else []), *fresh.values()]
    body = table(HEADERS, [*rows, _total(rows)])
    body += (
        "\n\nCrashes: a process that died, or a request that got no answer. Escapes: a refused"
        " address fetched, a file outside the folder read, code run by the calculator, or"
        " instructions leaked. 5xx: answers with a 5xx status, counted by each test that sees"
        " the server's statuses. Leaks: what a caller learns or undoes that is not theirs (another"
        " key's conversation or MCP session, a file of the data directory another account can"
        " read, an audit entry forged, or a keyed one pushed out by anonymous traffic)."
        " Chunks lost / duplicates: the index after the kills compared with a clean run's (chunk"
        " ids, stored points, one version per source) and checked as `rag doctor` does."
        " Threats, the tests that cover them and their settings: SECURITY.md."
    )
    script = "make test-long"
    if merge and kept:
        script = (
            "RELIABILITY_REPORT=r.json pytest <some hostile tests>; "
            "python -m bench.reliability --merge r.json"
        )
        body += (
            f"\n\nRe-run on the date above: {', '.join(dict.fromkeys([*rerun_today, *fresh]))}."
            " The other rows are from "
            f"`make test-long` on {measured_on}."
        )
    print(body)
    write_section(SECTION, script, body)


def _section() -> tuple[dict[str, list[str]], str, list[str]]:
    """The current section's table rows by test name (the total left out), the date of its
    `make test-long` rows, and the rows an earlier merge of today re-ran."""
    text = REPORT.read_text() if REPORT.exists() else ""
    match = re.search(rf"<!-- {SECTION}:start -->(.*?)<!-- {SECTION}:end -->", text, re.S)
    section = match.group(1) if match else ""
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        if len(cells) == len(HEADERS) and cells[0] not in ("test", TOTAL):
            rows[cells[0]] = cells
    # A merged section names the date of its `make test-long` rows; a plain one is of that date.
    earlier = re.search(r"`make test-long` on (\S+)\.", section) or re.search(
        r"` — (\d{4}-\d\d-\d\d) —", section
    )
    today = re.search(rf"` — {datetime.date.today().isoformat()} —", section)
    rerun = re.search(r"Re-run on the date above: (.*?)\. The other rows", section, re.S)
    rerun_today = (
        [name for name in rerun.group(1).split(", ") if name in rows] if rerun and today else []
    )
    return rows, earlier.group(1) if earlier else "an earlier date", rerun_today


def _total(rows: list[list[object]]) -> list[object]:
    sums = [
        sum(int(row[i]) for row in rows if str(row[i]).isdigit())
        for i in range(1, len(COLUMNS) + 1)
    ]
    return [TOTAL, *sums, f"{len(rows)} tests"]


if __name__ == "__main__":
    main()
