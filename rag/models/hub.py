"""`rag models pull`: a GGUF from a Hugging Face compatible hub into `$RAG_DATA_DIR/models`.

huggingface_hub reads `HF_ENDPOINT` and `HF_HUB_OFFLINE` once, at import; so the endpoint comes
from settings and is passed on every call, and a pull refuses at once (one line) when the
offline flag is set, instead of failing deep inside the library. The file streams through
huggingface_hub's `http_get` (progress bar, retries) into `models/.partial/<sha256>.part`, a
name that survives the process: a pull killed half-way resumes from there with a Range request.
Only a file whose sha256 matches the hub's and that reads as a GGUF is moved into place and
recorded in the registry; anything else is deleted.
"""

import fcntl
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from rag.errors import InvalidInputError, ModelError, NotFoundError, RagError
from rag.models.card import ModelCard, read_card
from rag.models.library import ModelLibrary, RegisteredModel
from rag.settings import Settings

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_REPO = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Pulled:
    name: str
    card: ModelCard
    sha256: str
    source: str
    resumed_from: int  # bytes already on disk from an interrupted pull


def parse_target(repo: str, filename: str | None) -> tuple[str, str | None, str | None]:
    """`REPO FILE` or `REPO:QUANT` → (repo, file or None, quant or None)."""
    repo, _, quant = repo.partition(":")
    if not _REPO.fullmatch(repo) or ".." in repo:
        raise InvalidInputError(f"{repo!r} is not a hub repository name; expected OWNER/NAME")
    if filename and quant:
        raise InvalidInputError("give either REPO FILE or REPO:QUANT, not both")
    if not filename and not quant:
        raise InvalidInputError("name the file (REPO FILE) or its quantization (REPO:Q4_K_M)")
    if filename:
        check_repo_file(filename)
    return repo, filename or None, quant.upper() or None


def check_repo_file(filename: str) -> str:
    """A file's path inside its repository: relative, '/'-separated, with no '.', '..' or
    empty part, so the hub URL made of it stays in the repository (checked before any
    request)."""
    parts = filename.split("/")
    if "\\" in filename or any(part in ("", ".", "..") for part in parts):
        raise InvalidInputError(
            f"{filename!r} is not a file name inside the repository: give a relative path "
            "without '.', '..', '\\' or an empty part"
        )
    return filename


def pull(
    settings: Settings,
    repo: str,
    filename: str | None,
    *,
    revision: str = "main",
    name: str | None = None,
) -> Pulled:
    if settings.hub_offline:
        raise ModelError(
            "HF_HUB_OFFLINE is set, so nothing can be pulled; unset it for this command "
            "(HF_HUB_OFFLINE= rag models pull ...)"
        )
    from huggingface_hub import get_hf_file_metadata, hf_hub_url
    from huggingface_hub.errors import HfHubHTTPError

    repo, filename, quant = parse_target(repo, filename)
    endpoint = settings.hub_endpoint.rstrip("/")
    library = ModelLibrary(settings.data_dir.expanduser().resolve() / "models")
    try:
        if filename is None:
            filename = check_repo_file(_file_for_quant(endpoint, repo, revision, quant or ""))
        target = _target_path(library.root, repo, filename)
        entry_name = name or target.stem
        taken = library.get(entry_name)
        if taken is not None and Path(taken.path) != target:
            raise InvalidInputError(
                f"a model named {entry_name!r} is already registered ({taken.source}); "
                "name this one with --name"
            )
        url = hf_hub_url(repo, filename, revision=revision, endpoint=endpoint)
        meta = get_hf_file_metadata(url, endpoint=endpoint)
        expected = (meta.etag or "").lower()
        if not _SHA256.fullmatch(expected):
            raise ModelError(
                f"the hub gave no sha256 for {repo}/{filename}, so it cannot be verified; "
                "pull GGUF files stored with Git LFS"
            )
        card, resumed = _download(
            meta.location, library.root, expected, meta.size, target, _reader(settings)
        )
    except HfHubHTTPError as exc:
        raise _hub_error(exc, repo, filename) from None
    except RagError:
        raise
    except Exception as exc:
        # The transport's errors (requests, httpx or httpx2, by huggingface_hub version) share
        # no base class but Exception.
        raise ModelError(
            f"the pull from {endpoint} failed ({type(exc).__name__}: {exc}); check HF_ENDPOINT, "
            "the network and free disk space, then run it again (it resumes)"
        ) from None
    source = f"{endpoint}/{repo}/{filename}@{meta.commit_hash or revision}"
    library.add(
        RegisteredModel(
            entry_name, str(target), expected, source, card.licence.name, card.licence.licence_class
        )
    )
    return Pulled(entry_name, card, expected, source, resumed)


def _reader(settings: Settings) -> Callable[[Path], ModelCard]:
    return lambda path: read_card(path, n_ctx=settings.llm_n_ctx, n_batch=settings.llm_n_batch)


def _file_for_quant(endpoint: str, repo: str, revision: str, quant: str) -> str:
    from huggingface_hub import HfApi

    files = HfApi(endpoint=endpoint).list_repo_files(repo, revision=revision)
    matches = [f for f in files if f.lower().endswith(".gguf") and quant.lower() in f.lower()]
    if len(matches) != 1:
        found = ", ".join(f for f in files if f.lower().endswith(".gguf")) or "none"
        problem = "no" if not matches else "more than one"
        raise NotFoundError(
            f"{problem} GGUF file in {repo} matches {quant}; name the file instead "
            f"(GGUF files: {found})"
        )
    return matches[0]


def _target_path(root: Path, repo: str, filename: str) -> Path:
    base = Path(filename).name
    if not base.lower().endswith(".gguf") or base != filename.rsplit("/", 1)[-1]:
        raise InvalidInputError(f"{filename!r} is not a .gguf file name")
    folder = (root / repo.replace("/", "--")).resolve()
    target = (folder / base).resolve()
    if target.parent != folder or not folder.is_relative_to(root.resolve()):
        raise InvalidInputError(f"{filename!r} is not a plain file name")
    return target


def _download(
    url: str,
    root: Path,
    sha256: str,
    size: int | None,
    target: Path,
    accept: Callable[[Path], ModelCard],
) -> tuple[ModelCard, int]:
    """Resume or start the download, verify it, move it to `target`: its card (read while it is
    still a partial file, so a bad one never lands) and the bytes resumed."""
    from huggingface_hub.file_download import http_get

    partial_dir = root / ".partial"
    partial_dir.mkdir(parents=True, exist_ok=True)
    partial = partial_dir / f"{sha256}.part"
    with open(root / "pull.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one pull at a time writes into this folder
        resumed = partial.stat().st_size if partial.exists() else 0
        if size is not None and resumed > size:
            partial.unlink()
            resumed = 0
        with open(partial, "ab") as out:
            http_get(
                url, out, resume_size=resumed, expected_size=size, displayed_filename=target.name
            )
        try:
            actual = _sha256_of(partial)
            if actual != sha256:
                raise ModelError(
                    f"{target.name} failed its checksum (sha256 {actual[:12]}..., the hub says "
                    f"{sha256[:12]}...); nothing was kept: run the pull again"
                )
            card = accept(partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.replace(target)
    return replace(card, path=target), resumed


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _hub_error(exc: Exception, repo: str, filename: str | None) -> Exception:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    what = f"{repo}/{filename}" if filename else repo
    if status in (401, 403, 404):
        return NotFoundError(
            f"the hub has no {what} (HTTP {status}); check the repository and file names "
            "(a gated repository needs HF_TOKEN)"
        )
    return ModelError(f"the hub failed on {what} (HTTP {status}); try again later")
