"""Mutation testing of the modules that guard users (`make test-mutation`, outside `make test`).

mutmut changes one thing at a time in a module (an operator, a constant, a condition) and runs
the unit tests that cover it; a change no test notices survived, and shows a guard no test holds.
Each module runs in its own scratch copy of the work tree (.mutation/NAME/), laid out as the
wheel installs it (connectors/ and ui/ inside rag/), so the work tree is never touched and the
mutants are what the tests import. Scores and survivors go to .mutation/NAME.txt and the
summary to stdout; docs/BENCHMARKS.md ("Mutation score") has the last recorded run.

    python -m tests.mutation [NAME ...]     # all modules, or the named ones
"""

import shutil
import subprocess
import sys
import time
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / ".mutation"
MUTMUT = Path(sys.executable).with_name("mutmut")
# Two children: a run fits a 2-core machine shared with other work.
MAX_CHILDREN = 2
# Folders the tests read besides rag/ and tests/ (which mutmut copies itself).
ALSO_COPY = ["sample_docs", "eval", "docs", "examples", "bench", "connectors", "ui"]
# The folders setuptools maps into rag/ (pyproject's package-dir).
MAPPED = {"connectors": "rag/connectors", "ui": "rag/ui"}

# name → (files to mutate, in the installed layout; the unit tests that cover them)
MODULES: dict[str, tuple[list[str], list[str]]] = {
    "calculator": (
        ["rag/tools/calculator.py"],
        [
            "tests/unit/test_tools.py",
            "tests/unit/test_calculator_limits.py",
            "tests/unit/test_routing.py",
        ],
    ),
    "tool_route": (
        ["rag/answer/tool_route.py"],
        ["tests/unit/test_routing.py", "tests/unit/test_doc_arithmetic.py"],
    ),
    "confine": (["rag/ingest/confine.py"], ["tests/unit/test_confine.py"]),
    "access": (
        ["rag/access/*"],
        [
            "tests/unit/test_keys.py",
            "tests/unit/test_access_guards.py",
            "tests/unit/test_audit.py",
            "tests/unit/test_permissions.py",
        ],
    ),
    "web_addresses": (
        ["rag/connectors/web.py"],
        [
            "tests/unit/test_web.py",
            "tests/unit/test_web_addresses.py",
            "tests/hostile/test_address_encodings.py",
        ],
    ),
    "verify": (
        ["rag/answer/verify.py"],
        [
            "tests/unit/test_answer.py",
            "tests/unit/test_verify_guards.py",
            "tests/unit/test_answer_classes.py",
        ],
    ),
}


# Modules of which only some functions are the guard: the mutants run and counted.
FUNCTIONS = {"web_addresses": ["check_url", "embedded_ipv4"]}


def scratch_copy(name: str) -> Path:
    """The work tree's files (tracked, and untracked but not ignored) in .mutation/NAME/."""
    target = SCRATCH / name
    shutil.rmtree(target, ignore_errors=True)
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)
    for folder, installed in MAPPED.items():
        shutil.copytree(target / folder, target / installed)
    return target


def write_config(folder: Path, mutate: list[str], tests: list[str]) -> None:
    lines = "\n    ".join
    (folder / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths=rag\n"
        f"only_mutate=\n    {lines(mutate)}\n"
        f"pytest_add_cli_args_test_selection=\n    {lines(tests)}\n"
        "pytest_add_cli_args=\n    -p\n    no:cacheprovider\n"
        f"also_copy=\n    {lines(ALSO_COPY)}\n"
    )


def statuses(folder: Path) -> dict[str, str]:
    """Each mutant's outcome (killed, survived, timeout, ...), as `mutmut results` reads it."""
    listed = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(line.strip().rsplit(": ", 1) for line in listed.splitlines() if ": " in line)


def run(name: str) -> Counter[str]:
    mutate, tests = MODULES[name]
    folder = scratch_copy(name)
    write_config(folder, mutate, tests)
    log = SCRATCH / f"{name}.log"
    only = [f"*.x_{function}__mutmut_*" for function in FUNCTIONS.get(name, [])]
    with log.open("w") as out:
        subprocess.run(
            [str(MUTMUT), "run", "--max-children", str(MAX_CHILDREN), *only],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    found = {
        key: status
        for key, status in statuses(folder).items()
        if not only or any(fnmatch(key, pattern) for pattern in only)
    }
    survivors = sorted(key for key, status in found.items() if status != "killed")
    shown = [f"{key}: {found[key]}" for key in survivors]
    for key in survivors:
        diff = subprocess.run(
            [str(MUTMUT), "show", key], cwd=folder, capture_output=True, text=True, check=False
        )
        shown.append(diff.stdout)
    counts = Counter(found.values())
    (SCRATCH / f"{name}.txt").write_text(f"{name}: {dict(counts)}\n" + "\n".join(shown))
    return counts


def main(names: list[str]) -> None:
    for name in names or list(MODULES):
        started = time.monotonic()
        counts = run(name)
        minutes = (time.monotonic() - started) / 60
        total = sum(counts.values())
        # A mutant that makes the tests time out (an endless loop) is caught, as a kill is.
        caught = counts["killed"] + counts["timeout"]
        score = f"{caught / total:.1%}" if total else "no mutants"
        outcome = f"{caught}/{total} caught ({score}); {dict(counts)}; {minutes:.1f} min"
        print(f"{name}: {outcome}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
