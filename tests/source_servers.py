"""What the source-connector integration tests share: an app on the fake embedder with a
source service, a check that the index holds exactly the ledger's chunks, and real servers
(git daemon, Dovecot, WsgiDAV, moto) started for a test and stopped after it."""

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rag.app import RagApp
from rag.settings import Settings
from rag.sources.service import SourceService
from tests.fakes import HashEmbedder


@contextmanager
def source_app(data_dir: Path, **settings: object) -> Iterator[tuple[RagApp, SourceService]]:
    app = RagApp(
        Settings(data_dir=data_dir, chunk_size=64, chunk_overlap=8, **settings),
        embedder=HashEmbedder(),
    )
    service = SourceService(app)
    try:
        yield app, service
    finally:
        service.close()
        app.close()


def indexed(app: RagApp, collection: str = "default") -> dict[str, int]:
    """source id → chunk count, after checking the store holds exactly the ledger's chunks (no
    duplicate, none lost)."""
    records = app.ledger.sources(collection)
    chunk_ids = [cid for record in records for cid in record.chunk_ids]
    assert len(chunk_ids) == len(set(chunk_ids))
    assert app.store.count(collection) == len(chunk_ids)
    assert len(app.store.retrieve(collection, chunk_ids)) == len(chunk_ids)
    return {record.source_id: len(record.chunk_ids) for record in records}


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout_s: float = 30):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


@contextmanager
def process(command: list[str], port: int, log: Path, **popen: object) -> Iterator[None]:
    with log.open("w") as sink:
        running = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, **popen)
    try:
        wait_for_port(port, running)
        yield
    finally:
        running.terminate()
        try:
            running.wait(10)
        except subprocess.TimeoutExpired:
            running.kill()
            running.wait()
