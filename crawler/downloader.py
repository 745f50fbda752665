"""Scrapy's downloader, with its per-slot concurrency held when there is no download delay,
and no new download while the parse workers have enough documents waiting for them.

Scrapy 2.19 hands each download to an asyncio task and counts the request in
``slot.transferring`` only when that task starts; with no delay, ``_process_queue`` empties
the slot's whole queue before any task has started, so a server got 13 requests at once with
``CONCURRENT_REQUESTS_PER_DOMAIN = 2`` (measured on the simulator). Counting a request as
transferring when its task is created keeps the limit; ``_download`` removes it as before.

A document waits for a parse worker with its response (and everything the spider built from
it) held by Scrapy's scraper. Scrapy backs out of new downloads when the responses being
processed pass ``SCRAPER_SLOT_MAX_ACTIVE_SIZE`` (5 MB) of bodies, but report pages are a few
KB each: when downloads outpaced the workers, ~300 documents waited at 300 simulated portals
and the crawl's peak RSS grew by ~60 MB (~0.25 MB per waiting document). So the downloader
also backs out while ``GKNB_PARSE_BACKLOG`` documents per worker wait (``Backlog``); each
document read lets the engine start the next download (Scrapy schedules it as a scrape ends).
"""

from __future__ import annotations

import weakref
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
from scrapy.http import Response
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["Backlog", "SlotBoundDownloader"]

_BACKLOGS: weakref.WeakKeyDictionary[Crawler, Backlog] = weakref.WeakKeyDictionary()


class Backlog:
    """The documents of a crawl handed to its parse workers and not yet read: counted by the
    store pipeline (``waiting``), which sets ``limit`` to ``GKNB_PARSE_BACKLOG`` per worker
    (0: no limit, as before a pool opens); the peak is the stat ``gknb/parse/waiting_max``."""

    def __init__(self) -> None:
        self.waiting = 0
        self.limit = 0

    @classmethod
    def of(cls, crawler: Crawler) -> Backlog:
        """The crawl's one backlog."""
        if crawler not in _BACKLOGS:
            _BACKLOGS[crawler] = cls()
        return _BACKLOGS[crawler]

    def full(self) -> bool:
        return 0 < self.limit <= self.waiting


class SlotBoundDownloader(Downloader):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.backlog = Backlog.of(crawler)

    def needs_backout(self) -> bool:
        """Scrapy's own limit (every download slot busy), or enough documents waiting for
        the parse workers."""
        return super().needs_backout() or self.backlog.full()

    def _wait_for_download(  # type: ignore[override]
        self, slot: Slot, request: Request, queue_dfd: Deferred[Response]
    ) -> Coroutine[Any, Any, None]:
        slot.transferring.add(request)  # counted from now, not from when its task starts
        return super()._wait_for_download(slot, request, queue_dfd)
