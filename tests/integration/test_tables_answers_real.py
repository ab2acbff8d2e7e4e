"""Questions over tables through the whole stack: real ingest of the sample spreadsheet, CSV
and Markdown price list, the real DuckDB table store, the answer chain. The answers are
computed by the engine, so their figures are exact whatever the CPU; the bundled model is
never asked (a document question is, and stays untouched by the table answerer)."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.answer.types import AskResult
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.eval.answers import SourceTexts
from rag.settings import Settings
from tests.conftest import SAMPLE_DOCS

pytestmark = pytest.mark.integration

TABLE_FILES = ["sales-2025.xlsx", "service-centres.csv", "price-list.md"]
ORDERS = "order,region,amount (EUR)\nA-1,North,1200\nA-2,South,800\nA-3,North,450\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name in [*TABLE_FILES, "aurora-k2-manual.md"]:
        (folder / name).write_bytes((SAMPLE_DOCS / name).read_bytes())
    (folder / "orders.csv").write_text(ORDERS)
    return folder


@pytest.fixture(scope="module")
def app(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RagApp]:
    with RagApp(Settings(data_dir=tmp_path_factory.mktemp("data"))) as app:
        app.indexer.sync([scan_path(corpus, 10**7)], "default")
        yield app


def _ask(app: RagApp, question: str) -> AskResult:
    return app.answers.ask(app.ask_request(question, "default"))


def _table_call(result: AskResult) -> dict:
    calls = [c for c in result.tool_calls if c.name == "table_query"]
    assert calls, result.to_json()
    return json.loads(calls[0].result)


@pytest.mark.parametrize(
    ("question", "facts", "rows"),
    [
        ("What were the total sales in 2025?", ["19,360", "thousand euros"], 4),
        ("Which month had the highest sales?", ["quarters, not months", "Q4", "6,080"], 1),
        ("Which service centre has the longest opening hours on a weekday?", ["Ghent"], 1),
        ("What would we charge to install three K2 units?", ["2,100"], 2),
    ],
)
def test_sample_table_questions_are_computed_and_cite_their_rows(
    app: RagApp, question: str, facts: list[str], rows: int
) -> None:
    result = _ask(app, question)
    for fact in facts:
        assert fact in result.answer, result.answer
    trace = _table_call(result)
    assert trace["sql"].startswith("SELECT ")
    shown = result.to_json()["citations"]
    assert len(shown) == rows
    sources = SourceTexts(app.settings.max_file_bytes)
    assert all(sources.resolves(c) for c in result.citations)
    for citation in shown:
        assert citation["record"] and citation["location"].split(", ")[-1].startswith("row")


def test_a_changed_row_changes_the_answer_and_a_deleted_file_loses_its_table(
    app: RagApp, corpus: Path
) -> None:
    question = "What is the total amount in the orders table?"
    assert "2,450" in _ask(app, question).answer
    (corpus / "orders.csv").write_text(ORDERS.replace("A-2,South,800", "A-2,South,900"))
    app.indexer.sync([scan_path(corpus, 10**7)], "default")
    assert "2,550" in _ask(app, question).answer
    (corpus / "orders.csv").unlink()
    app.indexer.sync([scan_path(corpus, 10**7)], "default")
    assert "orders" not in {t.name for t in app.tables.schemas("default")}
    assert not any(c.name == "table_query" for c in _ask(app, question).tool_calls)


def test_a_document_question_is_left_to_the_documents(app: RagApp) -> None:
    result = _ask(app, "How much does the Aurora K2 weigh?")
    assert not any(c.name == "table_query" for c in result.tool_calls)
