"""`rag models ...`: the generator's GGUF files: cards, the choice, pulling and quantizing."""

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rag.cli.options import JsonOpt
from rag.settings import load_settings

if TYPE_CHECKING:
    from rag.models.card import ModelCard

models_cli = typer.Typer(
    help="Model cards, the model to serve, pulling from a hub, quantizing.", no_args_is_help=True
)
MIB = 1 << 20


@models_cli.command("list")
def models_list(as_json: JsonOpt = False) -> None:
    """The bundled model and every model pulled or added; `*` marks the one that serves."""
    from rag.models.library import active_model, listed_models

    settings = load_settings()
    active = active_model(settings)
    rows = listed_models(settings)
    if as_json:
        body = [{**row, "active": row["path"] == str(active.path)} for row in rows]
        typer.echo(json.dumps({"models": body, "active": active.name}, indent=2))
        return
    for row in rows:
        mark = "*" if row["path"] == str(active.path) else " "
        if "error" in row:
            typer.echo(f"{mark} {row['name']}\t{row['error']}")
            continue
        typer.echo(
            f"{mark} {row['name']}\t{row['quantization']}\t{row['parameters'] / 1e6:.0f}M params"
            f"\t{row['licence'] or 'no licence'} ({row['licence_class']})"
            f"\t{row['file_bytes'] / MIB:.0f} MiB file\t{row['ram_bytes'] / MIB:.0f} MiB RAM"
        )
    if active.origin == "settings":
        typer.echo(f"* serving {active.path} from RAG_LLM_MODEL_PATH (or the config file)")


@models_cli.command("info")
def models_info(
    name: Annotated[
        str | None,
        typer.Argument(
            help="A model name, `bundled`, or a GGUF path; default: the model that serves."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """A model's card, read from its GGUF metadata (weights are not loaded)."""
    from rag.models.card import read_card
    from rag.models.choice import card_for
    from rag.models.library import active_model

    settings = load_settings()
    if name is None:
        active = active_model(settings)
        card = read_card(
            active.path, n_ctx=settings.llm_n_ctx, n_batch=settings.llm_n_batch, name=active.name
        )
    else:
        card = card_for(settings, name)
    if as_json:
        typer.echo(json.dumps(card.to_json(), indent=2))
        return
    typer.echo(render_card(card))


@models_cli.command("use")
def models_use(
    name: Annotated[str, typer.Argument(help="A model name, `bundled`, or a GGUF path.")],
    accept_licence: Annotated[
        bool,
        typer.Option("--accept-licence", help="Accept a conditional or unknown licence."),
    ] = False,
) -> None:
    """Serve this model from the next start on (RAG_LLM_MODEL_PATH still wins when set)."""
    from rag.client.http import read_server_record
    from rag.models.choice import use_model

    settings = load_settings()
    choice = use_model(settings, name, accept_licence=accept_licence)
    for warning in choice.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"using {choice.card.name} ({choice.card.path})")
    server = read_server_record(settings.data_dir)
    if server is not None:
        typer.echo(f"the server at {server.get('url')} switches to it at its next start")


@models_cli.command("pull")
def models_pull(
    repo: Annotated[str, typer.Argument(help="OWNER/NAME, or OWNER/NAME:QUANT to pick by quant.")],
    filename: Annotated[str | None, typer.Argument(metavar="FILE", help="The GGUF file.")] = None,
    name: Annotated[str | None, typer.Option(help="Name it in the registry.")] = None,
    revision: Annotated[str, typer.Option(help="Branch, tag or commit.")] = "main",
) -> None:
    """Download a GGUF from a Hugging Face compatible hub (HF_ENDPOINT) into the models folder,
    resuming an interrupted pull, and verify its sha256."""
    from rag.models.hub import pull

    pulled = pull(load_settings(), repo, filename, revision=revision, name=name)
    if pulled.resumed_from:
        typer.echo(f"resumed after {pulled.resumed_from / MIB:.1f} MiB already downloaded")
    card = pulled.card
    typer.echo(f"pulled {pulled.name}: {card.path} (sha256 {pulled.sha256} verified)")
    licence = card.licence
    typer.echo(f"licence: {licence.name or 'none named'} ({licence.licence_class}: {licence.note})")
    typer.echo(f"serve it with: rag models use {pulled.name}")


@models_cli.command("quantize")
def models_quantize(
    source: Annotated[Path, typer.Argument(metavar="IN", help="An F32, F16 or BF16 GGUF.")],
    target: Annotated[Path, typer.Argument(metavar="OUT", help="The GGUF to write.")],
    quant: Annotated[str, typer.Option("--type", help="Q4_K_M, Q5_K_M or Q8_0.")],
    as_json: JsonOpt = False,
) -> None:
    """Quantize a GGUF with llama.cpp (one progress line per tensor), then show its card."""
    from rag.models.quantize import quantize

    settings = load_settings()
    card = quantize(
        source,
        target,
        quant,
        n_ctx=settings.llm_n_ctx,
        n_batch=settings.llm_n_batch,
        threads=settings.llm_n_threads,
    )
    typer.echo(json.dumps(card.to_json(), indent=2) if as_json else render_card(card))


def _over_context(card: "ModelCard") -> bool:
    return card.context_length is not None and card.memory.n_ctx > card.context_length


def render_card(card: "ModelCard") -> str:
    memory = card.memory
    template = {
        "ok": "present, renders in the sandbox",
        "absent": "absent (ChatML is used)",
    }.get(card.chat_template, f"{card.chat_template}: {card.chat_template_error}")
    licence = card.licence
    rows = [
        ("name", card.name),
        ("file", f"{card.path} ({card.file_bytes / MIB:.1f} MiB)"),
        ("architecture", f"{card.architecture}, {card.parameters / 1e6:.1f}M parameters"),
        ("quantization", f"{card.quantization}, {card.bits_per_weight} bits per weight"),
        (
            "context",
            f"{card.context_length or 'unknown'} tokens trained, {memory.n_ctx} served"
            + (" (beyond its training: lower RAG_LLM_N_CTX)" if _over_context(card) else ""),
        ),
        ("tokenizer", card.tokenizer),
        ("chat template", template),
        ("licence", f"{licence.name or 'none named'} ({licence.licence_class}: {licence.note})"),
        (
            "memory",
            f"{card.ram_bytes / MIB:.1f} MiB at n_ctx {memory.n_ctx}, n_batch {memory.n_batch} "
            f"= weights {memory.weights_bytes / MIB:.1f} + KV cache "
            f"{memory.kv_cache_bytes / MIB:.1f} + compute {memory.compute_bytes / MIB:.1f} MiB",
        ),
    ]
    return "\n".join(f"{label:<14}{value}" for label, value in rows)
