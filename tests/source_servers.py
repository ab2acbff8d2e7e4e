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


_DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {user}
default_internal_user = {user}
default_internal_group = {group}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0600
  }}
}}
"""


@contextmanager
def dovecot(users: dict[str, str]) -> Iterator[int]:
    """A real Dovecot IMAP server on 127.0.0.1, run unprivileged (as `nobody` when the tests
    run as root: its login process refuses root) from a config and passwd file in a folder of
    its own under /tmp (which `nobody` can reach)."""
    import grp
    import os
    import pwd
    import shutil
    import tempfile

    from tests.live import free_port

    root = Path(tempfile.mkdtemp(prefix="rag-dovecot-"))
    port = free_port()
    as_root = os.geteuid() == 0
    uid, gid = (65534, 65534) if as_root else (os.geteuid(), os.getegid())
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in users.items()))
    (root / "dovecot.conf").write_text(
        _DOVECOT_CONF.format(
            root=root,
            port=port,
            uid=uid,
            gid=gid,
            user=pwd.getpwuid(uid).pw_name,
            group=grp.getgrgid(gid).gr_name,
        )
    )
    command = ["dovecot", "-F", "-c", str(root / "dovecot.conf")]
    if as_root:
        for path in [root, *root.rglob("*")]:
            os.chown(path, uid, gid)
        root.chmod(0o700)
        command = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", *command]
    try:
        with process(command, port, root / "server.log"):
            yield port
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def silent_server() -> Iterator[int]:
    """A server on 127.0.0.1 that accepts connections and never says a word."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        for connection in accepted:
            connection.close()
        listener.close()
