"""`rag ask` and `rag search`: through the live server when one owns the index, else here."""

import json
from typing import TYPE_CHECKING, Annotated

import typer

from rag.cli import common
from rag.cli.options import CollectionOpt, FilterOpt, JsonOpt, ModeOpt, TopKOpt

if TYPE_CHECKING:
    from rag.app import RagApp


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
    filters = common.parse_filters(filter_)
    body = {
        "question": question,
        "collection": collection,
        "top_k": top_k,
        "mode": mode,
        "filters": filters,
        "conversation_id": conversation,
        "adapter": adapter,
    }

    def locally(app: "RagApp") -> dict[str, object]:
        request = app.ask_request(
            question,
            collection,
            top_k,
            mode,
            filters,
            adapter=adapter,
            conversation_id=conversation,
        )
        return app.answer_json(request, app.answers.ask(request))

    result = common.via_server_or_local("/v1/query", body, locally)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(result["answer"])
    if result["abstained"]:
        typer.echo("\nClosest sources:")
        for chunk in result["closest_sources"]:
            page = f" p.{chunk['page']}" if chunk.get("page") else ""
            typer.echo(f"  - {chunk['source']}{page}")
        return
    typer.echo("\nSources:")
    for citation in result["citations"]:
        page = f" p.{citation['page']}" if citation["page"] else ""
        if citation.get("ocr"):
            page += f" (scanned, OCR {citation['ocr_confidence']:.0%})"
        typer.echo(f'  [{citation["id"]}] {citation["source"]}{page}: "{citation["text"]}"')


def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    collection: CollectionOpt = None,
    top_k: TopKOpt = None,
    mode: ModeOpt = None,
    filter_: FilterOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Retrieval only: the chunks that best match QUERY."""
    filters = common.parse_filters(filter_)
    body = {
        "query": query,
        "collection": collection,
        "top_k": top_k,
        "mode": mode,
        "filters": filters,
    }
    result = common.via_server_or_local(
        "/v1/search",
        body,
        lambda app: {
            "results": [
                c.to_json()
                for c in app.search(app.ask_request(query, collection, top_k, mode, filters))
            ]
        },
    )
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    for rank, chunk in enumerate(result["results"], start=1):
        snippet = " ".join(chunk["text"].split())[:160]
        typer.echo(f"{rank}. {chunk['source']} ({chunk['score']:.4f})\n   {snippet}")
