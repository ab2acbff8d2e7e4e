"""The example plugin distributions of examples/, installed as real distributions (`make
test-unit` installs them), used through the front doors: `rag plugins list`, `rag ingest
feed+http://...` against a feed this test serves on loopback, `rag ask "convert 100 EUR to
USD"`, POST /v1/query and the Streamlit UI's tool trace. Models are the fakes."""

import json
import re
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from rag import cli
from rag.api import create_app
from rag.app import RagApp
from rag.connectors.files import scan_path
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel
from tests.live import free_port, serving
from tests.local_site import local_site

UI = Path(__file__).resolve().parents[2] / "ui" / "app.py"
FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Parish news</title>
{items}
</channel></rss>"""
ITEM = """<item><title>{title}</title><guid>{guid}</guid><link>https://example.org/{guid}</link>
<pubDate>Mon, 02 Nov 2026 09:00:00 GMT</pubDate><description>&lt;p&gt;{body}&lt;/p&gt;</description>
</item>"""
RATES = "currency,rate\nEUR,1\nUSD,1.0825\nGBP,0.8512\n"


@pytest.fixture(autouse=True)
def _examples_installed() -> None:
    for name in ("rag-feed-connector", "rag-currency-tool"):
        try:
            distribution(name)
        except PackageNotFoundError:
            pytest.fail(f"{name} is not installed: `make test-unit` installs examples/{name}")


@pytest.fixture
def rates(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    table = tmp_path / "rates.csv"
    table.write_text(RATES)
    monkeypatch.setenv("RAG_PLUGINS", "rag-currency-tool")
    monkeypatch.setenv("RAG_PLUGIN_OPTIONS", f"rag-currency-tool.rates_file={table}")
    return table


def _feed(*items: tuple[str, str, str]) -> bytes:
    entries = "".join(ITEM.format(title=t, guid=g, body=b) for t, g, b in items)
    return FEED.format(items=entries).encode()


def test_plugins_list_shows_the_examples_enabled_and_the_built_in_readers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RAG_PLUGINS", "all")
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(cli.cli, ["plugins", "list", "--json"])
    assert result.exit_code == 0, result.output
    plugins = json.loads(result.output)["plugins"]
    shown = {(p["kind"], p["name"], p["distribution"], p["enabled"], p["error"]) for p in plugins}
    assert ("connector", "feed", "rag-feed-connector", True, None) in shown
    assert ("tool", "currency_convert", "rag-currency-tool", True, None) in shown
    readers = {p["name"] for p in plugins if p["group"] == "rag.readers" and p["builtin"]}
    assert {"md", "txt", "html", "csv", "pdf", "docx", "xlsx", "pptx", "png"} <= readers


def test_the_cli_ingests_a_feed_and_an_entry_gone_from_it_loses_its_chunks(
    monkeypatch: pytest.MonkeyPatch, cli_on_fakes: Path
) -> None:
    monkeypatch.setenv("RAG_PLUGINS", "rag-feed-connector")
    with local_site() as (base, routes):
        monkeypatch.setenv("RAG_WEB_ALLOWED_HOSTS", base.removeprefix("http://"))
        uri = f"feed+{base}/news.xml"
        routes["/news.xml"] = (
            200,
            "application/rss+xml",
            _feed(
                ("Hall reopens", "hall", "The village hall reopens on 3 March after repairs."),
                ("Bins", "bins", "Green bins are emptied every second Tuesday."),
            ),
            {},
        )
        first = CliRunner().invoke(cli.cli, ["ingest", uri, "--json"])
        assert first.exit_code == 0, first.output
        assert sorted(json.loads(first.output)["added"]) == [f"{uri}#bins", f"{uri}#hall"]

        found = CliRunner().invoke(cli.cli, ["search", "village hall repairs", "--json"])
        assert json.loads(found.output)["results"][0]["source"] == f"{uri}#hall"

        routes["/news.xml"] = (200, "application/rss+xml", _feed(("Bins", "bins", "x")), {})
        second = json.loads(CliRunner().invoke(cli.cli, ["ingest", uri, "--json"]).output)
        assert second["deleted"] == [f"{uri}#hall"] and second["updated"] == [f"{uri}#bins"]


def test_the_feed_is_fetched_through_the_address_checks(
    monkeypatch: pytest.MonkeyPatch, cli_on_fakes: Path
) -> None:
    monkeypatch.setenv("RAG_PLUGINS", "rag-feed-connector")
    result = CliRunner().invoke(
        cli.cli, ["ingest", "feed+http://169.254.169.254/latest/feed.xml", "--json"]
    )
    assert result.exit_code == 1
    [failure] = json.loads(result.output)["failed"]
    assert "non-public address" in failure["error"]


def test_the_cli_converts_currency_with_the_plugin_tool(rates: Path, cli_on_fakes: Path) -> None:
    result = CliRunner().invoke(cli.cli, ["ask", "convert 100 EUR to USD", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["tool_calls"] == [
        {
            "name": "currency_convert",
            "arguments": {"amount": 100.0, "from_currency": "EUR", "to_currency": "USD"},
            "result": "108.25 USD",
            "summary": 'currency_convert(amount=100.0, from_currency="EUR", to_currency="USD")'
            " → 108.25 USD",
            "plugin": "rag-currency-tool",
        }
    ]
    assert "108.25 USD" in answer["answer"] and "rag-currency-tool" in answer["answer"]


@pytest.fixture
def served(rates: Path, tmp_path: Path, docs: Path) -> Iterator[tuple[RagApp, str]]:
    settings = Settings(data_dir=tmp_path / "data")
    app = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
    app.indexer.sync([scan_path(docs, settings.max_file_bytes)], "default")
    try:
        with serving(create_app(settings, app), free_port()) as url:
            yield app, url
    finally:
        app.close()


def test_rest_query_and_health_show_the_plugin(served: tuple[RagApp, str]) -> None:
    app, _ = served
    with TestClient(create_app(app.settings, app)) as client:
        body = client.post("/v1/query", json={"question": "How much is 250 GBP in EUR?"}).json()
        health = client.get("/health").json()
    [call] = body["tool_calls"]
    assert (call["name"], call["result"], call["plugin"]) == (
        "currency_convert",
        "293.70 EUR",
        "rag-currency-tool",
    )
    assert {
        "kind": "tool",
        "name": "currency_convert",
        "distribution": "rag-currency-tool",
        "status": "ok",
    } in health["plugins"]


def test_the_ui_tool_trace_names_the_plugin(
    served: tuple[RagApp, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, url = served
    monkeypatch.setenv("RAG_API_URL", url)
    page = AppTest.from_file(str(UI), default_timeout=60)
    page.run()
    page.chat_input[0].set_value("convert 100 EUR to USD").run()
    while page.session_state["job"] is not None:
        assert page.session_state["job"].wait(30)
        page.run()
    assert not page.exception, page.exception
    # Markdown-escaped as the trace is written ("currency\\_convert").
    captions = [re.sub(r"\\(.)", r"\1", c.value) for c in page.chat_message[1].caption]
    assert any("currency_convert" in c and "plugin rag-currency-tool" in c for c in captions), (
        captions
    )


def test_the_model_calls_the_plugin_tool_under_the_same_argument_checks(
    rates: Path, tmp_path: Path, docs: Path
) -> None:
    model = ScriptedModel()
    settings = Settings(data_dir=tmp_path / "data", abstain_min_support=-1.0)
    call = {"tool": "currency_convert", "arguments": {"from_currency": "EUR", "to_currency": "USD"}}
    model.replies += [
        json.dumps({**call, "arguments": {**call["arguments"], "amount": "150"}}),  # a string
        json.dumps({**call, "arguments": {**call["arguments"], "amount": 150}}),
        '{"tool": "answer"}',
    ]
    with RagApp(settings, embedder=HashEmbedder(), model=model) as app:
        app.indexer.sync([scan_path(docs, settings.max_file_bytes)], "default")
        question = "If I change 100 EUR and then 50 EUR into USD, what do I get in total?"
        result = app.answers.ask(app.ask_request(question))
    offered = {o["properties"]["tool"]["const"] for o in model.schemas_used[0]["oneOf"]}
    assert "currency_convert" in offered
    refusal = model.prompts[1][-1]["content"]
    assert "refused" in refusal and "amount must be a number" in refusal
    [made] = [c.to_json() for c in result.tool_calls]
    assert made["result"] == "162.38 USD" and made["plugin"] == "rag-currency-tool"
    assert "162.38 USD" in result.answer
