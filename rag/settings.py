"""All configuration in one model: environment variables `RAG_*` over one optional TOML file.

Nothing else in the project reads the environment. Precedence, highest first: arguments
passed to `Settings(...)`, environment variables, the file named by `RAG_CONFIG`, defaults.
"""

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)
from pydantic_settings.exceptions import SettingsError

from rag.errors import ConfigError

RetrievalMode = Literal["hybrid", "dense", "bm25", "rrf"]
# The one bound on chunks per answer or search, for settings and every front door.
MAX_TOP_K = 50

# List and map settings are parsed by the validators below, not as JSON only (NoDecode), so
# `RAG_API_INGEST_ROOTS=/srv/docs` works as people write it.
_PATH_LIST_FORM = f"a path, paths separated by ',' or {os.pathsep!r}, or a JSON list"
_TEXT_LIST_FORM = "a value, values separated by ',', or a JSON list"
_URL_LIST_FORM = "a URL such as http://host:8080/v1, URLs separated by ',', or a JSON list"
_MAP_FORM = "NAME={value},NAME={value} pairs or a JSON object"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "rag"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", extra="forbid")

    data_dir: Path = Field(default_factory=default_data_dir)
    default_collection: str = "default"

    # embed: None means the bundled all-MiniLM-L6-v2 (English only).
    embed_model: Path | None = None
    embed_batch_size: int = Field(default=32, ge=1)

    # ingest: chunk sizes are in the embedder's tokens (MiniLM truncates past 256).
    chunk_size: int = Field(default=200, ge=32)
    chunk_overlap: int = Field(default=30, ge=0)
    max_file_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    watch_interval_s: float = Field(default=5.0, gt=0)  # `rag ingest --watch` rescans this often
    # OCR of PDF pages without a text layer and of PNG/JPEG/TIFF files (Tesseract): languages
    # joined with '+' (each needs Debian's tesseract-ocr-<lang>), the rendering DPI for PDF pages,
    # and the limits that refuse a file with its reason instead of stalling the ingest.
    ocr_enabled: bool = True
    ocr_langs: str = Field(default="eng", pattern=r"^[A-Za-z_]+(\+[A-Za-z_]+)*$")
    ocr_dpi: int = Field(default=300, ge=72, le=600)
    ocr_page_timeout_s: float = Field(default=60.0, gt=0)
    ocr_max_pages: int = Field(default=500, ge=1)
    ocr_max_image_pixels: int = Field(default=100_000_000, ge=1_000_000)
    # Pages read by OCR kept in <data dir>/ocr-cache (by pixel hash), so they are not read again.
    ocr_cache: bool = True

    # web connector: only public addresses are fetched, except exact host:port entries here.
    web_allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    web_max_pages: int = Field(default=100, ge=1)
    web_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    web_timeout_s: float = Field(default=20.0, gt=0)
    # S3-compatible object storage for s3:// sources (MinIO, moto); unset = AWS's own endpoint.
    s3_endpoint_url: str | None = None

    # store: unset = embedded Qdrant Edge under data_dir; a URL = a Qdrant server or cluster.
    qdrant_url: str | None = None
    qdrant_api_key: SecretStr | None = None
    qdrant_timeout_s: int = Field(default=30, ge=1)
    # An ingest (CLI, or a server job in the background) that wrote chunks builds the HNSW index
    # once the collection reaches this many chunks (0 = never). Below it, exact search is fast
    # enough (docs/BENCHMARKS.md).
    index_build_threshold: int = Field(default=20_000, ge=0)

    # retrieve
    top_k: int = Field(default=8, ge=1, le=MAX_TOP_K)
    retrieval_mode: RetrievalMode = "hybrid"
    prefetch_limit: int = Field(default=50, ge=1)
    # hybrid = dense_weight * dense + (1 - dense_weight) * BM25, each min-max normalised over its
    # own candidates. 0.2-0.4 is a plateau on both eval sets (docs/BENCHMARKS.md).
    hybrid_dense_weight: float = Field(default=0.3, ge=0.0, le=1.0)
    # Second stage, both off by default: a local CrossEncoder folder, and MMR diversity
    # (1.0 = pure relevance, lower = more diverse chunks).
    rerank_model: Path | None = None
    rerank_candidates: int = Field(default=20, ge=1, le=200)
    mmr_lambda: float | None = Field(default=None, ge=0.0, le=1.0)
    # Below this support (rag/answer/abstain.py: the chance, 0..1, that the best sentences
    # answer the question), the answer abstains. None: the threshold calibrated for the
    # signal in use (abstain.VERIFIER_MIN_SUPPORT, abstain.COVERAGE_MIN_SUPPORT).
    abstain_min_support: float | None = Field(default=None, ge=-1.0, le=2.0)

    # generate: None means the bundled SmolLM2-135M-Instruct GGUF.
    llm_model_path: Path | None = None
    llm_n_ctx: int = Field(default=4096, ge=512)
    llm_n_threads: int | None = Field(default=None, ge=1)
    llm_n_batch: int = Field(default=256, ge=1)
    llm_gpu_layers: int = Field(default=0, ge=-1)
    llm_max_tokens: int = Field(default=160, ge=1)
    llm_temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    llm_repeat_penalty: float = Field(default=1.15, ge=1.0)
    llm_seed: int = 0
    # The model worker admits this many waiting requests; more get "busy" (HTTP 429).
    # LoRA adapters over the base model, by name: a local GGUF adapter file each (for a remote
    # server the names are what it serves, e.g. vLLM's --lora-modules, and the paths are unused).
    # A request may name one; `collection_adapters` gives a collection its default.
    llm_lora_adapters: Annotated[dict[str, Path], NoDecode] = Field(default_factory=dict)
    collection_adapters: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    # Let the model write a tool call (grammar-constrained JSON) for arithmetic that parsing the
    # question could not read; calls are validated and may only use the question's numbers.
    llm_tool_calls: bool = True
    llm_queue_size: int = Field(default=4, ge=1)
    llm_timeout_s: float = Field(default=120.0, gt=0)
    # A remote OpenAI-compatible server (llama.cpp server, vLLM, TGI) instead of the local GGUF:
    # its base URL (ending in /v1), the model name it serves, and how many requests it runs at once.
    # Several servers serving the same model: their URLs, kept joined by ',' (rag/llm/endpoints.py
    # spreads requests over them).
    llm_url: Annotated[str | None, NoDecode] = None
    llm_remote_model: str = "default"
    llm_api_key: SecretStr | None = None
    llm_parallel: int = Field(default=4, ge=1)
    # `rag eval --judge`: an OpenAI-compatible server whose model judges faithfulness; None means
    # the model that answers judges too.
    judge_url: str | None = None
    judge_model: str = "default"
    judge_api_key: SecretStr | None = None
    # `rag models pull`: a Hugging Face compatible hub, read from huggingface_hub's own variables
    # too (HF_ENDPOINT, HF_HUB_OFFLINE) so that one setting serves both.
    hub_endpoint: str = Field(
        default="https://huggingface.co",
        validation_alias=AliasChoices("hub_endpoint", "RAG_HUB_ENDPOINT", "HF_ENDPOINT"),
    )
    hub_offline: bool = Field(
        default=False, validation_alias=AliasChoices("hub_offline", "HF_HUB_OFFLINE")
    )

    # front doors
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    api_url: str = "http://127.0.0.1:8000"
    api_key: SecretStr | None = None
    # Folders whose files POST /v1/ingest may read; empty = server-side paths refused.
    api_ingest_roots: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    # Body limits: uploads (POST /v1/documents) and every other route's JSON body.
    api_max_request_bytes: int = Field(default=256 * 1024 * 1024, ge=1024)
    api_max_json_bytes: int = Field(default=1024 * 1024, ge=1024)
    # A question's length in the model's tokens (an emoji can take four): longer is a 400.
    max_question_tokens: int = Field(default=1024, ge=16)
    # Browser origins allowed to call the API from their pages (CORS); empty = none (the default).
    api_cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # The audit log of API requests (rag/access/audit.py): questions and document text only with
    # audit_content; rotated at audit_max_bytes, keeping audit_backups old parts.
    audit_content: bool = False
    audit_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    audit_backups: int = Field(default=5, ge=0, le=100)
    # `rag mcp`: the API key it uses with the server; unset = the local user's token.
    mcp_key: SecretStr | None = None
    ui_host: str = "127.0.0.1"

    # plugins (rag/plugins/): the built-ins are always on; another distribution's plugins load
    # only when named here (its distribution or entry point name), or all of them with `all`.
    plugins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # A third-party plugin call that takes longer is abandoned and the plugin disabled.
    plugin_timeout_s: float = Field(default=30.0, gt=0)
    # Each plugin's own options, by distribution: DIST.KEY=VALUE pairs, a JSON object of
    # objects, or a [plugin_options.DIST] table in the config file.
    plugin_options: Annotated[dict[str, dict[str, str]], NoDecode] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _collection_adapters_exist(self) -> "Settings":
        unknown = set(self.collection_adapters.values()) - set(self.llm_lora_adapters)
        if unknown:
            raise ValueError(
                f"collection_adapters names adapters not in llm_lora_adapters: {sorted(unknown)}"
            )
        return self

    @field_validator("api_ingest_roots", mode="before")
    @classmethod
    def _path_list(cls, value: Any) -> Any:
        return _split_list(value, rf"[,{re.escape(os.pathsep)}]", _PATH_LIST_FORM)

    @field_validator("api_ingest_roots")
    @classmethod
    def _absolute_roots(cls, roots: list[Path]) -> list[Path]:
        # An empty or relative root would mean wherever the server happens to be started.
        if relative := [str(root) for root in roots if not root.is_absolute()]:
            raise ValueError(
                f"write absolute folders: {relative} would be the server's working directory"
                " or a folder under it"
            )
        return roots

    @field_validator("web_allowed_hosts", "api_cors_origins", "plugins", mode="before")
    @classmethod
    def _text_list(cls, value: Any) -> Any:
        return _split_list(value, ",", _TEXT_LIST_FORM)

    @field_validator("llm_url", mode="before")
    @classmethod
    def _url_list(cls, value: Any) -> Any:
        urls = _split_list(value, ",", _URL_LIST_FORM)
        if not isinstance(urls, list):
            return urls
        for url in urls:
            if not isinstance(url, str) or not re.match(r"https?://[^/\s]", url):
                raise ValueError(f"{url!r} is not an http(s) URL; write {_URL_LIST_FORM}")
        return ",".join(urls) or None  # empty: no server, the local model

    @field_validator("llm_lora_adapters", mode="before")
    @classmethod
    def _adapter_paths(cls, value: Any) -> Any:
        return _split_map(value, _MAP_FORM.format(value="PATH"))

    @field_validator("collection_adapters", mode="before")
    @classmethod
    def _adapter_names(cls, value: Any) -> Any:
        return _split_map(value, _MAP_FORM.format(value="ADAPTER"))

    @field_validator("plugin_options", mode="before")
    @classmethod
    def _plugin_options(cls, value: Any) -> Any:
        pairs = _split_map(value, _MAP_FORM.format(value="VALUE").replace("NAME", "DIST.KEY"))
        if not isinstance(value, str) or value.strip().startswith("{"):
            return pairs
        options: dict[str, dict[str, str]] = {}
        for name, option in pairs.items():
            distribution, dot, key = name.rpartition(".")
            if not dot or not distribution or not key:
                raise ValueError(f"{name!r} is not DIST.KEY; write DIST.KEY=VALUE pairs")
            options.setdefault(distribution, {})[key] = option
        return options

    @field_validator("hub_offline", mode="before")
    @classmethod
    def _hf_flag(cls, value: Any) -> Any:
        # huggingface_hub's own reading: 1/ON/YES/TRUE is set, anything else (even "") is not.
        if isinstance(value, str):
            return value.strip().upper() in {"1", "ON", "YES", "TRUE"}
        return value

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, value: int, info) -> int:
        size = info.data.get("chunk_size")
        if size is not None and value >= size:
            raise ValueError(f"chunk_overlap ({value}) must be smaller than chunk_size ({size})")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("RAG_CONFIG")
        if config_file:
            path = Path(config_file).expanduser()
            if not path.is_file():
                raise ConfigError(f"RAG_CONFIG points to {path}, which is not a file")
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)


