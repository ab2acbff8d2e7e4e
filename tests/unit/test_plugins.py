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

TOOL = '''
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
'''

READER = '''
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
'''


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
