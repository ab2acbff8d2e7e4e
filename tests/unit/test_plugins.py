"""Plugins found through entry points (rag/plugins/): built-ins always on, third-party ones only
when named, and a broken plugin — its import fails, it raises in every call, its reader's spans
do not resolve, it hangs — reported with its name and skipped while the rest goes on."""

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag.errors import PluginError
from rag.ingest.readers import read_documents
from rag.plugins import RawSource
from rag.plugins.registry import load_plugins
from rag.settings import Settings
from tests.plugin_dists import install_distribution

TOOL = """
from rag.plugins import ToolContext


class Shout:
    name = "shout"
    description = "Say it louder."
    parameters = {
        "type": "object",
        "properties": {"text": {"type": "string", "description": "What to say."}},
        "required": ["text"],
    }

    def run(self, arguments, context: ToolContext) -> str:
        return arguments["text"].upper() + context.options.get("end", "!")

    def route(self, question, context):
        return {"text": question[6:]} if question.startswith("shout ") else None
"""

READER = """
from rag.plugins import Page, TableRecord

MODE = "{mode}"


class NotesReader:
    file_type = "notes"
    extensions = (".notes",)

    def read(self, data, context):
        text = data.decode()
        if MODE == "raise":
            raise RuntimeError("the notes parser is broken")
        if MODE == "hang":
            import time
            time.sleep(30)
        if MODE == "bad-spans":
            return [Page(text, records=(TableRecord(0, len(text) + 40, {{"a": "b"}}),))]
        return [Page(text)]
"""


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", plugin_timeout_s=0.5, **values)


def _reader(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mode: str) -> None:
    install_distribution(
        monkeypatch,
        tmp_path / "site",
        "rag-notes-reader",
        {"notes_reader": READER.format(mode=mode)},
        {"rag.readers": {"notes": "notes_reader:NotesReader"}},
    )


def _notes(data: str = "Ferns like shade.") -> RawSource:
    return RawSource("/docs/a.notes", "notes", read=lambda: data.encode())


def test_the_built_ins_register_through_the_entry_points(tmp_path: Path) -> None:
    plugins = load_plugins(_settings(tmp_path))
    builtin = {(r.kind, r.name) for r in plugins.records if r.builtin and r.active}
    assert {("reader", "pdf"), ("reader", "md"), ("connector", "web"), ("tool", "calculator")} <= (
        builtin
    )
    assert plugins.file_types[".pdf"] == "pdf" and "https" in plugins.connectors
    assert plugins.tools["calculator"].plugin is None  # a built-in's call names no plugin


def test_a_third_party_plugin_loads_only_when_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install_distribution(
        monkeypatch,
        tmp_path / "site",
        "rag-shout-tool",
        {"shout_tool": TOOL},
        {"rag.tools": {"shout": "shout_tool:Shout"}},
    )
    off = load_plugins(_settings(tmp_path))
    [record] = [r for r in off.records if r.distribution == "rag-shout-tool"]
    assert not record.enabled and "shout" not in off.tools
    for named in (["Rag_Shout.Tool"], ["shout"], ["all"]):
        on = load_plugins(
            _settings(tmp_path, plugins=named, plugin_options={"rag-shout-tool": {"end": "?"}})
        )
        call = on.tool_registry().call("shout", {"text": "hi"})
        assert (call.result, call.plugin) == ("HI?", "rag-shout-tool")
        assert call.to_json()["plugin"] == "rag-shout-tool"


def test_settings_read_plugins_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RAG_PLUGINS", "rag-a, rag-b")
    monkeypatch.setenv("RAG_PLUGIN_OPTIONS", "rag-a.rates_file=/srv/r.csv,rag-a.base=EUR")
    monkeypatch.setenv("RAG_PLUGIN_TIMEOUT_S", "2.5")
    settings = Settings(data_dir=tmp_path)
    assert settings.plugins == ["rag-a", "rag-b"]
    assert settings.plugin_options == {"rag-a": {"rates_file": "/srv/r.csv", "base": "EUR"}}
    assert settings.plugin_timeout_s == 2.5


def test_an_import_error_is_reported_and_the_rest_load(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install_distribution(
        monkeypatch,
        tmp_path / "site",
        "rag-broken",
        {"broken_plugin": "raise ImportError('needs libfoo, which is not installed')"},
        {"rag.readers": {"broken": "broken_plugin:Reader"}},
    )
    monkeypatch.setenv("RAG_PLUGINS", "all")
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))
    from rag import cli

    result = CliRunner().invoke(cli.cli, ["plugins", "list", "--json"])
    assert result.exit_code == 0, result.output
    records = {r["name"]: r for r in json.loads(result.output)["plugins"]}
    assert records["broken"]["enabled"] and "needs libfoo" in records["broken"]["error"]
    assert records["pdf"]["error"] is None and records["pdf"]["distribution"] == "rag-local"
    shown = CliRunner().invoke(cli.cli, ["plugins", "list"]).output
    assert "rag-broken" in shown and "error: cannot load broken_plugin:Reader" in shown


