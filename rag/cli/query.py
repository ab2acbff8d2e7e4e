"""`rag ask` and `rag search`: through the live server when one owns the index, else here."""

import json
from contextlib import closing
from typing import Annotated, Any

import typer

from rag.cli import common
from rag.cli.options import CollectionOpt, FilterOpt, JsonOpt, ModeOpt, TopKOpt
from rag.client.backend import retrieval_options
from rag.settings import load_settings


def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    collection: CollectionOpt = None,
    conversation: Annotated[
        str | None,
        typer.Option("--conversation", help="A saved conversation: its turns are the history."),
    ] = None,
    top_k: TopKOpt = None,
    mode: ModeOpt = None,
    filter_: FilterOpt = None,
    adapter: Annotated[
        str | None, typer.Option("--adapter", help="A LoRA adapter from RAG_LLM_LORA_ADAPTERS.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Answer a question from the indexed documents, with citations."""
    from rag.answer.types import checked_question

    checked_question(question)  # before a server is asked
    options = {
        **retrieval_options(collection, top_k, mode, common.parse_filters(filter_)),
        "conversation_id": conversation,
        "adapter": adapter,
    }
    with closing(common.open_client(load_settings())) as client:
        result = client.ask(question, options)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(result["answer"])
    if result["abstained"]:
        _echo_listed("Closest sources", [_closest_line(c) for c in result["closest_sources"]])
    else:
        _echo_listed("Sources", [_citation_line(c) for c in result["citations"]])


def _echo_listed(heading: str, lines: list[str]) -> None:
    """`lines` under `heading`; nothing at all when there are none (a tool's answer cites none)."""
    if lines:
        typer.echo(f"\n{heading}:")
        typer.echo("\n".join(lines))


def _closest_line(chunk: dict[str, Any]) -> str:
    page = f" p.{chunk['page']}" if chunk.get("page") else ""
    return f"  - {chunk['source']}{page}"


def _citation_line(citation: dict[str, Any]) -> str:
    """`[id] file:page [start, end)`: the span of the page's text that the source viewer
    (GET /v1/documents/{id}/view) marks."""
    page = f":{citation['page']}" if citation["page"] else ""
    place = f"{citation['source']}{page} [{citation['start']}, {citation['end']})"
    if citation.get("ocr"):
        place += f" (scanned, OCR {citation['ocr_confidence']:.0%})"
    return f'  [{citation["id"]}] {place}: "{citation["text"]}"'


def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    collection: CollectionOpt = None,
    top_k: TopKOpt = None,
    mode: ModeOpt = None,
    filter_: FilterOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Retrieval only: the chunks that best match QUERY."""
    options = retrieval_options(collection, top_k, mode, common.parse_filters(filter_))
    with closing(common.open_client(load_settings())) as client:
        result = client.search(query, options)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    for rank, chunk in enumerate(result["results"], start=1):
        snippet = " ".join(chunk["text"].split())[:160]
        typer.echo(f"{rank}. {chunk['source']} ({chunk['score']:.4f})\n   {snippet}")
