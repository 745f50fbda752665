"""One way in for every document: stored bytes + where they came from → parse → records.

The store pipeline (a document just fetched: ``record``, in a parse worker through
``read_and_record``) and ``scrapy reparse`` (documents fetched before) both call ``ingest``.
The bytes are written to the raw store first; then the pure parsers read them — outside any
transaction, a parser bug becoming that document's error — and one transaction writes the
document, its fetch (when there is one), and the report or the reason there is none.

``reparse`` re-reads stored documents with the current parsers.  Each document is one
transaction and a report is replaced in one, never removed before its replacement is
written: killed at any moment, the database holds the old or the new report, never neither.
Only after every document was read are the reports dropped that no document carries any
more.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from parsers import PARSER_VERSION, AnnualReport, sniff_format

from . import queries
from .items import Link, ListPage
from .parsepool import Failure, ParsePool, read
from .queries import StoredDocument
from .storage import Storage, copy_order, copy_weight

__all__ = [
    "Exchange",
    "Failure",
    "Ingested",
    "Provenance",
    "Recorded",
    "ReparseSummary",
    "ingest",
    "read",
    "read_and_record",
    "record",
    "record_hops",
    "reparse",
]


@dataclass(frozen=True)
class Provenance:
    """Where and when a document's bytes were fetched."""

    site_id: str
    url: str  # the URL that answered (after redirects)
    content_type: str
    fetched_at: str


@dataclass(frozen=True)
class Ingested:
    sha256: str
    report: AnnualReport | None
    report_id: str | None
    failure: Failure | None


