"""`rag models pull` against a local HTTP server that answers on the hub's URLs.

The pull runs as `rag` in a child process without HF_HUB_OFFLINE (the suite sets it, and
huggingface_hub reads it at import), with HF_ENDPOINT pointing at the server.
"""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_hub import COMMIT, REPO, FakeHub, sha256
from tests.tiny_gguf import write_tiny_llama

pytestmark = pytest.mark.integration

FILE = "tiny-Q8_0.gguf"
RAG = Path(sys.executable).with_name("rag")


@pytest.fixture
def model_bytes(tmp_path: Path) -> bytes:
    return write_tiny_llama(tmp_path / "tiny.gguf").read_bytes()


@pytest.fixture
def hub(model_bytes: bytes) -> Iterator[FakeHub]:
    server = FakeHub({FILE: model_bytes, "tiny-F16.gguf": model_bytes, "README.md": b"# tiny"})
    yield server
    server.close()


def rag(data: Path, hub: FakeHub, *args: str, offline: bool = False, **kwargs):
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "HF_ENDPOINT")}
    env |= {"RAG_DATA_DIR": str(data), "HF_ENDPOINT": hub.url, "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    if offline:
        env["HF_HUB_OFFLINE"] = "1"
    command = [str(RAG), "models", *args]
    if kwargs.pop("background", False):
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def models_folder_files(data: Path) -> list[str]:
    root = data / "models"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_pull_verifies_registers_and_the_model_serves(tmp_path: Path, hub: FakeHub, model_bytes):
    data = tmp_path / "data"
    done = rag(data, hub, "pull", REPO, FILE)
    assert done.returncode == 0, done.stderr
    target = data / "models" / "acme--tiny-GGUF" / FILE
    assert target.read_bytes() == model_bytes
    registry = json.loads((data / "models" / "registry.json").read_text())
    entry = registry["models"]["tiny-Q8_0"]
    assert entry["sha256"] == sha256(model_bytes)
    assert entry["source"] == f"{hub.url}/{REPO}/{FILE}@{COMMIT}"
    assert entry["licence"] == "apache-2.0"
    used = rag(data, hub, "use", "tiny-Q8_0")
    assert used.returncode == 0, used.stderr
    again = rag(data, hub, "pull", REPO, "tiny-F16.gguf", "--name", "tiny-Q8_0")
    assert again.returncode == 2 and "--name" in again.stderr


def test_pull_by_quant_picks_the_one_matching_file(tmp_path: Path, hub: FakeHub) -> None:
    data = tmp_path / "data"
    done = rag(data, hub, "pull", f"{REPO}:q8_0")
    assert done.returncode == 0, done.stderr
    assert models_folder_files(data)[0] == f"acme--tiny-GGUF/{FILE}"
    missing = rag(data, hub, "pull", f"{REPO}:Q4_K_M")
    assert missing.returncode == 1
    assert "matches Q4_K_M" in missing.stderr and FILE in missing.stderr


def test_a_pull_killed_half_way_resumes_and_leaves_one_verified_file(tmp_path: Path) -> None:
    # huggingface_hub writes 10 MiB at a time: a 15 MiB file (a long description) is cut after
    # its first write.
    model = write_tiny_llama(tmp_path / "big.gguf", extra={"general.description": "x" * 15_000_000})
    model_bytes = model.read_bytes()
    hub = FakeHub({FILE: model_bytes})
    try:
        data = tmp_path / "data"
        hub.mode = "slow"
        child = rag(data, hub, "pull", REPO, FILE, background=True)
        partial_dir = data / "models" / ".partial"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            parts = list(partial_dir.glob("*.part")) if partial_dir.exists() else []
            if parts and parts[0].stat().st_size > 0:
                break
            time.sleep(0.05)
        child.kill()
        child.wait()
        assert 0 < parts[0].stat().st_size < len(model_bytes)
        hub.mode = "normal"
        done = rag(data, hub, "pull", REPO, FILE)
        assert done.returncode == 0, done.stderr
        assert "resumed after" in done.stdout
        assert hub.ranges and hub.ranges[-1] != "bytes=0-"
        assert (data / "models" / "acme--tiny-GGUF" / FILE).read_bytes() == model_bytes
        assert not list(partial_dir.glob("*.part"))
    finally:
        hub.close()


@pytest.mark.parametrize(
    ("mode", "args", "message", "code"),
    [
        ("normal", (REPO, "absent.gguf"), "the hub has no", 1),
        ("fail", (REPO, FILE), "HTTP 500", 1),
        ("wrong_sha", (REPO, FILE), "failed its checksum", 1),
        ("normal", (REPO, "README.md"), "not a .gguf", 2),
    ],
)
def test_hub_failures_are_one_line_and_leave_nothing(
    tmp_path: Path, hub: FakeHub, mode: str, args: tuple[str, str], message: str, code: int
) -> None:
    data = tmp_path / "data"
    hub.mode = mode
    failed = rag(data, hub, "pull", *args)
    assert failed.returncode == code
    assert message in failed.stderr and failed.stderr.count("\n") == 1, failed.stderr
    leftover = [f for f in models_folder_files(data) if not f.endswith(".lock")] if (
        data / "models"
    ).exists() else []  # fmt: skip
    assert leftover == []


def test_a_file_that_is_not_a_gguf_is_deleted_after_download(tmp_path: Path) -> None:
    server = FakeHub({FILE: b"GGUF but not really" * 100})
    try:
        data = tmp_path / "data"
        failed = rag(data, server, "pull", REPO, FILE)
        assert failed.returncode == 1 and "not a readable GGUF" in failed.stderr
        assert [f for f in models_folder_files(data) if not f.endswith(".lock")] == []
    finally:
        server.close()


def test_a_hub_that_does_not_answer_is_one_line(tmp_path: Path, hub: FakeHub) -> None:
    hub.close()  # nothing listens on its port any more
    failed = rag(tmp_path / "data", hub, "pull", REPO, FILE)
    assert failed.returncode == 1
    assert "failed (ConnectError" in failed.stderr and failed.stderr.count("\n") == 1


def test_with_the_offline_flag_pull_says_so_in_one_line(tmp_path: Path, hub: FakeHub) -> None:
    failed = rag(tmp_path / "data", hub, "pull", REPO, FILE, offline=True)
    assert failed.returncode == 1
    assert "HF_HUB_OFFLINE" in failed.stderr and failed.stderr.count("\n") == 1
