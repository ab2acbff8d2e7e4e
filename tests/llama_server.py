"""llama-cpp-python's own OpenAI-compatible server on the bundled GGUF, as a process (the
`llama-cpp-python[server]` extra): the remote backend's real server in tests and bench/api.py."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen

from rag.llm.local import bundled_model_path
from tests.live import running


@dataclass(frozen=True)
class LlamaServer:
    process: Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def completions_served(self) -> int:
        """Chat completion requests it has answered (uvicorn's access log)."""
        return self.log.read_text().count('"POST /v1/chat/completions HTTP/1.1" 200')


@contextmanager
def llama_server(port: int, log: Path, n_ctx: int = 2048) -> Iterator[LlamaServer]:
    """The server on 127.0.0.1:`port` until the block ends (stopped, or killed, even when the
    block fails)."""
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model_path()),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx), "--seed", "0",
        "--n_threads", "1", "--n_threads_batch", "1",
        # By default a new request cuts the running stream short (ending it with [DONE]).
        "--interrupt_requests", "False",
    ]  # fmt: skip
    ready = f"http://127.0.0.1:{port}/v1/models"
    with running(command, dict(os.environ), ready, log) as process:
        yield LlamaServer(process, port, log)
