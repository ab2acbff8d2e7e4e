"""Front doors stay thin: importing them loads none of the heavy engines."""

import subprocess
import sys

HEAVY = ("llama_cpp", "qdrant_edge", "qdrant_client", "torch", "sentence_transformers")


def test_cli_api_and_ui_import_no_engine() -> None:
    code = (
        "import sys, rag.cli, rag.api, rag.app, rag.ui.client, rag.ui.render\n"
        f"loaded = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(loaded))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_errors_become_one_line_and_exit_code(tmp_path) -> None:
    env = {"RAG_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", "from rag.cli import main; main()", "ask", "  "],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        'error: the question is empty; ask something, e.g. rag ask "..."'
    ]


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    listed = set(
        tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(("rag", *p.parent.relative_to(root / "rag").parts))
        for p in (root / "rag").rglob("__init__.py")
    }
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"
