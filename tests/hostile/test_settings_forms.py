"""Settings as people write them: list settings take a path, comma- or os.pathsep-separated
values, or JSON; every invalid setting is one line naming the variable and the accepted form, for
`rag serve` and every other command, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.settings import load_settings
from tests.conftest import ReliabilityLog

ROW = "settings as written (env and config file)"


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("RAG_API_INGEST_ROOTS", "/srv/docs", "api_ingest_roots", [Path("/srv/docs")]),
        ("RAG_API_INGEST_ROOTS", "/a,/b", "api_ingest_roots", [Path("/a"), Path("/b")]),
        ("RAG_API_INGEST_ROOTS", f"/a{os.pathsep}/b", "api_ingest_roots", [Path("/a"), Path("/b")]),
        ("RAG_API_INGEST_ROOTS", '["/a", "/b,c"]', "api_ingest_roots", [Path("/a"), Path("/b,c")]),
        ("RAG_API_INGEST_ROOTS", " ", "api_ingest_roots", []),
        ("RAG_WEB_ALLOWED_HOSTS", "127.0.0.1:8123", "web_allowed_hosts", ["127.0.0.1:8123"]),
        ("RAG_WEB_ALLOWED_HOSTS", "a:1, b:2", "web_allowed_hosts", ["a:1", "b:2"]),
        (
            "RAG_API_CORS_ORIGINS",
            "http://ui.example:8501",
            "api_cors_origins",
            ["http://ui.example:8501"],
        ),
        ("RAG_API_CORS_ORIGINS", '["http://a.example"]', "api_cors_origins", ["http://a.example"]),
        (
            "RAG_LLM_LORA_ADAPTERS",
            "legal=/m/legal.gguf",
            "llm_lora_adapters",
            {"legal": Path("/m/legal.gguf")},
        ),
        (
            "RAG_LLM_LORA_ADAPTERS",
            '{"hr": "/m/hr.gguf"}',
            "llm_lora_adapters",
            {"hr": Path("/m/hr.gguf")},
        ),
    ],
)
def test_list_settings_accept_the_usual_forms(
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    field: str,
    expected: object,
    reliability: ReliabilityLog,
) -> None:
    monkeypatch.setenv(variable, value)
    assert getattr(load_settings(), field) == expected
    reliability.add(ROW, inputs=1, crashes=0)


def test_a_config_file_takes_a_plain_path_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reliability: ReliabilityLog
) -> None:
    config = tmp_path / "rag.toml"
    config.write_text('api_ingest_roots = "/srv/docs"\nweb_allowed_hosts = ["a:1"]\n')
    monkeypatch.setenv("RAG_CONFIG", str(config))
    settings = load_settings()
    assert settings.api_ingest_roots == [Path("/srv/docs")]
    assert settings.web_allowed_hosts == ["a:1"]
    reliability.add(ROW, inputs=2, crashes=0)


BAD_SETTINGS = [
    ({"RAG_API_INGEST_ROOTS": '["/srv/docs"'}, "RAG_API_INGEST_ROOTS", "JSON list"),
    ({"RAG_API_INGEST_ROOTS": '[""]'}, "RAG_API_INGEST_ROOTS", "absolute"),  # was the cwd
    ({"RAG_API_INGEST_ROOTS": "docs"}, "RAG_API_INGEST_ROOTS", "absolute"),
    ({"RAG_LLM_LORA_ADAPTERS": "legal"}, "RAG_LLM_LORA_ADAPTERS", "NAME=PATH"),
    ({"RAG_COLLECTION_ADAPTERS": "[1]"}, "RAG_COLLECTION_ADAPTERS", "NAME=ADAPTER"),
    ({"RAG_TOP_K": "many"}, "RAG_TOP_K", "integer"),
    ({"RAG_API_PORT": "70000"}, "RAG_API_PORT", "65535"),
    ({"RAG_RETRIEVAL_MODE": "fast"}, "RAG_RETRIEVAL_MODE", "hybrid"),
    ({"RAG_CONFIG": "{config}"}, "RAG_CONFIG", "TOML"),
]


@pytest.mark.parametrize(("env", "variable", "form"), BAD_SETTINGS)
@pytest.mark.parametrize("command", [["serve"], ["collections", "list"], ["ask", "hello"]])
def test_every_invalid_setting_is_one_line_naming_the_variable(
    tmp_path: Path,
    env: dict[str, str],
    variable: str,
    form: str,
    command: list[str],
    reliability: ReliabilityLog,
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("top_k = [\n")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    environment |= {k: v.format(config=config) for k, v in env.items()}
    environment["RAG_DATA_DIR"] = str(tmp_path / "data")
    run = subprocess.run(
        [sys.executable, "-c", "from rag.cli import main; main()", *command],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert variable in lines[0] and form in lines[0], lines[0]
    reliability.add(
        ROW,
        inputs=1,
        crashes=0,
        notes="list settings as a path, ',' or os.pathsep separated, JSON, or a TOML list; "
        "maps as NAME=VALUE pairs or JSON; bad JSON, maps, integers, ports, modes and an "
        "unparsable config file: one line naming the variable, from `rag serve`, "
        "`rag collections list` and `rag ask`",
    )
