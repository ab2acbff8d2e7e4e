"""`rag doctor`: do the ledger and the store agree? Find and repair what a crash could leave.

The ledger names every current chunk; the store holds points. They disagree when:
- a chunk the ledger names is not stored (lost): the source is re-read and indexed again, or
  dropped from the ledger if it no longer exists;
- a stored point no source claims (orphan): it is deleted;
- a chunk id is claimed by two sources (duplicate): both sources are indexed again;
- a source's tables in the table store (rag/tables) are missing or of another version than the
  ledger's (stale): the source is indexed again; tables of a source the ledger no longer has
  (orphan tables) are dropped.
The two-phase replace (DESIGN.md §5) should make all three impossible; this proves it after a
crash and repairs an index that was damaged some other way (a restored backup, a lost disk).
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from rag.ingest.ledger import Ledger, SourceRecord, delete_pending
from rag.ingest.report import IngestReport
from rag.store import VectorStore

if TYPE_CHECKING:
    from rag.tables.store import TableStore


@dataclass
class CollectionHealth:
    collection: str
    sources: int
    chunks: int  # named by the ledger
    points: int  # held by the store
    lost: dict[str, int] = field(default_factory=dict)  # source → chunks missing from the store
    orphans: list[str] = field(default_factory=list)  # stored ids that no source claims
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # chunk id → its sources
    stale_tables: list[str] = field(default_factory=list)  # sources whose tables are not current
    orphan_tables: list[str] = field(default_factory=list)  # table sources the ledger lacks
    repairs: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not (
            self.lost or self.orphans or self.duplicates or self.stale_tables or self.orphan_tables
        )

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "orphans": len(self.orphans), "healthy": self.healthy}


def check(
    ledger: Ledger, store: VectorStore, collection: str, tables: "TableStore | None" = None
) -> CollectionHealth:
    records = ledger.sources(collection)
    registered = tables.sources(collection) if tables is not None else None
    stored = store.point_sources(collection) if collection in store.collections() else {}
    claims: dict[str, list[str]] = {}
    for record in records:
        for chunk in record.chunk_ids:
            claims.setdefault(chunk, []).append(record.source_id)
    missing = Counter(
        source for chunk, sources in claims.items() if chunk not in stored for source in sources
    )
    return CollectionHealth(
        collection=collection,
        sources=len(records),
        chunks=len(claims),
        points=len(stored),
        lost=dict(sorted(missing.items())),
        orphans=sorted(set(stored) - set(claims)),
        duplicates={chunk: sources for chunk, sources in claims.items() if len(sources) > 1},
        **_table_drift(records, registered),
    )


def _table_drift(
    records: list[SourceRecord], registered: dict[str, str] | None
) -> dict[str, list[str]]:
    """Sources whose registered tables are not of the indexed version, and table sources the
    ledger does not have (none when no table store is checked)."""
    if registered is None:
        return {}
    return {
        "stale_tables": sorted(
            r.source_id for r in records if registered.get(r.source_id) != r.content_hash
        ),
        "orphan_tables": sorted(set(registered) - {r.source_id for r in records}),
    }


def repair(
    health: CollectionHealth,
    ledger: Ledger,
    store: VectorStore,
    reingest: Callable[[Sequence[str]], IngestReport],
    unreadable: Callable[[str], str | None],
    tables: "TableStore | None" = None,
    retable: Callable[[Sequence[str]], list[str]] | None = None,
) -> None:
    """Delete orphans, then index again every source with a lost or duplicate chunk, or with
    stale tables that `retable(source_ids)` (registering tables from the unchanged files, no
    embedding; it returns the sources it registered) could not renew.

    `reingest(source_ids)` scans and syncs those sources into the collection; its report says
    which could not be read again (those are dropped from the ledger). `unreadable(source)`
    says why a source that still exists has no enabled reader (its plugin is off): such a
    source is left as it is, damaged, rather than dropped.
    """
    collection = health.collection
    if health.orphans:
        store.delete(collection, health.orphans)
        health.repairs.append(f"deleted {len(health.orphans)} orphan chunks")
    if tables is not None:
        for source in health.orphan_tables:
            tables.drop_source(collection, source)
            health.repairs.append(f"dropped the tables of {source} (not in the ledger)")
    stale = set(health.stale_tables)
    if stale and retable is not None:
        for source in sorted(retable(sorted(stale))):
            stale.discard(source)
            health.repairs.append(f"registered the tables of {source} again")
    damaged = sorted(set(health.lost) | {s for d in health.duplicates.values() for s in d} | stale)
    for source in list(damaged):
        if reason := unreadable(source):
            damaged.remove(source)
            health.repairs.append(f"left {source}: {reason}")
    if not damaged:
        return
    # Forget them first: an unchanged hash would otherwise make the sync skip them.
    for source in damaged:
        ledger.remove_source(collection, source)
    delete_pending(ledger, store, collection)
    report = reingest(damaged)
    failed = {f["source"]: f["error"] for f in report.failed}
    for source in damaged:
        if source in failed:
            health.repairs.append(f"dropped {source}: {failed[source]}")
        else:
            health.repairs.append(f"indexed {source} again")
