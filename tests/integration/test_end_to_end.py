"""The real path: bundled MiniLM, bundled SmolLM2 GGUF, a real Qdrant Edge shard, the real CLI.

Run offline (HF_HUB_OFFLINE=1) to prove nothing is fetched from a hub.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.conftest import SAMPLE_DOCS

pytestmark = pytest.mark.integration


def _rag(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RAG_")},
        "RAG_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", "from rag.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("data")
    first = _rag(data_dir, "ingest", str(SAMPLE_DOCS), "--json")
    assert first.returncode == 0, first.stderr
    assert len(json.loads(first.stdout)["added"]) == len(list(SAMPLE_DOCS.iterdir()))
    return data_dir


def test_ask_answers_with_a_citation_to_the_right_file(data_dir: Path) -> None:
    result = _rag(data_dir, "ask", "--json", "How many days of paid annual leave do employees get?")

    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["answer"] and not body["abstained"]
    assert body["citations"], body
    assert body["citations"][0]["source"] == str(SAMPLE_DOCS / "employee-handbook.md")
    for citation in body["citations"]:
        cited = Path(citation["source"]).read_text()
        assert cited[citation["start"] : citation["end"]] == citation["text"]


def test_second_ingest_adds_nothing(data_dir: Path) -> None:
    again = _rag(data_dir, "ingest", str(SAMPLE_DOCS), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {
        "added": [],
        "updated": [],
        "deleted": [],
        "moved": [],
        "unchanged": len(list(SAMPLE_DOCS.iterdir())),  # every source read, none failed
        "failed": [],
        "chunks_written": 0,
        "kept": [],
    }


def test_missing_gguf_is_a_one_line_error(data_dir: Path) -> None:
    result = _rag(data_dir, "ask", "What is the K2?", RAG_LLM_MODEL_PATH="/nonexistent/m.gguf")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: GGUF model file /nonexistent/m.gguf does not exist; fix RAG_LLM_MODEL_PATH "
        "(or unset it to use the bundled SmolLM2-135M-Instruct)"
    ]


def test_locked_data_dir_is_a_one_line_error(data_dir: Path) -> None:
    with RagApp(Settings(data_dir=data_dir)):
        result = _rag(data_dir, "search", "warranty")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "is in use by another process" in lines[0]


def test_unanswerable_question_abstains(data_dir: Path) -> None:
    result = _rag(data_dir, "ask", "--json", "What is the capital of Peru?")
    body = json.loads(result.stdout)
    assert body["abstained"] and body["citations"] == [] and body["closest_sources"]


def test_hybrid_retrieval_finds_a_table_row(tmp_path: Path) -> None:
    # Dense alone ranks the handbook's expenses table first here; hybrid and BM25 do not.
    with RagApp(Settings(data_dir=tmp_path)) as app:
        app.indexer.sync([scan_path(SAMPLE_DOCS, 10**6)], "default")
        for mode in ("hybrid", "bm25"):
            hits = app.retriever.search("price of the extended warranty", "default", 3, mode)
            assert hits[0].source.endswith("price-list.md"), mode


def test_a_pdf_answer_cites_its_page(data_dir: Path) -> None:
    from pypdf import PdfReader

    result = _rag(data_dir, "ask", "--json", "Within how many days must a warranty claim be filed?")

    body = json.loads(result.stdout)
    pdf = SAMPLE_DOCS / "warranty-claims.pdf"
    cited = [c for c in body["citations"] if c["source"] == str(pdf)]
    assert cited, body
    page_text = PdfReader(pdf).pages[cited[0]["page"] - 1].extract_text()
    assert cited[0]["page"] == 2
    assert page_text[cited[0]["start"] : cited[0]["end"]] == cited[0]["text"]
    assert "60 days" in cited[0]["text"]