def _split_list(value: Any, separators: str, form: str) -> Any:
    """A list setting's text as written: JSON when it starts with '[', else split."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        return _json(text, list, form)
    return [part.strip() for part in re.split(separators, text) if part.strip()]


def _split_map(value: Any, form: str) -> Any:
    """A map setting's text as written: a JSON object, or NAME=VALUE pairs separated by ','."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith(("{", "[")):
        return _json(text, dict, form)
    pairs = [part.strip() for part in text.split(",") if part.strip()]
    if any("=" not in pair for pair in pairs):
        raise ValueError(f"write {form}")
    return dict(pair.split("=", 1) for pair in pairs)


def _json(text: str, kind: type, form: str) -> Any:
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if not isinstance(parsed, kind):
        raise ValueError(f"not a JSON {'list' if kind is list else 'object'}; write {form}")
    return parsed


def _setting_name(loc: tuple[int | str, ...]) -> str:
    """How a user names a setting: its variable, and its key in a config file."""
    if not loc:
        return "settings"
    field = str(loc[0])
    return f"RAG_{field.upper()} ({field})" + "".join(f"[{p}]" for p in loc[1:])


def load_settings(**overrides: object) -> Settings:
    """Build settings; each invalid setting becomes one line of a ConfigError naming its
    variable and what it accepts (never a traceback)."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "\n".join(
            f"invalid setting {_setting_name(err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(problems) from None
    except tomllib.TOMLDecodeError as exc:
        path = os.environ.get("RAG_CONFIG")
        raise ConfigError(f"RAG_CONFIG file {path} is not valid TOML: {exc}") from None
    except SettingsError as exc:
        match = re.search(r'field "(\w+)"', str(exc))
        name = _setting_name((match.group(1),)) if match else "settings"
        raise ConfigError(f"invalid setting {name}: {exc}") from None
