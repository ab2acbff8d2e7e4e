"""An answer pays only for what it uses: `rag ask` in-process (no server) imports no reader's
library (llama-index, the PDF, Office and HTML parsers, Pillow, boto3: they load when a source is
read) and no nltk or scipy (WordNet's synonyms come from its SQLite cache)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_FOR_AN_ANSWER = (
    "llama_index",
    "pypdf",
    "pdfplumber",
    "pypdfium2",
    "docx",
    "openpyxl",
    "pptx",
    "trafilatura",
    "bs4",
    "PIL",
    "boto3",
    "nltk",
    "scipy",
)
# `rag` on the fake embedder and scripted model; prints its exit code and what it imported
_RAG = f"""
import json, sys
from rag.app import RagApp
from rag.cli import common, main
from tests.fakes import HashEmbedder, ScriptedModel
common.open_app = lambda s: RagApp(s, embedder=HashEmbedder(), model=ScriptedModel())
sys.argv = ["rag", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    print(json.dumps([exc.code, [m for m in {NOT_FOR_AN_ANSWER!r} if m in sys.modules]]))
"""


def _rag(tmp_path: Path, *args: str) -> tuple[int, list[str], str]:
    env = {"RAG_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", _RAG, *args], capture_output=True, text=True, env=env, timeout=120
    )
    *shown, last = done.stdout.strip().splitlines()
    code, loaded = json.loads(last)
    return code, loaded, "\n".join(shown) + done.stderr


def test_an_in_process_ask_imports_no_reader_library_nor_nltk(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "k2.md").write_text("# Bracket\n\nThe K2 wall bracket has a guarantee of five years.\n")
    code, loaded, shown = _rag(tmp_path, "ingest", str(docs))
    assert code == 0 and "llama_index" in loaded, shown  # reading a source does import them

    code, loaded, shown = _rag(tmp_path, "ask", "How long is the K2 bracket's warranty?", "--json")
    assert code == 0, shown
    assert json.loads(shown[: shown.rindex("}") + 1])["citations"], shown
    assert loaded == []
