"""The Python API (`from rag import Rag`): in-process and over HTTP, the same calls give equal
typed results and raise the same errors; closing releases the data directory."""

import dataclasses
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import rag
from rag import AskResult, CollectionInfo, DocumentInfo, IngestReport, Rag, RetrievedChunk
from rag.api import create_app
from rag.app import RagApp
from rag.client.http import ServerClient, error_of
from rag.client.local import LocalClient
from rag.errors import (
    ConfigError,
    IndexLockedError,
    InvalidInputError,
    ModelBusyError,
    NotFoundError,
    RecipeMismatchError,
)
from rag.settings import Settings
from tests.fakes import HashEmbedder, ScriptedModel, SlowModel
from tests.live import free_port, serving

QUESTION = "What discount for two batteries?"
REPLY = "Customers get 8% off when they buy two or more batteries."


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def settings(tmp_path: Path, port: int) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        chunk_size=64,
        chunk_overlap=8,
        abstain_min_support=0.3,
        api_url=f"http://127.0.0.1:{port}",
        api_ingest_roots=[tmp_path],
    )


@pytest.fixture
def core(settings: Settings, docs: Path) -> Iterator[RagApp]:
    app = RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel(*[REPLY] * 10))
    Rag(LocalClient(app)).ingest(docs)
    yield app
    app.close()


@pytest.fixture
def local(core: RagApp) -> Rag:
    return Rag(LocalClient(core))  # the core fixture closes what it holds


@pytest.fixture
def remote(core: RagApp, settings: Settings, port: int) -> Iterator[Rag]:
    with serving(create_app(settings, core), port) as url, Rag.open(url=url) as client:
        yield client


def _untimed(result: AskResult) -> AskResult:
    return dataclasses.replace(result, timings={})


def test_search_in_process_and_over_http_give_equal_chunks(local: Rag, remote: Rag) -> None:
    here = local.search("warranty cycles", mode="bm25", top_k=3)
    there = remote.search("warranty cycles", mode="bm25", top_k=3)

    assert here == there
    assert 1 <= len(here) <= 3 and all(isinstance(c, RetrievedChunk) for c in here)
    assert here[0].source.endswith("aurora-k2-manual.md")


def test_ask_in_process_and_over_http_give_equal_results(local: Rag, remote: Rag) -> None:
    here = local.ask(QUESTION)
    there = remote.ask(QUESTION)

    assert isinstance(here, AskResult) and here.citations and not here.abstained
    assert _untimed(here) == _untimed(there)
    assert remote.url is not None and local.url is None


def test_stream_gives_the_text_then_the_result_ask_gives(local: Rag, remote: Rag) -> None:
    asked = local.ask(QUESTION)
    for client in (local, remote):
        events = list(client.stream(QUESTION))
        *pieces, result = events

        assert all(isinstance(piece, str) for piece in pieces) and pieces
        assert isinstance(result, AskResult)
        assert "".join(pieces) == result.answer
        assert _untimed(result) == _untimed(asked)


@pytest.mark.parametrize("side", ["local", "remote"])
def test_leaving_a_stream_early_stops_the_model(
    slow_app: tuple[RagApp, str], slow: SlowModel, side: str
) -> None:
    core, url = slow_app
    slow.replies.append(" ".join([REPLY] * 100))  # 160 words at 0.05 s: 8 s to read out
    client = Rag(LocalClient(core)) if side == "local" else Rag.open(url=url)
    for event in client.stream(QUESTION):
        assert event == REPLY
        break
    deadline = time.monotonic() + 3
    while core.model_worker.running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert core.model_worker.running == 0 and slow.words < 80
    if side == "remote":
        client.close()  # the local one's core is the fixture's to close


def test_ingest_over_http_and_in_process_report_the_same_sync(
    local: Rag, remote: Rag, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "heat-pump.md").write_text("The Zephyr heat pump defrosts every 40 minutes.\n")

    added = remote.ingest(notes, collection="notes")
    again = local.ingest([str(notes)], collection="notes")

    assert isinstance(added, IngestReport)
    assert added.added == [str((notes / "heat-pump.md").resolve())] and added.chunks_written
    assert again == IngestReport(unchanged=1)
    assert local.search("Zephyr defrosts", collection="notes")[0].source.endswith("heat-pump.md")


def test_collections_and_documents_are_the_same_seen_from_both(local: Rag, remote: Rag) -> None:
    assert remote.collections.create("Scratch") == "Scratch"
    assert local.collections.create("scratch") == "Scratch"  # a name differing by case is one
    listed = local.collections.list()
    assert listed == remote.collections.list()
    assert {c.name for c in listed} == {"default", "Scratch"}
    assert all(isinstance(c, CollectionInfo) for c in listed)

    documents = local.documents.list()
    assert documents == remote.documents.list()
    assert all(isinstance(d, DocumentInfo) for d in documents)
    faq = next(d for d in documents if d.source.endswith("support-faq.txt"))
    assert remote.documents.delete(faq.id) == faq
    assert faq not in local.documents.list()
    assert local.collections.delete("scratch") == "Scratch"
    assert [c.name for c in remote.collections.list()] == ["default"]


