"""The reliability summary: the rows that `make test-long` collected, as a BENCHMARKS section.

The hostile-input, crash and load tests add a row when they pass (tests/conftest.py,
ReliabilityLog); a test that failed leaves no row, and the run itself has failed.

Run: RELIABILITY_REPORT=r.json pytest tests/hostile ...; python -m bench.reliability r.json
"""

import json
import sys
from pathlib import Path

from bench.harness import table, write_section

COLUMNS = ["inputs", "crashes", "escapes", "kills_survived", "chunks_lost", "duplicates"]


def main() -> None:
    rows = json.loads(Path(sys.argv[1]).read_text())
    body = table(
        [
            "test",
            "inputs tried",
            "crashes",
            "escapes",
            "kills survived",
            "chunks lost",
            "duplicates",
            "notes",
        ],
        [
            [name, *(cells.get(column, "–") for column in COLUMNS), cells.get("notes", "")]
            for name, cells in rows.items()
        ],
    )
    body += (
        "\n\nCrashes: a process that died or a 5xx answer. Escapes: a refused address fetched, a"
        " file outside the folder read, code run by the calculator, or instructions leaked."
        " Chunks lost / duplicates: the index after the kills compared with a clean run's (chunk"
        " ids, stored points, one version per source) and checked as `rag doctor` does."
        " Threats, the tests that cover them and their settings: SECURITY.md."
    )
    print(body)
    write_section("Reliability and security", "make test-long", body)


if __name__ == "__main__":
    main()
