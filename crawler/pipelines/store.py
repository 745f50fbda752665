"""StorePipeline: every fetched document into the database, through ``crawler.ingest``.

Navigation pages are fetch rows with their bytes kept (the next crawl revalidates them);
failed or unchanged (304) downloads are fetch rows; a document's bytes are stored, then read
and recorded (``ingest.read_and_record``, one transaction) by one of the parse pool's worker
processes within a time and memory budget (``crawler/parsepool.py``): the reactor thread
neither receives the report nor writes its rows. A job that ends without the worker's
answer (too long, the worker died) is recorded here with its reason.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any

from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from .. import ingest, queries, signals
from ..discovery.hosts import SitePolicy
from ..downloader import Backlog
from ..extensions.progress import CrawlProgress
from ..ingest import Exchange, Provenance, Recorded, read_and_record
from ..items import FetchedDocument, fetched_now
from ..parsepool import POOL_FAILURES, Failure, ParsePool
from ..queries import NAVIGATION_KINDS
from ..runs import RUN_SETTINGS, run_summary
from ..storage import Storage, StoredDocument

__all__ = ["ENTRY_ROLES", "StorePipeline"]

ENTRY_ROLES = frozenset({"home", "entry", "disclosure", "column"})
# Exchanges that are not documents: navigation pages and list answers, and robots.txt.
NAVIGATION = NAVIGATION_KINDS | {"robots"}
assert ENTRY_ROLES <= NAVIGATION


def hop_rows(item: FetchedDocument) -> list[dict[str, Any]]:
    """The redirects that led to an item, one ``fetches`` row per hop (kind ``redirect``,
    ``final_url`` the hop's target, ``status`` its 3xx; a ``<meta refresh>`` is 200)."""
    return [
        {
            "url": url,
            "final_url": target,
            "status": status if isinstance(status, int) else 200,
            "fetched_at": item.fetched_at,
            "site_id": item.site_id,
            "kind": "redirect",
            "note": None if isinstance(status, int) else str(status),
            "link_text": item.link_text,
        }
        for url, status, target in item.redirects
    ]


def failed_text(failed: tuple[str, ...]) -> str:
    """``no failed check`` or ``failed: balance ×2, carry_over``."""
    if not failed:
        return "no failed check"
    counts = Counter(failed)
    return "failed: " + ", ".join(
        name if n == 1 else f"{name} ×{n}" for name, n in sorted(counts.items())
    )


def fetch_row(item: FetchedDocument) -> dict[str, Any]:
    """The ``fetches`` row of one HTTP exchange (its sha256 is added once bytes are stored)."""
    return {
        "url": item.url,
        "final_url": item.final_url,
        "status": item.status,
        "content_type": item.content_type,
        "fetched_at": item.fetched_at,
        "referer": item.referer,
        "site_id": item.site_id,
        "error": item.error,
        "etag": item.etag,
        "last_modified": item.last_modified,
        "kind": item.kind,
        "link_text": item.link_text,
        "conditional": int(item.conditional),
        "not_modified": int(item.not_modified),
        "note": item.note,
        "attempts": item.attempts,
    }


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.database = crawler.settings.get("GKNB_DATABASE")
        self.raw_dir = crawler.settings.get("GKNB_RAW_DIR")
        self.policy = SitePolicy.of(crawler)
        self.storage: Storage | None = None
        self.sites_stored: set[str] = set()
        self.pool: ParsePool | None = None
        self.backlog = Backlog.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.record_exchange, signal=signals.exchange)
        crawler.signals.connect(pipeline.spider_closed, signal=scrapy_signals.spider_closed)
        return pipeline

    def record_exchange(self, item: FetchedDocument) -> None:
        """An exchange no spider callback saw (robots.txt): its fetch row."""
        if self.storage is not None:
            self._site_row(item.site_id)
            row = fetch_row(item)
            if item.body and item.error is None and item.status == 200:
                row.update(sha256=self.storage.store_bytes(item.body).sha256, size=len(item.body))
            self.storage.record_fetch(row)

    def _site_row(self, site_id: str) -> None:
        if site_id not in self.sites_stored:  # the registry's row, as crawled now
            assert self.storage is not None
            self.storage.upsert_sites([self.policy.site(site_id).to_row()])
            self.sites_stored.add(site_id)

    def open_spider(self) -> None:
        self.storage = Storage(self.database, self.raw_dir)
        # Its workers record what they read: they load the storage once, in the forkserver.
        self.pool = ParsePool.from_settings(self.crawler.settings, preload=("crawler.ingest",))
        # Downloads pause while this many documents wait for the workers (the downloader).
        self.backlog.limit = self.pool.workers * self.crawler.settings.getint(
            "GKNB_PARSE_BACKLOG", 4
        )

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self.storage is not None:
            # Only the reports this run wrote, against their neighbouring years.
            self.storage.check_carry_over(self.storage.touched)
            self._say_reports()
            self._send_records()
            # Closed at spider_closed, once the run's row (with how it ended) is written.

    def spider_closed(self, spider: object, reason: str) -> None:
        """The run's ``crawl_runs`` row and its summary, the last lines of the log."""
        if self.storage is None:
            return
        try:
            row = self._run_row(reason)
            visits = self._visits(row)
            row["sites_done"] = sum(1 for visit in visits if visit["done"])
            row["run_id"] = self.storage.record_run(row, visits)
            for line in run_summary(row):
                self.crawler.spider.logger.info(line)  # type: ignore[union-attr]
        finally:
            self.storage.close()
            self.storage = None

    def _run_row(self, reason: str) -> dict[str, Any]:
        assert self.storage is not None
        stats = self.crawler.stats
        value = stats.get_value if stats is not None else (lambda key, default=None: default)
        started = value("start_time")
        since = started.isoformat(timespec="seconds") if started else fetched_now()
        by_kind, by_site = queries.run_failures(self.storage.db, since)
        spider = self.crawler.spider
        settings = self.crawler.settings
        written = Counter(self.storage.written.values())
        return {
            "started_at": since,
            "finished_at": fetched_now(),
            "finish_reason": reason,
            "arguments": json.dumps(
                {
                    "site": getattr(spider, "site", None),
                    "years": list(getattr(spider, "years", None) or []) or None,
                    "full": getattr(spider, "full", False),
                    "due": getattr(spider, "due", False),
                    "job": getattr(spider, "_job", None),  # a Scrapyd job's id
                }
            ),
            "settings": json.dumps({k: settings.get(k) for k in RUN_SETTINGS}, default=str),
            "sites_total": value("gknb/sites/total", 0),
            "sites_done": value("gknb/sites/done", 0),
            "requests": value("downloader/request_count", 0),
            "pages": value("gknb/pages", 0),
            "documents": value("gknb/documents", 0),
            "documents_new": value("gknb/documents/new", 0),
            "not_modified": value("gknb/documents/not_modified", 0),
            "reports_new": written["new"],
            "reports_updated": written["updated"],
            "failures": sum(by_kind.values()),
            "failures_by_kind": json.dumps(dict(by_kind.most_common()), ensure_ascii=False),
            "failures_by_site": json.dumps(dict(by_site.most_common()), ensure_ascii=False),
        }

    def _visits(self, run: dict[str, Any]) -> list[dict[str, Any]]:
        """Each site the run set out to visit: done or not, and its failures."""
        spider = self.crawler.spider
        progress = CrawlProgress.of(self.crawler)
        if hasattr(spider, "done_sites"):  # the store of a distributed crawl knows
            done = spider.done_sites()
        else:
            done = progress.done_sites() if progress is not None else set()
        failures = json.loads(run["failures_by_site"])
        sites = getattr(spider, "sites", ())
        return [
            {"site_id": site, "done": site in done, "failures": failures.get(site, 0)}
            for site in (s.site_id for s in sites)
        ]

    def _send_records(self) -> None:
        """The reports this run wrote, one record each, to the feed exporters (``-O``): sent
        as Scrapy's scraper sends an item that went through every pipeline."""
        assert self.storage is not None
        if not self.crawler.settings.getdict("FEEDS"):
            return  # no feed to write: no record built
        spider = self.crawler.spider
        for record in queries.report_records(self.storage.db, self.storage.touched):
            self.crawler.signals.send_catch_log(
                signal=scrapy_signals.item_scraped, item=record, response=None, spider=spider
            )

    def _say_reports(self) -> None:
        """One line per report this run wrote (new, or changed): its site, publisher and
        year, and the checks that failed — the cross-year ``carry_over`` check included."""
        assert self.storage is not None
        logger = self.crawler.spider.logger  # type: ignore[union-attr]
        for line in queries.report_lines(self.storage.db, self.storage.touched):
            logger.info(
                "report %s %s %s (%s form, %d figures, %s) from %s",
                line.site_id,
                line.publisher,
                line.year,
                line.template,
                line.figures,
                failed_text(line.failed),
                line.source_url,
            )

    def _exchange_rows(self, item: FetchedDocument) -> None:
        assert self.storage is not None
        ingest.record_hops(self.storage, item.site_id, hop_rows(item), item.platform)

    def _record_links(self, item: FetchedDocument, sha256: str) -> None:
        """What a page's bytes led on to (``FreshDocumentsMiddleware`` follows it in place
        of the page while the page is fresh)."""
        assert self.storage is not None and item.links is not None
        self.storage.record_links(sha256, item.final_url, item.links, item.lists, item.fetched_at)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedDocument) or self.storage is None:
            return item
        await self._store(item)
        # Kept: the fetched bytes never reach a feed exporter (they are not what the crawl
        # is for); the reports it wrote do, at the end (``_send_records``).
        raise DropItem("stored", log_level="DEBUG")

    async def _store_bytes(self, data: bytes) -> StoredDocument:
        """``Storage.store_bytes`` in a thread: hashing and writing a file let go of the GIL,
        so the reactor goes on downloading (they were a tenth of its time)."""
        assert self.storage is not None
        return await asyncio.to_thread(self.storage.store_bytes, data)

    async def _store(self, item: FetchedDocument) -> None:
        storage = self.storage
        assert storage is not None
        logger = self.crawler.spider.logger  # type: ignore[union-attr]
        self._site_row(item.site_id)  # committed on its own: once per site and run
        if item.fresh:
            # Served from the store: no exchange happened, nothing to record (a row would
            # also confirm the bytes anew, and keep them fresh for ever) but what the stored
            # page leads on to, when it was read for the first time.
            if item.kind not in NAVIGATION and self.crawler.stats is not None:
                self.crawler.stats.inc_value("gknb/documents/not_modified")
            if item.links is not None and item.sha256:
                self._record_links(item, item.sha256)
            return
        row = fetch_row(item)
        if item.kind in NAVIGATION:
            # A navigation page: kept whole when it answered well, so that the next crawl
            # asks for it conditionally and reads its links from the store on a 304.
            if item.body and item.error is None and item.status == 200:
                page = await self._store_bytes(item.body)
                row.update(sha256=page.sha256, size=len(item.body))
            with storage.write():  # one commit for the exchange's rows
                self._exchange_rows(item)
                storage.record_fetch(row)
                if item.links is not None and (row.get("sha256") or item.sha256):
                    self._record_links(item, row.get("sha256") or item.sha256 or "")
                if item.kind in ENTRY_ROLES and item.error is None:
                    requested = item.redirects[0][0] if item.redirects else item.url
                    storage.record_entry_point(
                        item.site_id, item.kind, item.final_url, requested, item.fetched_at
                    )
            return
        if item.not_modified and self.crawler.stats is not None:
            self.crawler.stats.inc_value("gknb/documents/not_modified")
        if item.error is not None or item.not_modified or not item.body:
            with storage.write():
                self._exchange_rows(item)
                storage.record_fetch(row)
                if item.links is not None and item.sha256:
                    self._record_links(item, item.sha256)
            return
        provenance = Provenance(item.site_id, item.final_url, item.content_type, item.fetched_at)
        stored = await self._store_bytes(item.body)  # raw bytes before anything reads them
        if stored.new and self.crawler.stats is not None:
            self.crawler.stats.inc_value("gknb/documents/new")
        exchange = Exchange(
            provenance,
            row,
            tuple(hop_rows(item)),
            item.platform,
            item.links,
            tuple(item.lists),
        )
        done = await self._read_and_record(item.body, stored.sha256, exchange)
        self._count_report(done)
        stats = self.crawler.stats
        if done.failure is not None:
            if stats is not None:
                stats.inc_value(f"gknb/documents/{done.failure.kind}")
            if done.failure.kind == "parser_failure":
                logger.error("parser failed on %s: %s", item.url, done.failure.detail)
            elif done.failure.kind != "not_a_report":  # a page linking to its report is normal
                logger.warning(
                    "unreadable %s: %s: %s", item.url, done.failure.kind, done.failure.detail
                )
            return
        if stats is not None:
            stats.inc_value("gknb/documents/report")
        # Said once per report at the end of the run, after the cross-year check (a copy that
        # changes nothing is not news).
        logger.debug("read %s %s from %s", done.publisher, done.year, item.final_url)

    def _count_report(self, done: Recorded) -> None:
        """A report written is one of the run's (``touched``): "new" when a copy of it wrote
        its first row in this run, whichever order the answers of its copies come back in."""
        storage = self.storage
        assert storage is not None
        if done.written is None or done.report_id is None:
            return
        if done.written == "new" or done.report_id not in storage.written:
            storage.written[done.report_id] = done.written
        storage.touched.add(done.report_id)

    async def _read_and_record(self, data: bytes, sha256: str, exchange: Exchange) -> Recorded:
        """A document read and recorded by a parse worker; when the worker gave no answer,
        its reason recorded here — unless the worker had committed the document before it
        was stopped (its fetch row is there), which is then what it recorded."""
        storage, pool = self.storage, self.pool
        assert storage is not None and pool is not None
        job = pool.call(read_and_record, self.database, self.raw_dir, data, sha256, exchange)
        self.backlog.waiting += 1
        if self.crawler.stats is not None:
            self.crawler.stats.max_value("gknb/parse/waiting_max", self.backlog.waiting)
        try:
            return await asyncio.wrap_future(job)
        except POOL_FAILURES as exc:
            failure = pool.failure(exc)
        finally:
            self.backlog.waiting -= 1
        found = queries.recorded_exchange(storage.db, {**exchange.fetch, "sha256": sha256})
        if found is None:
            return ingest.record(storage, data, sha256, exchange, failure)
        kind = found.error_kind
        return Recorded(
            sha256,
            found.report_id,
            "updated" if found.report_id else None,  # which copy was first is not known
            None,
            None,
            Failure(kind, found.error_detail or "") if kind else None,
        )
