"""Tables on the real path: the real CLI and readers, bundled MiniLM, a Qdrant Edge shard and the
DuckDB table store, over sample_docs; and (make test-long) a 1,000,000-row CSV registered whole
while only a sample of it is embedded."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.ingest.pages import SAMPLE_ROWS
from rag.settings import Settings
from tests.conftest import SAMPLE_DOCS

pytestmark = pytest.mark.integration


def _rag(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RAG_")},
        "RAG_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
    }
    return subprocess.run(
        [sys.executable, "-c", "from rag.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )


def test_sample_docs_tables_through_the_cli_with_citations_that_resolve(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert _rag(data_dir, "ingest", str(SAMPLE_DOCS)).returncode == 0
    listed = json.loads(_rag(data_dir, "tables", "list", "--json").stdout)
    tables = {t["name"]: t for t in listed["tables"]}
    sales = tables["sales_2025"]
    assert sales["location"] == "sheet Sales 2025" and sales["rows"] == 4
    revenue = sales["columns"][-1]
    assert (revenue["type"], revenue["unit"]) == ("BIGINT", "thousand euros")
    assert tables["price_list"]["columns"][-1]["type"] == "BIGINT"

    total = _rag(
        data_dir,
        "tables",
        "query",
        "SELECT sum(revenue_thousand_euros) AS total FROM sales_2025",
        "--json",
    )
    assert json.loads(total.stdout)["rows"] == [[19360]]
    refused = _rag(data_dir, "tables", "query", "COPY sales_2025 TO 'out.csv'")
    assert refused.returncode == 2 and "COPY statements are refused" in refused.stderr
    attach = _rag(data_dir, "tables", "query", "ATTACH 'other.duckdb'")
    assert attach.returncode == 2 and not (Path.cwd() / "other.duckdb").exists()

    with RagApp(Settings(data_dir=data_dir)) as app:
        best = app.tables.select(
            "default",
            "SELECT __row FROM sales_2025 ORDER BY revenue_thousand_euros DESC LIMIT 1",
        )
        [cited] = app.tables.row_citations("default", "sales_2025", [best.rows[0][0]])
        assert cited.record["Quarter"] == "Q4" and cited.location == "sheet Sales 2025, row 5"
        pages = app.catalog.document_text("default", cited.source)
        [page] = [p for p in pages if p["page"] == cited.page]
        assert page["text"][cited.start : cited.end] == cited.text


@pytest.mark.long
def test_a_million_row_csv_is_registered_whole_and_embedded_as_a_sample(tmp_path: Path) -> None:
    rows = 1_000_000
    csv = tmp_path / "big.csv"
    with csv.open("w") as out:
        out.write("id,region,amount\n")
        for n in range(rows):
            out.write(f'{n},region {n % 7},"{n % 1000:,}.50"\n')
    with RagApp(Settings(data_dir=tmp_path / "data")) as app:
        report = app.indexer.sync([scan_path(csv, app.settings.max_file_bytes)], "default")
        assert not report.failed
        assert report.chunks_written < SAMPLE_ROWS  # a summary and a sample, not every row
        result = app.tables.select("default", "SELECT count(*), sum(amount) FROM big")
        assert result.rows == [(rows, sum(n % 1000 + 0.5 for n in range(rows)))]
        [schema] = app.tables.schemas("default")
        assert [c.type for c in schema.columns] == ["BIGINT", "VARCHAR", "DOUBLE"]
