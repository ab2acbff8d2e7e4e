"""Which generator a running server was configured with and which it loaded.

The configured model is read now (the settings and the choice recorded by `rag models use`);
the loaded one was fixed when the server started. They differ after a `rag models use` until the
next start, and a UI shows both.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rag.errors import RagError
from rag.models.card import read_card
from rag.models.library import ActiveModel, active_model
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.app import RagApp


@dataclass(frozen=True)
class ModelStatus:
    configured: dict[str, Any]
    loaded: dict[str, Any] | None  # None until the model is built

    @property
    def restart_needed(self) -> bool:
        return self.loaded is not None and self.loaded.get("path") != self.configured.get("path")


def model_status(app: "RagApp") -> ModelStatus:
    settings = app.settings
    if settings.llm_url is not None:
        remote = {"name": settings.llm_remote_model, "remote": settings.llm_url}
        return ModelStatus(remote, remote if app.model_loaded else None)
    try:
        configured = describe(settings, active_model(settings))
    except RagError as exc:
        configured = {"error": str(exc)}
    if not app.model_loaded:
        return ModelStatus(configured, None)
    if "local_model_choice" not in app.__dict__:  # a model handed in by the caller (tests)
        return ModelStatus(configured, {"name": app.model.model_id})
    return ModelStatus(configured, describe(settings, app.local_model_choice))


def describe(settings: Settings, model: ActiveModel) -> dict[str, Any]:
    """The model's card as JSON with what chose it; a file that cannot be read names why."""
    try:
        card = read_card(model.path, n_ctx=settings.llm_n_ctx, n_batch=settings.llm_n_batch)
    except RagError as exc:
        return {"name": model.name, "path": str(model.path), "error": str(exc)}
    return card.to_json() | {"name": model.name, "origin": model.origin}
