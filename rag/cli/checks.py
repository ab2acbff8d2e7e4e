"""`rag eval` and `rag doctor`: commands that check an index rather than use it."""

import json
from pathlib import Path
from typing import Annotated

import typer

from rag.cli import common
from rag.cli.options import CollectionOpt, JsonOpt, ModeOpt
from rag.errors import InvalidInputError
from rag.settings import load_settings


def eval_(
    dataset: Annotated[Path, typer.Argument(help="JSONL of labelled questions.")],
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder the gold sources are in.")],
    retrieval_only: Annotated[bool, typer.Option("--retrieval-only")] = False,
    mode: ModeOpt = None,
    compare: Annotated[
        Path | None, typer.Option("--compare", help="An earlier --json report to diff against.")
    ] = None,
    tolerance: Annotated[float, typer.Option(min=0.0, help="Allowed drop before failing.")] = 0.02,
    records: Annotated[
        Path | None,
        typer.Option("--records", help="Write every question's result here (JSON)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N questions.")
    ] = None,
    judge: Annotated[
        bool,
        typer.Option(
            "--judge",
            help="Also rate each cited answer's faithfulness with the judge model "
            "(RAG_JUDGE_URL, else the answering model).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Measure retrieval and answer quality on a labelled folder (its own collection, synced
    first); with --compare, exit 1 when a metric regressed by more than --tolerance."""
    from rag.eval.answers import compare as compare_reports
    from rag.eval.answers import run_eval

    settings = load_settings()
    old = _read_report(compare) if compare else None
    with common.open_app(settings) as app:
        report, answers = run_eval(
            app, dataset, corpus, mode or settings.retrieval_mode, retrieval_only, limit, judge
        )
    for warning in report.pop("warnings", []):
        typer.echo(f"warning: {warning}", err=True)
    if records is not None:
        records.write_text(json.dumps(answers, indent=1))
    rows = compare_reports(old, report, tolerance) if old is not None else []
    if as_json:
        typer.echo(json.dumps(report, indent=2))
    elif rows:
        typer.echo(f"{'metric':>20}  {'old':>9}  {'new':>9}  {'delta':>8}")
        for key, before, after, delta, regressed in rows:
            flag = "  REGRESSED" if regressed else ""
            typer.echo(f"{key:>20}  {before:>9}  {after:>9}  {delta:>+8}{flag}")
    else:
        for key, value in report.items():
            typer.echo(f"{key:>20}  {value}")
    regressions = [row[0] for row in rows if row[4]]
    if regressions:
        typer.echo(f"regressed beyond {tolerance}: {', '.join(regressions)}", err=True)
        raise typer.Exit(1)


def doctor(
    collection: CollectionOpt = None,
    repair: Annotated[
        bool, typer.Option("--repair", help="Delete orphans and index damaged sources again.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check that the ledger and the store agree (no lost, orphan or duplicate chunk);
    exit 1 while they do not (after --repair: when the repair could not fix them)."""
    from rag.ingest.doctor import check
    from rag.ingest.doctor import repair as repair_collection
    from rag.ingest.sources import scans_for, unreadable_source

    settings = load_settings()
    with common.open_app(settings) as app:
        names = (
            [app.collection(collection)]
            if collection
            else sorted(
                set(app.ledger.collections())
                | set(app.store.collections())
                | set(app.tables.collections())
            )
        )
        results = []
        for name in names:
            health = check(app.ledger, app.store, name, app.tables)
            if repair and not health.healthy:
                repair_collection(
                    health,
                    app.ledger,
                    app.store,
                    lambda ids, name=name: app.indexer.sync(
                        scans_for(ids, settings, app.plugins), name
                    ),
                    lambda source: unreadable_source(source, app.plugins.file_types),
                    app.tables,
                    lambda ids, name=name: app.indexer.register_tables(
                        scans_for(ids, settings, app.plugins), name
                    ),
                )
                repairs, health = health.repairs, check(app.ledger, app.store, name, app.tables)
                health.repairs = repairs  # what was done, next to the state it left
            results.append(health)
    if as_json:
        typer.echo(json.dumps([h.to_json() for h in results], indent=2))
    else:
        for h in results:
            state = "ok" if h.healthy else "DAMAGED"
            typer.echo(
                f"{h.collection}: {state}: {h.sources} sources, {h.chunks} chunks in the "
                f"ledger, {h.points} in the store; lost {sum(h.lost.values())}, "
                f"orphans {len(h.orphans)}, duplicates {len(h.duplicates)}, "
                f"stale tables {len(h.stale_tables)}, orphan tables {len(h.orphan_tables)}"
            )
            for line in h.repairs:
                typer.echo(f"  repaired: {line}")
    if any(not h.healthy for h in results):
        raise typer.Exit(1)


def _read_report(path: Path) -> dict[str, object]:
    try:
        report = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"cannot read the report {path}: {exc}") from None
    if not isinstance(report, dict):
        raise InvalidInputError(f"{path} is not a `rag eval --json` report")
    return report
