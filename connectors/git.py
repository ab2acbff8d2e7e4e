"""Git repositories: the files of one branch at its head, each cited by its path and commit.

`git+file:///path/repo` reads a repository on the server's disk (under the allowed folders when
the server has them); `git://host[:port]/repo` fetches one over the git protocol (addresses
checked as the web connector's are; git:// has no TLS, so it is for trusted networks or public
mirrors). `#BRANCH` picks a branch; without one, the repository's HEAD. A file's id is
`URI#BRANCH:PATH`, its version marker the blob id, so a re-sync reads only changed files and
files gone from the branch lose their chunks.
"""

import logging
import stat
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from dulwich.client import get_transport_and_path
from dulwich.object_store import iter_tree_contents
from dulwich.repo import BaseRepo, MemoryRepo, Repo

from rag.connectors import RawSource, Scan, SourceFailure
from rag.connectors.network import check_host, host_and_port
from rag.connectors.web import URLRefusedError
from rag.plugins.kinds import ConnectorContext
from rag.plugins.limits import TimeLimitError, call_with_limit

log = logging.getLogger(__name__)

GIT_PORT = 9418
FETCH_TIMEOUTS = 6  # a whole fetch may take this many of RAG_WEB_TIMEOUT_S


class GitConnector:
    schemes = ("git+file", "git")

    def scan(self, uri: str, context: ConnectorContext) -> Scan:
        base, _, branch = uri.partition("#")
        try:
            repo, branch = _open(base, branch or None, context)
            return _branch_files(repo, base, branch, context)
        except URLRefusedError as exc:
            return Scan(failures=[SourceFailure(base, f"refused: {exc}")])
        except Exception as exc:  # noqa: BLE001 - a repository that cannot be read fails alone
            return Scan(failures=[SourceFailure(base, f"git: {type(exc).__name__}: {exc}")])


def _open(base: str, branch: str | None, context: ConnectorContext) -> tuple[BaseRepo, str]:
    """The repository (fetched into memory when remote) and the branch to read."""
    if base.startswith("git+file://"):
        path = Path(base.removeprefix("git+file://")).expanduser().resolve()
        if context.roots is not None and not any(path.is_relative_to(r) for r in context.roots):
            raise URLRefusedError("outside the allowed folders")
        repo: BaseRepo = Repo(str(path))
        head = repo.refs.follow(b"HEAD")[0][-1]
    else:
        check_host(*host_and_port(urlsplit(base), GIT_PORT), context.web_limits)
        client, remote_path = get_transport_and_path(base)
        repo = MemoryRepo()
        # dulwich's git:// socket has no timeout: a server that stops answering would hold
        # the schedule forever, so the fetch is abandoned after a bound (its thread with it).
        limit = FETCH_TIMEOUTS * context.web_limits.timeout_s
        try:
            fetched = call_with_limit(lambda: client.fetch(remote_path, repo), limit, "git")
        except TimeLimitError:
            raise TimeoutError(f"the server sent no repository within {limit:g} s") from None
        for name, sha in fetched.refs.items():
            if name.startswith(b"refs/heads/") and sha is not None:
                repo.refs[name] = sha
        head = fetched.symrefs.get(b"HEAD", b"refs/heads/main")
    if branch is None:
        branch = head.decode().removeprefix("refs/heads/")
    return repo, branch


def _branch_files(repo: BaseRepo, base: str, branch: str, context: ConnectorContext) -> Scan:
    ref = f"refs/heads/{branch}".encode()
    if ref not in repo.refs:
        return Scan(failures=[SourceFailure(base, f"git: no branch {branch!r}")])
    commit_id = repo.refs[ref]
    commit = repo[commit_id]
    scope = f"{base}#{branch}:"
    scan = Scan(scope=scope)
    sha = commit_id.decode()
    for entry in iter_tree_contents(repo.object_store, commit.tree):
        if not stat.S_ISREG(entry.mode):  # symlinks and submodules are not files of the branch
            continue
        path = entry.path.decode("utf-8", "replace")
        if any(part.startswith(".") for part in PurePosixPath(path).parts):
            continue
        file_type = context.file_types.get(PurePosixPath(path).suffix.lower())
        if file_type is None:
            continue
        scan.sources.append(
            RawSource(
                source_id=scope + path,
                file_type=file_type,
                read=partial(_blob, repo, entry.sha, context.max_bytes),
                modified=float(commit.commit_time),
                metadata={"commit": sha, "path": path, "location": f"{path} at {sha[:12]}"},
                version=entry.sha.decode(),
            )
        )
    return scan


def _blob(repo: BaseRepo, sha: bytes, max_bytes: int) -> bytes:
    data = repo.object_store[sha].as_raw_string()
    if len(data) > max_bytes:
        raise ValueError(f"file is {len(data)} bytes, over the {max_bytes}-byte limit")
    return data
