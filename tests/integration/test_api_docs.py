"""Every ```python block of docs/API.md runs, with the bundled models, from a folder holding
`docs/` (three sample documents): the in-process blocks first, in their order, then the ones
that name RAG_API_URL against a real API server on the same data directory."""

import re
import shutil
from pathlib import Path

import pytest

from rag.api import create_app
from rag.settings import Settings
from tests.live import free_port, serving

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
DOCUMENTS = ("aurora-k2-manual.md", "support-faq.txt", "price-list.md")


def _run(block: str, number: int) -> None:
    code = compile(block, f"docs/API.md, python block {number}", "exec")
    exec(code, {"__name__": "__main__"})  # noqa: S102 - our own documentation's examples


def test_every_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = list(enumerate(BLOCK.findall((ROOT / "docs" / "API.md").read_text()), start=1))
    remote = [(n, b) for n, b in blocks if "RAG_API_URL" in b]
    assert len(blocks) >= 7 and remote
    (tmp_path / "docs").mkdir()
    for name in DOCUMENTS:
        shutil.copy(ROOT / "sample_docs" / name, tmp_path / "docs")
    data_dir = tmp_path / "data"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RAG_DATA_DIR", str(data_dir))

    for number, block in blocks:
        if (number, block) not in remote:
            _run(block, number)

    port = free_port()
    settings = Settings(
        data_dir=data_dir, api_url=f"http://127.0.0.1:{port}", api_ingest_roots=[tmp_path]
    )
    with serving(create_app(settings), port) as url:
        monkeypatch.setenv("RAG_API_URL", url)
        for number, block in remote:
            _run(block, number)
