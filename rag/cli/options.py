"""Options shared by the `rag` commands."""

from typing import Annotated

import typer

from rag.settings import MAX_TOP_K, RetrievalMode

CollectionOpt = Annotated[str | None, typer.Option("--collection", "-c", help="Collection name.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
TopKOpt = Annotated[int | None, typer.Option("--top-k", "-k", min=1, max=MAX_TOP_K)]
FilterOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--filter",
        "-f",
        help="KEY=VALUE, KEY>=VALUE or KEY<=VALUE on chunk metadata (source, file_type, page, "
        "modified, tags.NAME); repeat to combine.",
    ),
]
ModeOpt = Annotated[
    RetrievalMode | None, typer.Option("--mode", help="hybrid (default), dense, bm25 or rrf.")
]
