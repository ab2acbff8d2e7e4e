"""The models folder: `$RAG_DATA_DIR/models`, its registry, and which model serves.

`registry.json` records each model pulled or added (name, path, sha256, source, licence) and the
choice made with `rag models use`. Which GGUF a local model loads, highest first:
`RAG_LLM_MODEL_PATH` (or `llm_model_path` in the config file), the recorded choice, the bundled
SmolLM2-135M-Instruct. Writes go to a temporary file renamed over the old one under a lock, so a
crash leaves the old registry whole.
"""

import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from rag.errors import ConfigError, ModelNotFoundError, NotFoundError
from rag.settings import Settings

BUNDLED = "bundled"
Origin = Literal["settings", "chosen", "bundled"]


@dataclass(frozen=True)
class RegisteredModel:
    name: str
    path: str
    sha256: str | None
    source: str
    licence: str | None
    licence_class: str


@dataclass(frozen=True)
class ActiveModel:
    """The GGUF a local model loads, and what decided it."""

    name: str
    path: Path
    origin: Origin


def models_dir(settings: Settings) -> Path:
    return settings.data_dir.expanduser().resolve() / "models"


class ModelLibrary:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._file = root / "registry.json"

    def models(self) -> list[RegisteredModel]:
        return [RegisteredModel(**entry) for entry in self._read()["models"].values()]

    def get(self, name: str) -> RegisteredModel | None:
        entry = self._read()["models"].get(name)
        return RegisteredModel(**entry) if entry else None

    def chosen(self) -> dict[str, str] | None:
        return self._read().get("chosen")

    def add(self, model: RegisteredModel) -> None:
        with self._update() as data:
            data["models"][model.name] = asdict(model)

    def choose(self, name: str, path: Path) -> None:
        with self._update() as data:
            data["chosen"] = {"name": name, "path": str(path)}

    def resolve(self, name_or_path: str) -> tuple[str, Path]:
        """A registered name, `bundled`, or a GGUF file's path → (name, absolute path)."""
        from rag.llm.local import bundled_model_path

        if name_or_path == BUNDLED:
            return BUNDLED, bundled_model_path()
        entry = self.get(name_or_path)
        if entry is not None:
            return entry.name, Path(entry.path)
        path = Path(name_or_path).expanduser()
        if path.is_file():
            return path.stem, path.resolve()
        known = ", ".join([BUNDLED, *(m.name for m in self.models())])
        raise NotFoundError(
            f"no model named {name_or_path!r} and no such file; known models: {known} "
            "(`rag models pull` fetches more)"
        )

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self._file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"models": {}}
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"the model registry {self._file} cannot be read ({exc}); fix or delete it"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("models"), dict):
            raise ConfigError(f"the model registry {self._file} is malformed; fix or delete it")
        return data

    @contextmanager
    def _update(self) -> Iterator[dict[str, Any]]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "registry.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = self._read()
            yield data
            fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".registry-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(data, out, indent=2)
                os.replace(tmp, self._file)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise


def active_model(settings: Settings) -> ActiveModel:
    """The GGUF the local model loads now, by the precedence in this module's docstring."""
    from rag.llm.local import bundled_model_path

    if settings.llm_model_path is not None:
        path = settings.llm_model_path.expanduser().resolve()
        return ActiveModel(path.stem, path, "settings")
    chosen = ModelLibrary(models_dir(settings)).chosen()
    if chosen is not None:
        path = Path(chosen["path"])
        if not path.is_file():
            raise ModelNotFoundError(
                f"the model chosen with `rag models use` ({chosen['name']}: {path}) is gone; "
                "run `rag models use NAME` with another model, or `rag models use bundled`"
            )
        return ActiveModel(chosen["name"], path, "chosen")
    return ActiveModel(BUNDLED, bundled_model_path(), "bundled")


def listed_models(settings: Settings) -> list[dict[str, Any]]:
    """The bundled model and each registered one as card JSON; a broken file lists its error."""
    from rag.errors import RagError
    from rag.llm.local import bundled_model_path
    from rag.models.card import read_card

    entries = [(BUNDLED, bundled_model_path())]
    entries += [(m.name, Path(m.path)) for m in ModelLibrary(models_dir(settings)).models()]
    active = active_model(settings)
    if all(path != active.path for _, path in entries):
        entries.append((active.name, active.path))
    rows = []
    for name, path in entries:
        try:
            card = read_card(path, n_ctx=settings.llm_n_ctx, n_batch=settings.llm_n_batch)
            rows.append(card.to_json() | {"name": name})
        except RagError as exc:
            rows.append({"name": name, "path": str(path), "error": str(exc)})
    return rows