@pytest.mark.parametrize(
    ("mode", "problem"),
    [
        ("raise", "read failed: RuntimeError: the notes parser is broken"),
        ("bad-spans", "record span 0-57 does not resolve in a 17-character text"),
        ("hang", "no answer within 0.5 s"),
    ],
)
def test_a_broken_reader_fails_its_source_with_the_plugin_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mode: str, problem: str
) -> None:
    _reader(monkeypatch, tmp_path, mode)
    plugins = load_plugins(_settings(tmp_path, plugins=["rag-notes-reader"]))
    started = time.monotonic()
    with pytest.raises(PluginError) as failure:
        read_documents(_notes(), _notes().read(), readers=plugins.readers)
    assert time.monotonic() - started < 5
    assert "plugin rag-notes-reader (reader notes)" in str(failure.value)
    assert problem in str(failure.value)
    [record] = [r for r in plugins.records if r.name == "notes"]
    assert record.failures == 1
    if mode == "hang":  # disabled: the next source fails at once, not after another wait
        assert "disabled until the next start" in record.error
        with pytest.raises(PluginError, match="is disabled"):
            read_documents(_notes(), _notes().read(), readers=plugins.readers)


def test_a_working_reader_plugin_reads_its_extension(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _reader(monkeypatch, tmp_path, "ok")
    plugins = load_plugins(_settings(tmp_path, plugins=["rag-notes-reader"]))
    assert plugins.file_types[".notes"] == "notes"
    [document] = read_documents(_notes(), _notes().read(), readers=plugins.readers)
    assert document.text == "Ferns like shade."


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("class Reader:\n    file_type = 'md'\n    extensions = ('.mdx',)\n"
         "    def read(self, data, context):\n        return []\n",
         "file type 'md' is already registered by another plugin"),
        ("class Reader:\n    file_type = 'x'\n", "not a reader plugin: it needs file_type"),
    ],
)  # fmt: skip
def test_a_plugin_out_of_contract_is_refused_at_load(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str, error: str
) -> None:
    install_distribution(
        monkeypatch,
        tmp_path / "site",
        "rag-odd",
        {"odd_reader": source},
        {"rag.readers": {"odd": "odd_reader:Reader"}},
    )
    plugins = load_plugins(_settings(tmp_path, plugins=["all"]))
    [record] = [r for r in plugins.records if r.name == "odd"]
    assert error in record.error
    assert plugins.readers["md"].file_type == "md"  # the built-in is untouched


def test_a_tool_with_arguments_the_validation_cannot_check_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    listed = TOOL.replace('{"type": "string", "description"', '{"type": "array", "description"')
    install_distribution(
        monkeypatch,
        tmp_path / "site",
        "rag-shout-tool",
        {"shout_list": listed},
        {"rag.tools": {"shout": "shout_list:Shout"}},
    )
    plugins = load_plugins(_settings(tmp_path, plugins=["all"]))
    [record] = [r for r in plugins.records if r.name == "shout"]
    assert "argument 'text' must have a type of" in record.error
    assert "shout" not in plugins.tools


BROKEN_EVERYWHERE = """
from rag.plugins import PluginAnswer

SHOUT = {
    "type": "object",
    "properties": {"text": {"type": "string", "description": "What to say."}},
    "required": ["text"],
}


class Reader:
    file_type = "notes"
    extensions = (".notes",)

    def read(self, data, context):
        raise RuntimeError("reader down")


class Connector:
    schemes = ("broken",)

    def scan(self, uri, context):
        raise RuntimeError("connector down")


class Tool:
    name = "shout"
    description = "Say it louder."
    parameters = SHOUT

    def run(self, arguments, context):
        raise RuntimeError("tool down")

    def route(self, question, context):
        return {"text": question} if question.startswith("shout") else None


class Answerer:
    name = "broken_answerer"
    place = "before:abstention"

    def try_answer(self, context):
        raise RuntimeError("answerer down")


class Hanging:
    name = "slow_answerer"
    place = "after:tool_route"

    def try_answer(self, context):
        import time
        time.sleep(30)
"""


@pytest.fixture
def serve_with(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, docs: Path):
    """serve(distribution, module source, entry points): a server (fake models, sample docs
    indexed) with that one plugin distribution enabled; its module is named after it."""
    from fastapi.testclient import TestClient

    from rag.api import create_app
    from rag.app import RagApp
    from rag.ingest.sources import scans_for
    from tests.fakes import HashEmbedder, ScriptedModel

    opened = []

    def serve(name: str, source: str, entry_points: dict[str, dict[str, str]]):
        module = name.replace("-", "_")
        points = {
            group: {key: f"{module}:{attribute}" for key, attribute in named.items()}
            for group, named in entry_points.items()
        }
        install_distribution(monkeypatch, tmp_path / "site", name, {module: source}, points)
        settings = _settings(tmp_path, plugins=[name], chunk_size=64, chunk_overlap=8)
        app = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel())
        app.indexer.sync(scans_for([str(docs)], settings, app.plugins), "default")
        client = TestClient(create_app(settings, app)).__enter__()
        opened.append((app, client))
        return app, client

    yield serve
    for app, client in opened:
        client.__exit__(None, None, None)
        app.close()


