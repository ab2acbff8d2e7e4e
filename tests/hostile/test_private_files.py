"""Issue 39, item 2: another account on the machine reads nothing of the data directory. What
the server creates there (SQLite files and their journals, uploads, collections, caches) is
0600 / 0700, and a data directory an older version left open is tightened when it is opened."""

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.app import RagApp
from rag.settings import Settings
from tests.conftest import ReliabilityLog
from tests.fakes import HashEmbedder, ScriptedModel
from tests.hostile.clients import recorded_client

ROW = "data directory read by another local account"
NOTES = (
    "upload, query (a conversation), feedback, then every file and folder of the data directory "
    "opened as uid 65534; a data directory left 0755 with a 0644 file is tightened on open"
)
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
# Run as uid 65534: print each path (one per line on stdin) that it could read or list.
READER = (
    'while IFS= read -r p; do if [ -d "$p" ]; then ls -- "$p" >/dev/null 2>&1 && echo "$p"; '
    'else head -c1 -- "$p" >/dev/null 2>&1 && echo "$p"; fi; done'
)

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="reading as another account needs root and setpriv",
)


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data directory where any account could reach it (pytest's own folders are 0700),
    already holding a readable file, created under the usual umask 022."""
    base = Path(tempfile.mkdtemp(prefix="rag-private-"))
    base.chmod(0o755)
    data = base / "data"
    data.mkdir(mode=0o755)
    (data / "left-by-an-older-version.txt").write_text("readable")
    (data / "left-by-an-older-version.txt").chmod(0o644)
    umask = os.umask(0o022)
    try:
        yield data
    finally:
        os.umask(umask)
        shutil.rmtree(base)


def _readable_by_another_account(data: Path) -> list[str]:
    # The folder above is open to all: seeing it proves the reader ran as that account.
    paths = [str(data.parent), str(data)] + [
        os.path.join(folder, name)
        for folder, folders, files in os.walk(data)
        for name in folders + files
    ]
    reader = subprocess.run(
        [*NOBODY, "/bin/sh", "-c", READER],
        input="\n".join(paths),
        capture_output=True,
        text=True,
        timeout=60,
    )
    readable = reader.stdout.splitlines()
    assert readable[:1] == [str(data.parent)], reader.stderr
    return readable[1:]


def _open_modes(data: Path) -> dict[str, str]:
    """Each file or folder under `data` that some other account has any permission on."""
    found = {}
    for folder, folders, files in os.walk(data):
        for name in folders + files:
            mode = os.lstat(os.path.join(folder, name)).st_mode
            if not stat.S_ISLNK(mode) and mode & 0o077:
                found[os.path.join(folder, name)] = oct(stat.S_IMODE(mode))
    return found


def test_another_account_reads_nothing_the_server_wrote(
    data_dir: Path, reliability: ReliabilityLog
) -> None:
    settings = Settings(data_dir=data_dir)
    with (
        RagApp(settings, embedder=HashEmbedder(), model=ScriptedModel()) as app,
        recorded_client(app, reliability, ROW, NOTES) as client,
    ):
        upload = client.post(
            "/v1/documents",
            files={"files": ("parking.txt", b"Visitors park in bay C next to the dock.\n")},
        )
        assert upload.status_code == 201, upload.text
        conversation = client.post("/v1/conversations", json={"collection": "default"}).json()
        question = {"question": "Where do visitors park?", "conversation_id": conversation["id"]}
        assert client.post("/v1/query", json=question).status_code == 200
        turn = client.get(f"/v1/conversations/{conversation['id']}").json()
        vote = {"turn_id": turn["turns"][0]["id"], "rating": 1}
        assert client.post("/v1/feedback", json=vote).status_code in (200, 201)
        names = {path.name for path in data_dir.iterdir()}
        assert {"uploads", "collections", "conversations.sqlite3", "feedback.sqlite3"} <= names
        readable = _readable_by_another_account(data_dir)
        opened = _open_modes(data_dir)
    readable_after = _readable_by_another_account(data_dir)
    assert readable == readable_after == [], (readable, readable_after)
    assert opened == {}
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    reliability.add(ROW, escapes=0, leaks=len({*readable, *opened, *readable_after}))
