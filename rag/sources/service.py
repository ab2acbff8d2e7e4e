"""Sources kept in sync: add, list, sync and remove them, over the app's ingest path.

A sync scans the source through its connector (with the secret it names, resolved now) and
hands the scans to the app's indexer, the same ledger-backed sync `rag ingest` uses: unchanged
content writes nothing, new chunks are written before old ones go, what vanished from the
source loses its chunks. A source syncs once at a time; its state (counts, last error, next
time) is saved when the sync ends, so a sync cut short by a stop or a crash is simply due again.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial

from rag.connectors import RawSource, Scan, SourceFailure
from rag.connectors.web import WebLimits
from rag.errors import InvalidInputError, NotFoundError, RagError, SourceError
from rag.ingest.ledger import SourceRecord
from rag.ingest.report import IngestReport
from rag.sources.schedule import Schedule
from rag.sources.secrets import check_secret_name, resolve_secret, scrub
from rag.sources.store import Source, SourceStore, new_source_id
from rag.sources.uris import check_address, is_local, local_path, normalized, scheme_of

log = logging.getLogger(__name__)


class SyncStoppedError(Exception):
    """Raised inside a sync at its next document once the service is stopping."""


class SourceService:
    def __init__(self, app, clock: Callable[[], float] = time.time) -> None:
        self._app = app
        self._clock = clock
        self.store = SourceStore(app.data_dir.root / "sources.sqlite3")
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()
        self._adding = threading.Lock()  # one row per URI, branch and collection
        self._stopping = threading.Event()
        self._progress: dict[str, int] = {}  # source id → documents handled in its running sync
        self.on_added: Callable[[], None] = lambda: None  # the scheduler's wake-up

    # -- what the front doors call ------------------------------------------------------------

    def add(
        self,
        uri: str,
        collection: str | None = None,
        schedule: str = "manual",
        secret: str | None = None,
        branch: str | None = None,
    ) -> Source:
        """Record a source (checked, not yet synced); a scheduled one is due at once. A source
        already recorded for the URI (and branch) in the collection, by an earlier add or by an
        ingest, takes the new schedule and secret instead (after a sync of it running ends)."""
        settings = self._app.settings
        uri = normalized(uri)
        scheme = scheme_of(uri)
        if scheme not in self._app.plugins.connectors:
            known = ", ".join(sorted(self._app.plugins.connectors))
            raise InvalidInputError(f"no connector for the scheme {scheme!r} (enabled: {known})")
        if branch is not None and not scheme.startswith("git"):
            raise InvalidInputError("--branch is for git sources only")
        parsed = Schedule.parse(schedule)
        if secret is not None:
            check_secret_name(secret)
        if is_local(uri) and not local_path(uri).exists():
            raise InvalidInputError(f"{uri}: no such file or folder")
        if not is_local(uri):  # last: it may ask the DNS
            check_address(uri, self.web_limits, settings.s3_endpoint_url)
        collection = self._app.collection(collection)
        next_sync = None if parsed.period_s is None else self._clock()
        with self._adding:
            found = self.store.find(uri, collection, branch)
            if found is None:
                source = Source(new_source_id(), uri, collection, parsed.text, secret, branch)
                source.next_sync = next_sync
                self.store.add(source)
                self.on_added()
                return source
        with self._lock(found.id):
            source = self.store.get(found.id)
            source.schedule, source.secret, source.next_sync = parsed.text, secret, next_sync
            self.store.save(source)
        self.on_added()
        return source

    def record_ingest(
        self, uri: str, collection: str, scan: Scan, report: IngestReport
    ) -> Source | None:
        """Keep an ingest of `uri` (`rag ingest`, `POST /v1/ingest`, `Rag.ingest`) as a sync of
        its source: a new one with the manual schedule, or the one already recorded for it. Its
        state and what it covers are then the ingest's, so `rag sources` re-syncs or removes
        what the ingest indexed. None (nothing recorded) for a URI no source may have (a
        password, a #fragment), or a new URI whose ingest failed as a whole."""
        try:
            uri = normalized(uri)
        except InvalidInputError:
            return None
        with self._adding:
            found = self.store.find(uri, collection)
            if found is None:
                if not scan.sources and scan.scope is None:
                    return None
                found = self.store.add(Source(new_source_id(), uri, collection, "manual"))
        with self._lock(found.id):
            try:
                source = self.store.get(found.id)
            except NotFoundError:  # removed while the ingest ran: the ingest stays, unrecorded
                return None
            return self._settle(source, [scan], report, _failures(report, source))

    def get(self, source_id: str) -> Source:
        return self.store.get(source_id)

    def all(self) -> list[Source]:
        return self.store.all()

    def syncing(self, source_id: str) -> bool:
        return self._lock(source_id).locked()

    def to_json(self, source: Source) -> dict[str, object]:
        """The source's JSON; while it syncs, `progress` counts the documents handled so far."""
        shown = source.to_json(self.syncing(source.id))
        if shown["status"] == "syncing":
            shown["progress"] = {"documents_done": self._progress.get(source.id, 0)}
        return shown

    def due(self, now: float) -> list[Source]:
        """Scheduled sources whose time has come (overdue ones first: a restart catches up)."""
        due = [s for s in self.store.all() if s.next_sync is not None and s.next_sync <= now]
        return sorted(due, key=lambda s: s.next_sync or 0)

    def sync(self, source_id: str, wait: bool = True) -> Source | None:
        """Sync now and return the source's new state; None when `wait` is False and it is
        already syncing. Failures are recorded on the source, not raised."""
        self.store.get(source_id)  # NotFoundError before waiting on anything
        lock = self._lock(source_id)
        if not lock.acquire(blocking=wait):
            return None
        try:
            self._progress[source_id] = 0
            return self._sync(self.store.get(source_id))
        finally:
            self._progress.pop(source_id, None)
            lock.release()

    def remove(self, source_id: str, keep_documents: bool = False) -> tuple[Source, int]:
        """Forget the source; unless `keep_documents`, delete the documents it brought in.
        Returns the source and how many documents were deleted."""
        with self._lock(source_id):
            source = self.store.get(source_id)
            deleted = 0 if keep_documents else self._delete_documents(source)
            self.store.delete(source_id)
        with self._locks_lock:
            self._locks.pop(source_id, None)
        return source, deleted

    def stop(self) -> None:
        """Make a running sync stop after its current document (the server is shutting down)."""
        self._stopping.set()

    def close(self) -> None:
        self.store.close()

    @property
    def web_limits(self) -> WebLimits:
        settings = self._app.settings
        return WebLimits(
            allowed_hosts=frozenset(settings.web_allowed_hosts),
            max_pages=settings.web_max_pages,
            max_bytes=settings.web_max_bytes,
            timeout_s=settings.web_timeout_s,
        )

    # -- the sync -----------------------------------------------------------------------------

    def _lock(self, source_id: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(source_id, threading.Lock())

    def _sync(self, source: Source) -> Source:
        from rag.ingest.sources import scans_for

        app = self._app
        secret: str | None = None
        report: IngestReport | None = None
        scans: list[Scan] = []
        try:
            secret = resolve_secret(source.secret, app.data_dir.root)
            scans = [
                _scrubbed(scan, secret)
                for scan in scans_for([source.target], app.settings, app.plugins, secret=secret)
            ]
            known = self.store.versions(source.id)
            report = app.indexer.sync(
                scans,
                source.collection,
                on_source_done=partial(self._handled, source.id),
                unchanged=partial(_vouched, known),
            )
            error = _failures(report, source)
        except SyncStoppedError:
            log.info("sync of source %s stopped by shutdown; it is due again", source.id)
            return source
        except Exception as exc:  # noqa: BLE001 - a source fails alone, with its reason
            error = scrub(str(exc) if isinstance(exc, RagError) else repr(exc), secret)
        if report is not None:
            app.build_index_if_due(source.collection, report)
        return self._settle(source, scans, report, error)

    def _settle(
        self, source: Source, scans: list[Scan], report: IngestReport | None, error: str | None
    ) -> Source:
        """Save what a sync of `source` did: its counts, what it covers, when it runs next."""
        if report is not None:
            self._remember(source, scans, report)
            source.added = len(report.added)
            source.changed = len(report.updated) + len(report.moved)
            source.removed = len(report.deleted)
        now = self._clock()
        source.last_sync = now
        source.last_error = error
        source.failures = source.failures + 1 if error else 0
        source.next_sync = Schedule.parse(source.schedule).next_after(now, source.failures)
        self.store.save(source)
        if error:
            log.warning("source %s (%s) failed: %s", source.id, source.uri, error)
        return source

    def _handled(self, source_id: str, _document: str) -> None:
        """One more document of the running sync done; the sync stops here when asked to."""
        self._progress[source_id] = self._progress.get(source_id, 0) + 1
        if self._stopping.is_set():
            raise SyncStoppedError

    def _remember(self, source: Source, scans: list[Scan], report: IngestReport) -> None:
        """The version marker each indexed document now has, and what the source covers."""
        failed = {f["source"] for f in report.failed}
        ledger = self._app.ledger
        seen = []
        for scan in scans:
            for raw in scan.sources:
                record = ledger.get(source.collection, raw.source_id)
                if raw.version is not None and raw.source_id not in failed and record is not None:
                    seen.append((raw.source_id, raw.version, record.content_hash))
            if scan.scope is not None:
                _add_once(source.scopes["prefixes"], [scan.scope])
            else:
                _add_once(source.scopes["ids"], [raw.source_id for raw in scan.sources])
        gone = [*report.deleted, *(m["from"] for m in report.moved)]
        self.store.set_versions(source.id, seen, gone)

    def _delete_documents(self, source: Source) -> int:
        app = self._app
        prefixes = tuple(source.scopes["prefixes"])
        ids = set(source.scopes["ids"])
        deleted = 0
        with app.indexer.exclusive():
            for record in app.ledger.sources(source.collection):
                if record.source_id in ids or (prefixes and record.source_id.startswith(prefixes)):
                    app.catalog.delete_document(source.collection, record.source_id)
                    deleted += 1
        return deleted


def _vouched(known: dict[str, tuple[str, str]], raw: RawSource, indexed: SourceRecord) -> bool:
    """The document carries the version marker it was indexed with: its content is the same."""
    return raw.version is not None and known.get(raw.source_id) == (
        raw.version,
        indexed.content_hash,
    )


def _scrubbed(scan: Scan, secret: str | None) -> Scan:
    """The scan with the secret out of its failures and of any error its reads raise."""
    if not secret:
        return scan
    failures = [SourceFailure(f.source_id, scrub(f.error, secret)) for f in scan.failures]
    sources = [replace(s, read=partial(_read_scrubbed, s.read, secret)) for s in scan.sources]
    return replace(scan, sources=sources, failures=failures)


def _read_scrubbed(read: Callable[[], bytes], secret: str) -> bytes:
    try:
        return read()
    except RagError as exc:
        raise SourceError(scrub(str(exc), secret)) from None
    except Exception as exc:  # noqa: BLE001 - whatever a connector's read raises
        raise SourceError(scrub(f"{type(exc).__name__}: {exc}", secret)) from None


def _failures(report: IngestReport, source: Source) -> str | None:
    """The first failure (its document named, unless it is the whole source) and how many more."""
    if not report.failed:
        return None
    first = report.failed[0]
    more = f" (and {len(report.failed) - 1} more)" if len(report.failed) > 1 else ""
    whole = first["source"].rstrip("/") in (source.uri.rstrip("/"), source.target)
    return f"{'' if whole else first['source'] + ': '}{first['error']}{more}"


def _add_once(target: list[str], items: Iterable[str]) -> None:
    present = set(target)
    for item in items:
        if item not in present:
            target.append(item)
            present.add(item)