BAD_CALLS = [
    (lambda r: r.ask("   "), InvalidInputError, "question is empty"),
    (lambda r: r.search("battery", top_k=0), InvalidInputError, "top_k"),
    (lambda r: r.search("battery", collection="a/b"), InvalidInputError, "collection"),
    (lambda r: r.collections.create("../up"), InvalidInputError, "collection name"),
    (lambda r: r.ingest([]), InvalidInputError, "nothing to ingest"),
    (lambda r: r.collections.delete("missing"), NotFoundError, "missing"),
    (lambda r: r.documents.delete("no-such-id"), NotFoundError, "no-such-id"),
]


@pytest.mark.parametrize("side", ["local", "remote"])
def test_bad_input_raises_the_same_clear_error_both_ways(
    side: str, request: pytest.FixtureRequest
) -> None:
    client = request.getfixturevalue(side)
    for call, error, words in BAD_CALLS:
        with pytest.raises(error) as raised:
            call(client)
        assert words in str(raised.value), (words, raised.value)


def test_closing_releases_the_data_directory(settings: Settings) -> None:
    first = Rag.open(settings)
    assert first.url is None
    with pytest.raises(IndexLockedError):
        Rag.open(settings)
    first.close()

    with Rag.open(settings) as second:
        assert second.url is None
    with Rag.open(settings) as third:  # the with block released it too
        assert third.collections.list() == []


def test_open_goes_through_the_server_that_owns_the_data_directory(
    remote: Rag, settings: Settings
) -> None:
    with Rag.open(settings) as client:
        assert client.url == settings.api_url
        assert client.documents.list() == remote.documents.list()


def test_open_a_url_where_no_server_answers_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no API server answers"):
        Rag.open(url=f"http://127.0.0.1:{free_port()}")


def test_an_error_reply_becomes_the_exception_the_server_raised() -> None:
    assert type(error_of("RecipeMismatchError", "m", 409)) is RecipeMismatchError
    assert type(error_of("InvalidRequest", "m", 422)) is InvalidInputError
    assert type(error_of("", "m", 404)) is NotFoundError
    busy = error_of("ModelBusyError", "m", 429, "7")
    assert isinstance(busy, ModelBusyError) and busy.retry_after_s == 7
    assert type(error_of("SystemExit", "m", 500)).__name__ == "RagError"  # never a non-rag class


def test_a_client_checks_certificates_over_https_and_loads_none_for_plain_http(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = []
    load = ssl.SSLContext.load_verify_locations
    monkeypatch.setattr(
        ssl.SSLContext,
        "load_verify_locations",
        lambda context, *a, **k: loaded.append(1) or load(context, *a, **k),
    )
    ServerClient("http://127.0.0.1:8000", None).close()
    assert loaded == []  # the CA bundle costs a CLI command ~50 ms
    secure = ServerClient("https://rag.example.org", None)
    assert loaded == [1]
    assert secure._http._transport._pool._ssl_context.verify_mode == ssl.CERT_REQUIRED
    secure.close()


def test_chunk_json_reads_back_whole() -> None:
    records = ({"start": 0, "end": 9, "record": {"Model": "K2"}},)
    chunk = RetrievedChunk(
        "c1", "K2 114 kg", "/a.csv", "a.csv", "d1", 2, 0, 9, 0.5, 0.25, 0.9, records
    )

    again = RetrievedChunk.from_json(chunk.to_json())

    assert again == chunk and again.records == records and again.to_json() == chunk.to_json()


def test_the_package_exports_exactly_the_public_surface() -> None:
    assert set(rag.__all__) == {
        "Rag",
        "AskResult",
        "Citation",
        "AlignedSentence",
        "RetrievedChunk",
        "ToolCall",
        "IngestReport",
        "CollectionInfo",
        "DocumentInfo",
        "RagError",
        "InvalidInputError",
        "NotFoundError",
        "IndexLockedError",
        "ModelBusyError",
        "__version__",
    }
    assert all(getattr(rag, name) is not None for name in rag.__all__)
    with pytest.raises(AttributeError):
        rag.RagApp  # noqa: B018 - internal, not exported


def test_import_rag_and_its_api_loads_no_model_runtime_or_store() -> None:
    heavy = ("torch", "llama_cpp", "qdrant_edge", "qdrant_client", "sentence_transformers")
    script = (
        "import sys, rag; [getattr(rag, name) for name in rag.__all__]; "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert shown.stdout.strip() == "[]", shown.stdout + shown.stderr


def test_ingest_over_http_loads_no_reader_model_runtime_or_store(
    remote: Rag, tmp_path: Path
) -> None:
    note = tmp_path / "heat-pump.md"
    note.write_text("The Zephyr heat pump defrosts every 40 minutes.\n")
    heavy = ("llama_index", "torch", "llama_cpp", "qdrant_edge", "qdrant_client")
    script = (
        "import sys; from rag import Rag; "
        f"report = Rag.open(url={remote.url!r}).ingest({str(note)!r}); "
        f"print(report.added, [m for m in {heavy!r} if m in sys.modules])"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert shown.stdout.strip() == f"[{str(note.resolve())!r}] []", shown.stdout + shown.stderr