def ingest(
    storage: Storage,
    data: bytes,
    provenance: Provenance,
    *,
    fetch: Mapping[str, Any] | None = None,
    fresh: set[str] | None = None,
    parse: Callable[[bytes, str, str], AnnualReport | Failure] = read,
    parsed: AnnualReport | Failure | None = None,
    sha256: str | None = None,
) -> Ingested:
    """Store ``data``, parse it, and write everything it yields in one transaction.

    ``fetch``: the HTTP exchange that brought the bytes (a ``fetches`` row without its
    sha256); ``fresh``: see ``Storage.store_report`` (a re-parse); ``parsed``: the parse,
    when the caller has it already; ``sha256``: the bytes' hash when they are in the raw
    store already (not hashed or written again).
    """
    if sha256 is None:
        sha256 = storage.store_bytes(data).sha256  # raw bytes before anything reads them
    fmt = sniff_format(data)
    result = parsed if parsed is not None else parse(data, provenance.url, provenance.content_type)
    failure = result if isinstance(result, Failure) else None
    report = result if isinstance(result, AnnualReport) else None
    report_id = None
    with storage.write():
        storage.record_document(sha256, provenance.content_type, len(data), fmt)
        if fetch is not None:
            storage.record_fetch({**fetch, "sha256": sha256, "size": len(data)})
        if failure is not None:
            storage.record_read(sha256, PARSER_VERSION, failure.kind, failure.detail)
        else:
            storage.record_read(sha256, PARSER_VERSION)
        if report is not None:
            report_id = storage.store_report(
                report,
                site_id=provenance.site_id,
                url=provenance.url,
                sha256=sha256,
                kind=fmt,
                fetched_at=provenance.fetched_at,
                fresh=fresh,
            )
        if fresh is not None:  # a re-read document carries no other report any more
            storage.drop_source(provenance.url, sha256, keep=report_id)
    return Ingested(sha256, report, report_id, failure)


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange that brought a document, and the rows that go with its bytes."""

    provenance: Provenance
    fetch: Mapping[str, Any]  # its ``fetches`` row, without the bytes' sha256 and size
    hops: tuple[Mapping[str, Any], ...] = ()  # the redirects that led to it, one row each
    platform: str | None = None  # the CMS family its page showed
    links: tuple[Link, ...] | None = None  # what the page leads on to, when it was read
    lists: tuple[ListPage, ...] = ()


@dataclass(frozen=True)
class Recorded:
    """A document recorded, as its crawl reports it: no ``AnnualReport`` crosses back from
    the process that wrote it."""

    sha256: str
    report_id: str | None
    # The report's rows were written: "new" when this wrote its first row, else "updated";
    # None when they were not (a lesser copy of a report stored already; no report).
    written: str | None
    publisher: str | None
    year: int | None
    failure: Failure | None


def record_hops(
    storage: Storage, site_id: str, hops: Iterable[Mapping[str, Any]], platform: str | None
) -> None:
    """The rows every exchange brings with it: its redirect hops, the CMS family its page
    showed (inside the caller's transaction)."""
    for hop in hops:
        storage.record_fetch(hop)
    if platform and platform != "generic":
        storage.record_platform(site_id, platform)


def record(
    storage: Storage,
    data: bytes,
    sha256: str,
    exchange: Exchange,
    parsed: AnnualReport | Failure,
) -> Recorded:
    """A fetched document (its bytes in the raw store already) and everything its exchange
    brought — redirect hops, platform, fetch, the report or the reason there is none, the
    links it leads on to — in one transaction."""
    provenance = exchange.provenance
    with storage.write():
        record_hops(storage, provenance.site_id, exchange.hops, exchange.platform)
        done = ingest(storage, data, provenance, fetch=exchange.fetch, parsed=parsed, sha256=sha256)
        if exchange.links is not None:
            storage.record_links(
                sha256, provenance.url, exchange.links, exchange.lists, provenance.fetched_at
            )
    report = done.report
    return Recorded(
        sha256,
        done.report_id,
        storage.written.get(done.report_id) if done.report_id is not None else None,
        report.publisher if report is not None else None,
        report.year if report is not None else None,
        done.failure,
    )


# A parse worker's connection to each database it records into (opened at its first job).
_STORES: dict[tuple[str, str], Storage] = {}


def read_and_record(
    database: str, raw_dir: str, data: bytes, sha256: str, exchange: Exchange
) -> Recorded:
    """In a parse worker: read a document and record it, in the worker's own connection.

    The crawl's reactor then neither receives the report nor writes its rows (they were a
    quarter of its time at 300 portals). The worker's transaction waits its turn for the
    database like any writer's (``BUSY_TIMEOUT``)."""
    storage = _STORES.get((database, raw_dir))
    if storage is None:
        storage = _STORES[(database, raw_dir)] = Storage(database, raw_dir)
    storage.touched.clear()  # this document's report only: the crawl keeps the run's
    storage.written.clear()
    provenance = exchange.provenance
    parsed = read(data, provenance.url, provenance.content_type)
    return record(storage, data, sha256, exchange, parsed)


@dataclass(frozen=True)
class ReparseSummary:
    documents: int
    reports_read: int
    not_reports: int
    failed: int
    missing_bytes: int
    reports_before: int
    reports_after: int
    new: int
    gone: int
    figures_changed: int
    figures_gone: int
    versions: tuple[str, ...]


# Reports rewritten per transaction by reparse: each is still replaced whole (a savepoint
# inside the batch), and a killed reparse leaves the old reports of the unfinished batch.
BATCH = 32


def reparse(
    storage: Storage,
    *,
    site_id: str | None = None,
    everything: bool = False,
    parse: Callable[[bytes, str, str], AnnualReport | Failure] = read,
    progress: Callable[[int, int], None] | None = None,
    pool: ParsePool | None = None,
    batch: int = BATCH,
) -> ReparseSummary:
    """Re-read stored documents with the current parsers; no network at all.

    By default only what an older parser read: documents whose parser version differs from
    ``PARSER_VERSION`` and every document of a report an older parser wrote.  ``everything``
    re-reads every stored document; ``batch`` reports are rewritten per transaction.  With a
    ``pool`` the documents are parsed in its worker
    processes (all cores, each document within the pool's time and memory budget), a bounded
    number of reports ahead of the one being written; without one, by ``parse`` in this
    process.
    """
    db = storage.db
    stale = None if everything else PARSER_VERSION
    documents = queries.documents_to_reparse(db, site_id=site_id, stale_against=stale)
    before = queries.report_ids(db, site_id)
    queries.snapshot_figures(db, site_id)
    fresh: set[str] = set()
    counts = Counter[str]()
    done = 0
    ahead = 4 * pool.workers if pool is not None else 0  # reports parsed ahead of the writer
    pending: deque[list[tuple[StoredDocument, bytes, Any]]] = deque()

    def write(copies: list[tuple[StoredDocument, bytes, Any]]) -> None:
        nonlocal done
        # All copies of a report are read before any is written, and the fullest is written
        # first: the report is replaced at once by its best new copy, never by a lesser one.
        results = [
            (doc, data, pool.outcome(job) if pool is not None else job) for doc, data, job in copies
        ]
        results.sort(
            key=lambda c: copy_order(
                copy_weight(c[2]) if isinstance(c[2], AnnualReport) else 0, c[0].sha256
            )
        )
        for doc, data, result in results:
            provenance = Provenance(doc.site_id, doc.url, doc.content_type, doc.fetched_at)
            ingest(storage, data, provenance, fresh=fresh, parsed=result, sha256=doc.sha256)
            if isinstance(result, AnnualReport):
                counts["read"] += 1
            elif result.kind == "not_a_report":
                counts["not_reports"] += 1
            else:
                counts["failed"] += 1
        done += len(copies)
        if progress is not None:
            progress(done, len(documents))

    for _, group in groupby(documents, key=lambda d: d.report_id or d.sha256 + d.url):
        copies: list[tuple[StoredDocument, bytes, Any]] = []
        for doc in group:
            try:
                data = storage.read_bytes(doc.sha256)
            except FileNotFoundError:
                counts["missing"] += 1  # the raw store lost the file: the report stays
                done += 1
                continue
            job = (
                pool.submit(data, doc.url, doc.content_type)
                if pool is not None
                else parse(data, doc.url, doc.content_type)
            )
            copies.append((doc, data, job))
        pending.append(copies)
        if len(pending) > ahead + batch:
            with storage.write():  # one commit for a batch of reports, not one each
                for _ in range(batch):
                    write(pending.popleft())
    while pending:
        with storage.write():
            for _ in range(min(batch, len(pending))):
                write(pending.popleft())
    storage.drop_reports_without_sources(site_id)
    storage.check_carry_over()
    after = queries.report_ids(db, site_id)
    figures_changed, figures_gone = queries.figure_changes(db, site_id)
    return ReparseSummary(
        documents=len(documents),
        reports_read=counts["read"],
        not_reports=counts["not_reports"],
        failed=counts["failed"],
        missing_bytes=counts["missing"],
        reports_before=len(before),
        reports_after=len(after),
        new=len(after - before),
        gone=len(before - after),
        figures_changed=figures_changed,
        figures_gone=figures_gone,
        versions=queries.parser_versions(db, site_id),
    )
