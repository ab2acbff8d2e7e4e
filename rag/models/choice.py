"""`rag models use`: check a model before recording it as the one to serve.

A model is refused, with the registry left as it was, when its file is not a readable GGUF,
its chat template fails or tries to leave the sandbox, or its memory estimate at the configured
context does not fit in the memory available now. A conditional or unknown licence needs the
user's explicit acceptance.
"""

from collections.abc import Callable
from dataclasses import dataclass

from rag.errors import ConfigError, InvalidInputError, ModelError
from rag.models.card import ModelCard, read_card
from rag.models.library import ModelLibrary, models_dir
from rag.settings import Settings
from rag.store.host_memory import available_memory

GIB = 1 << 30


@dataclass(frozen=True)
class Choice:
    card: ModelCard
    warnings: list[str]


def card_for(settings: Settings, name_or_path: str) -> ModelCard:
    """The card of a registered model, `bundled`, or a GGUF path, at the configured context."""
    name, path = ModelLibrary(models_dir(settings)).resolve(name_or_path)
    return read_card(path, n_ctx=settings.llm_n_ctx, n_batch=settings.llm_n_batch, name=name)


def use_model(
    settings: Settings,
    name_or_path: str,
    *,
    accept_licence: bool,
    memory_available: Callable[[], int] = available_memory,
) -> Choice:
    card = card_for(settings, name_or_path)
    if card.chat_template in ("unsafe", "broken"):
        raise ModelError(
            f"{card.name} cannot serve: {card.chat_template_error}; pick another model"
        )
    available = memory_available()
    if available and card.ram_bytes > available:
        raise ConfigError(
            f"{card.name} needs about {card.ram_bytes / GIB:.1f} GiB at n_ctx "
            f"{settings.llm_n_ctx} but {available / GIB:.1f} GiB is available; lower "
            "RAG_LLM_N_CTX or pick a smaller quantization"
        )
    licence = card.licence
    if licence.licence_class != "permissive" and not accept_licence:
        raise InvalidInputError(
            f"{card.name} has a {licence.licence_class} licence ({licence.name or 'none named'}: "
            f"{licence.note}); read it, then run again with --accept-licence"
        )
    ModelLibrary(models_dir(settings)).choose(card.name, card.path)
    warnings = []
    if licence.licence_class != "permissive":
        warnings.append(f"licence accepted: {licence.name or 'none named'}: {licence.note}")
    if card.context_length is not None and settings.llm_n_ctx > card.context_length:
        warnings.append(
            f"RAG_LLM_N_CTX {settings.llm_n_ctx} is beyond the {card.context_length} tokens "
            f"{card.name} was trained on: answers degrade; set RAG_LLM_N_CTX={card.context_length}"
        )
    if settings.llm_model_path is not None:
        warnings.append(
            "RAG_LLM_MODEL_PATH (or llm_model_path in the config file) is set and takes "
            "precedence over this choice; unset it to serve the chosen model"
        )
    if settings.llm_url is not None:
        warnings.append("RAG_LLM_URL is set: the remote server answers, not a local model")
    return Choice(card, warnings)
