"""Live servers on 127.0.0.1 for tests: uvicorn in a thread, or any command as a process."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(app: FastAPI, port: int) -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def running(
    command: list[str], env: dict[str, str], ready_url: str, log: Path
) -> Iterator[subprocess.Popen]:
    """Run `command` as its own process until the block ends; yields it once `ready_url`
    answers 200."""
    with log.open("w") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[:3]} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass(frozen=True)
class Finished:
    returncode: int
    stdout: str
    seconds: float
    peak_rss_mib: float


# A child's peak RSS counts the image of the process it was forked from, until it execs: the
# measured command is therefore started by this small launcher, not by the (large) test
# process, and the launcher reports the command's own peak (wait4) in a file.
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_measured(command: list[str], env: dict[str, str], timeout_s: float) -> Finished:
    """Run `command` to its end, with its own peak RSS (from wait4, not a sampled guess)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak_kib"
        launcher = [sys.executable, "-c", _LAUNCHER, str(report), *command]
        process = subprocess.Popen(
            launcher, env=env, stdout=out, stderr=subprocess.DEVNULL, start_new_session=True
        )
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise TimeoutError(f"{command[:4]} ran past {timeout_s} s") from None
        finally:  # a timeout or an interrupted test run leaves nothing running
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        out.seek(0)
        stdout = out.read().decode()
        if not report.is_file():
            raise RuntimeError(f"{command[:4]} could not be started (exit {process.returncode})")
        peak_kib = int(report.read_text())
    return Finished(process.returncode, stdout, time.monotonic() - started, peak_kib / 1024)


def finished_job(client: httpx.Client, job_id: str, timeout_s: float = 60) -> dict:
    """Poll `GET /v1/jobs/{id}` (a TestClient is an httpx.Client too) until the job ends."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout_s} s")