def _answers(client) -> None:
    """The server still answers: health, and a question about the sample docs."""
    assert client.get("/health").status_code == 200
    reply = client.post("/v1/query", json={"question": "What discount for two batteries?"})
    assert reply.status_code == 200 and reply.json()["citations"]


def _upload_notes(client) -> str:
    upload = client.post("/v1/documents", files=[("files", ("a.notes", b"Ferns.", "text/plain"))])
    assert upload.status_code == 422  # its one file failed, with the reason
    return upload.json()["error"]["message"]


def test_the_server_answers_when_a_plugin_import_fails(serve_with) -> None:
    _, client = serve_with(
        "rag-gone", "raise ImportError('needs libfoo')", {"rag.tools": {"gone": "Tool"}}
    )
    _answers(client)
    [shown] = [p for p in client.get("/health").json()["plugins"] if p["name"] == "gone"]
    assert shown == {"kind": "tool", "name": "gone", "distribution": "rag-gone", "status": "failed"}


def test_the_server_answers_when_every_plugin_call_raises(serve_with) -> None:
    app, client = serve_with(
        "rag-broken",
        BROKEN_EVERYWHERE,
        {
            "rag.readers": {"notes": "Reader"},
            "rag.connectors": {"broken": "Connector"},
            "rag.tools": {"shout": "Tool"},
            "rag.answerers": {"broken_answerer": "Answerer"},
        },
    )
    assert "plugin rag-broken (reader notes): read failed: RuntimeError: reader down" in (
        _upload_notes(client)
    )
    shouted = client.post("/v1/query", json={"question": "shout hello"})
    assert shouted.status_code == 200 and shouted.json()["tool_calls"] == []
    job = client.post("/v1/ingest", json={"urls": ["broken://inbox"]}).json()
    while job["status"] in ("queued", "running"):
        time.sleep(0.05)
        job = client.get(f"/v1/jobs/{job['id']}").json()
    [failure] = job["report"]["failed"]
    assert "plugin rag-broken (connector broken): scan failed" in failure["error"]
    _answers(client)  # the answerer raised on each question and was skipped
    failed = {r.name: r.failures for r in app.plugins.records if r.distribution == "rag-broken"}
    assert all(failed.values()), failed
    assert all(r.active for r in app.plugins.records if r.builtin)


def test_the_server_answers_when_a_reader_returns_spans_that_do_not_resolve(serve_with) -> None:
    _, client = serve_with(
        "rag-notes-reader",
        READER.format(mode="bad-spans"),
        {"rag.readers": {"notes": "NotesReader"}},
    )
    message = _upload_notes(client)
    assert "plugin rag-notes-reader (reader notes): page 1 rejected" in message
    assert "does not resolve" in message
    _answers(client)


def test_the_server_answers_when_a_plugin_hangs(serve_with) -> None:
    app, client = serve_with("rag-slow", BROKEN_EVERYWHERE, {"rag.answerers": {"slow": "Hanging"}})
    _answers(client)  # after the time limit, the chain went on without it
    _answers(client)  # disabled: not called again
    [record] = [r for r in app.plugins.records if r.name == "slow"]
    assert record.failures == 1 and "disabled until the next start" in record.error
    [shown] = [p for p in client.get("/health").json()["plugins"] if p["name"] == "slow"]
    assert shown["status"] == "failed"


def test_a_plugin_whose_import_hangs_is_reported_after_the_time_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install_distribution(
        monkeypatch,
        tmp_path / "site",
        "rag-stuck",
        {"stuck_plugin": "import time\ntime.sleep(30)\n"},
        {"rag.tools": {"stuck": "stuck_plugin:Tool"}},
    )
    plugins = load_plugins(_settings(tmp_path, plugins=["rag-stuck"]))
    [record] = [r for r in plugins.records if r.name == "stuck"]
    assert "no answer within 0.5 s" in record.error
    assert "calculator" in plugins.tools


def test_the_config_file_enables_plugins_and_gives_their_options(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "rag.toml"
    config.write_text(
        'plugins = ["rag-shout-tool"]\n\n[plugin_options.rag-shout-tool]\nend = "!!"\n'
    )
    monkeypatch.setenv("RAG_CONFIG", str(config))
    settings = Settings(data_dir=tmp_path)
    assert settings.plugins == ["rag-shout-tool"]
    assert settings.plugin_options == {"rag-shout-tool": {"end": "!!"}}


def test_answerer_places_name_the_built_in_chain() -> None:
    from rag.answer.answerers import default_chain
    from rag.plugins.registry import ANSWERER_NAMES

    chain = default_chain(None, None, None, max_tokens=1, abstain_min_support=0, model_tools=None)
    with_tools = default_chain(None, None, None, max_tokens=1, abstain_min_support=0, model_tools=1)
    assert tuple(a.name for a in with_tools) == ANSWERER_NAMES
    assert "model_tools" not in [a.name for a in chain]
