"""Progress of a crawl, in the manner of Scrapy's ``LogStats`` (which it replaces): every
``LOGSTATS_INTERVAL`` seconds one line — sites done of the total, pages, documents, reports,
failures, requests per second and the time left at the pace of the sites done so far.

A site is done when it has nothing left to fetch: none of its requests waits in the
scheduler or is being downloaded. Each request a site's crawl schedules counts until its
answer arrives — a response, whatever its status, or a failure without one
(``crawler.signals.request_failed``, sent by the spider's errback) — or until the duplicate
filter refuses it (Scrapy signals ``request_scheduled`` before the filter has its say, then
``request_dropped``). Between a page's response and the scheduling of the links its callback
follows a site may count as done for a moment; at the end of the crawl the count is exact.
Its documents may still be being parsed when it is done.

The sites done are also what a run's ``site_visits`` rows record (``CrawlProgress.of(crawler)``,
read by the store pipeline when the spider closes): progress is tracked with or without the
line (``LOGSTATS_INTERVAL=0`` only silences it).

A redirect or a retry that the downloader makes of a request continues it and is not counted
again: the spider stamps each request it makes with the retry and redirect counts it had
(``meta["gknb_born"]``); a scheduled request whose counts moved on is a continuation.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections import Counter
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider, signals
from scrapy.extensions.logstats import LogStats
from scrapy.http import Response

from .. import signals as gknb_signals
from ..items import FetchedDocument
from ..queries import NAVIGATION_KINDS

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["CrawlProgress", "born", "stamp"]

logger = logging.getLogger(__name__)
BORN = "gknb_born"


def born(request: Request) -> tuple[int, int]:
    """The retry and redirect counts of a request as it stands."""
    return (request.meta.get("retry_times", 0), request.meta.get("redirect_times", 0))


def stamp(request: Request) -> Request:
    """Mark a request the spider made (not a downloader's continuation of one)."""
    request.meta[BORN] = born(request)
    return request


_PROGRESS: weakref.WeakKeyDictionary[Crawler, CrawlProgress] = weakref.WeakKeyDictionary()


class CrawlProgress(LogStats):
    def __init__(self, crawler: Crawler, interval: float) -> None:
        super().__init__(crawler.stats, interval)  # type: ignore[arg-type]
        self.crawler = crawler
        self.pending: Counter[str] = Counter()
        self.started: set[str] = set()
        self.total = 0
        self.counts: Counter[str] = Counter()
        self.clock = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        progress = cls(crawler, crawler.settings.getfloat("LOGSTATS_INTERVAL"))
        _PROGRESS[crawler] = progress
        connect = crawler.signals.connect
        connect(progress.spider_opened, signal=signals.spider_opened)
        connect(progress.spider_closed, signal=signals.spider_closed)
        connect(progress.request_scheduled, signal=signals.request_scheduled)
        connect(progress.request_dropped, signal=signals.request_dropped)
        connect(progress.response_received, signal=signals.response_received)
        connect(progress.request_failed, signal=gknb_signals.request_failed)
        connect(progress.item_dropped, signal=signals.item_dropped)
        return progress

    @staticmethod
    def of(crawler: Crawler) -> CrawlProgress | None:
        """The crawl's progress, when the extension is enabled."""
        return _PROGRESS.get(crawler)

    # --- what is under way ----------------------------------------------------------------

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        site = request.meta.get("site_id")
        if site is None:
            return
        continuation = request.meta.get(BORN, born(request)) != born(request)
        request.meta[BORN] = born(request)
        if not continuation:
            self.pending[site] += 1
            self.started.add(site)

    def request_dropped(self, request: Request, spider: Spider) -> None:
        # Scrapy signals request_scheduled before the scheduler's duplicate filter has its
        # say: a request dropped there ends (a new one, or the request it continued).
        site = request.meta.get("site_id")
        if site is not None:
            self._end(site)

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        site = request.meta.get("site_id")
        if site is not None:
            self._end(site)

    def request_failed(self, request: Request) -> None:
        site = request.meta.get("site_id")
        if site is not None:
            self._end(site)

    def _end(self, site: str) -> None:
        if self.pending[site] > 0:
            self.pending[site] -= 1

    def item_dropped(self, item: Any, response: Any, exception: Any, spider: Spider) -> None:
        if not isinstance(item, FetchedDocument):
            return
        self.counts["pages" if item.kind in NAVIGATION_KINDS else "documents"] += 1
        if item.error is not None:
            self.counts["failures"] += 1

    @property
    def done(self) -> int:
        return len(self.done_sites())

    def done_sites(self) -> set[str]:
        """The sites of which every request ended."""
        return {site for site in self.started if self.pending[site] == 0}

    # --- the line ---------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        self.total = len(getattr(spider, "sites", ()))
        self.clock = time.monotonic()
        if self.interval:
            super().spider_opened(spider)

    def log(self, spider: Spider) -> None:
        elapsed = time.monotonic() - self.clock
        done = self.done
        stats = self.crawler.stats
        requests = stats.get_value("downloader/request_count", 0) if stats else 0
        reports = stats.get_value("gknb/documents/report", 0) if stats else 0
        left = "?"
        if 0 < done < self.total:
            left = _duration(elapsed / done * (self.total - done))
        elif done and done >= self.total:
            left = "0 s"
        logger.info(
            "progress: %d of %d sites done (%d under way); %d pages, %d documents, %d reports, "
            "%d failures; %.1f requests/s; about %s left",
            done,
            self.total,
            sum(1 for site in self.started if self.pending[site] > 0),
            self.counts["pages"],
            self.counts["documents"],
            reports,
            self.counts["failures"],
            requests / elapsed if elapsed > 0 else 0.0,
            left,
            extra={"spider": spider},
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("gknb/sites/total", self.total)
            self.crawler.stats.set_value("gknb/sites/done", self.done)
            self.crawler.stats.set_value("gknb/pages", self.counts["pages"])
            self.crawler.stats.set_value("gknb/documents", self.counts["documents"])
        super().spider_closed(spider, reason)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
