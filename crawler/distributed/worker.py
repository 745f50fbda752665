"""A worker of a distributed crawl (``crawler/distributed/__init__.py``): its heartbeat, its
seeds, its requests marked done, and its items forwarded to the store."""

from __future__ import annotations

import asyncio
import json
import logging
import pickle
import time
import weakref
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider
from scrapy import signals as scrapy_signals
from scrapy.exceptions import DontCloseSpider, DropItem, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import task

from .. import signals
from ..items import FetchedDocument
from . import _RECLAIM, STORE, TOKEN, WORKER_ID, Keys, redis_of, settled, workers

if TYPE_CHECKING:
    from redis import Redis
    from scrapy.crawler import Crawler
    from scrapy.http import Response

__all__ = ["ForwardPipeline", "InFlight", "InFlightDone", "SharedRobotsMiddleware", "Worker"]

logger = logging.getLogger(__name__)


class InFlight:
    """A worker's requests in flight and what each made: a request leaves the in-flight hash
    only when the spider is through with its response *and* every request and item it made
    has reached Redis (queued, found seen, or forwarded). Scrapy hands a callback's outputs
    on through a cooperator, after the callback's iteration has ended: marked done at that
    end, a request killed in between lost the links and documents still on their way."""

    def __init__(self, server: Redis, keys: Keys) -> None:
        self.server = server
        self.keys = keys
        self.pending: Counter[str] = Counter()  # token → outputs not yet in Redis
        self.ended: set[str] = set()  # tokens whose response the spider is through with
        self.owner: dict[int, str] = {}  # id(output) → the token of the request that made it

    @classmethod
    def of(cls, crawler: Crawler) -> InFlight:
        if crawler not in _IN_FLIGHT:
            _IN_FLIGHT[crawler] = cls(redis_of(crawler.settings), Keys.of(crawler.settings))
        return _IN_FLIGHT[crawler]

    def made(self, request: Request | None, output: Any) -> None:
        token = request.meta.get(TOKEN) if request is not None else None
        if token and output is not None:
            self.owner[id(output)] = token
            self.pending[token] += 1

    def arrived(self, output: Any) -> None:
        """An output is in Redis (or will never go there): one less for its request."""
        token = self.owner.pop(id(output), None)
        if token is not None:
            self.pending[token] -= 1
            self._maybe_done(token)

    def end(self, request: Request | None) -> None:
        token = request.meta.get(TOKEN) if request is not None else None
        if token:
            self.ended.add(token)
            self._maybe_done(token)

    def _maybe_done(self, token: str) -> None:
        if token in self.ended and self.pending[token] <= 0:
            self.server.hdel(self.keys.inflight(WORKER_ID), token)
            self.ended.discard(token)
            self.pending.pop(token, None)


_IN_FLIGHT: weakref.WeakKeyDictionary[Crawler, InFlight] = weakref.WeakKeyDictionary()


class InFlightDone:
    """Spider middleware, nearest the engine: counts what a response's callback makes, and
    ends the response's request when the callback is through (``InFlight``)."""

    def __init__(self, inflight: InFlight) -> None:
        self.inflight = inflight

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InFlightDone:
        return cls(InFlight.of(crawler))

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterator[Any]:
        for output in result:
            self.inflight.made(response.request, output)
            yield output
        self.inflight.end(response.request)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        async for output in result:
            self.inflight.made(response.request, output)
            yield output
        self.inflight.end(response.request)


class ForwardPipeline:
    """A worker's only pipeline: every fetched document, and every exchange no callback saw
    (robots.txt), to the store through Redis."""

    def __init__(self, server: Redis, keys: Keys, inflight: InFlight) -> None:
        self.server = server
        self.keys = keys
        self.inflight = inflight

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ForwardPipeline:
        settings = crawler.settings
        pipeline = cls(redis_of(settings), Keys.of(settings), InFlight.of(crawler))
        crawler.signals.connect(pipeline.forward_exchange, signal=signals.exchange)
        return pipeline

    def _push(self, kind: str, item: FetchedDocument) -> None:
        self.server.lpush(self.keys.items, pickle.dumps((kind, item), protocol=5))

    def forward_exchange(self, item: FetchedDocument) -> None:
        self._push("exchange", item)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedDocument):
            self.inflight.arrived(item)
            return item
        self._push("item", item)
        self.inflight.arrived(item)
        raise DropItem("forwarded to the store", log_level="DEBUG")


class Worker:
    """A worker's life: heartbeat, seeds taken when idle, dead workers' work put back, and
    the end once nothing is queued or in flight anywhere for ``GKNB_WORKER_IDLE`` seconds."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.server = redis_of(crawler.settings)
        self.keys = Keys.of(crawler.settings)
        self.ttl = crawler.settings.getfloat("GKNB_WORKER_TTL", 15.0)
        self.idle_close = crawler.settings.getfloat("GKNB_WORKER_IDLE", 10.0)
        self.batch = max(1, crawler.settings.getint("CONCURRENT_REQUESTS", 16))
        self.idle_since: float | None = None
        self.beat: task.LoopingCall | None = None
        self._reclaim = self.server.register_script(_RECLAIM)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Worker:
        if not crawler.settings.get("GKNB_REDIS_URL") or crawler.spidercls.name == STORE:
            raise NotConfigured
        worker = cls(crawler)
        connect = crawler.signals.connect
        connect(worker.spider_opened, signal=scrapy_signals.spider_opened)
        connect(worker.spider_idle, signal=scrapy_signals.spider_idle)
        connect(worker.spider_closed, signal=scrapy_signals.spider_closed)
        connect(worker.response_received, signal=scrapy_signals.response_received)
        connect(worker.request_failed, signal=signals.request_failed)
        connect(worker.request_dropped, signal=scrapy_signals.request_dropped)
        return worker

    def spider_opened(self, spider: Spider) -> None:
        self.heartbeat()
        self.beat = task.LoopingCall(self.tick)
        self.beat.start(self.ttl / 3, now=False)
        spider.logger.info("worker %s of the crawl in %s", WORKER_ID, self.keys.prefix)

    def heartbeat(self) -> None:
        self.server.set(self.keys.alive(WORKER_ID), time.time(), px=int(self.ttl * 1000))

    def tick(self) -> None:
        try:
            self.heartbeat()
            self.reclaim()
        except Exception:  # Redis away for a moment: the next tick tries again
            logger.warning("worker heartbeat failed", exc_info=True)

    def reclaim(self) -> int:
        """Work held by workers whose heartbeat is gone: back to the queue and seed list."""
        put_back = 0
        for worker in {
            *workers(self.server, self.keys, "inflight"),
            *workers(self.server, self.keys, "taken"),
        }:
            if worker == WORKER_ID:
                continue
            n = self._reclaim(
                keys=[
                    self.keys.inflight(worker),
                    self.keys.requests,
                    self.keys.alive(worker),
                    self.keys.taken(worker),
                    self.keys.seeds,
                ]
            )
            if n and n > 0:
                logger.warning(
                    "worker %s is gone: %d of its requests and seeds put back", worker, n
                )
                put_back += n
        return put_back

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        self.server.incr(self.keys.requests_made)

    def request_failed(self, request: Request) -> None:
        self.server.incr(self.keys.requests_made)
        InFlight.of(self.crawler).end(request)

    def request_dropped(self, request: Request, spider: Spider) -> None:
        InFlight.of(self.crawler).arrived(request)  # seen before: it will never be queued

    def spider_idle(self, spider: Spider) -> None:
        self.reclaim()
        taken = self.keys.taken(WORKER_ID)
        seeds = []
        for _ in range(self.batch):
            seed = self.server.lmove(self.keys.seeds, taken, "LEFT", "RIGHT")
            if seed is None:
                break
            seeds.append(seed)
        if seeds:
            site_ids = [json.loads(seed)["site_id"] for seed in seeds]
            for request in spider.seed(site_ids):  # type: ignore[attr-defined]
                self.crawler.engine.crawl(request)  # type: ignore[union-attr]
            self.server.delete(taken)  # every seed's requests are queued
            self.idle_since = None
            raise DontCloseSpider
        if not settled(self.server, self.keys):
            self.idle_since = None
            raise DontCloseSpider  # queued requests come through the scheduler
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_close:
            raise DontCloseSpider

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.beat is not None and self.beat.running:
            self.beat.stop()
        stats = self.crawler.stats
        made = stats.get_value("downloader/request_count", 0) if stats is not None else 0
        spider.logger.info("worker %s (%s): %d requests", WORKER_ID, reason, made)
        # A graceful end: nothing of this worker is under way any more.
        self.server.delete(self.keys.inflight(WORKER_ID), self.keys.alive(WORKER_ID))


ROBOTS_SHARED = "gknb_robots_key"  # request.meta: this worker fetches the robots.txt for all
ROBOTS_LOCK = 120  # seconds a worker may take to fetch a robots.txt the others wait for
ROBOTS_KEEP = 24 * 3600  # RFC 9309 §2.4: a robots.txt is not used from a cache beyond a day


class SharedRobotsMiddleware:
    """Downloader middleware: the workers fetch each robots.txt once between them. The first
    to need it fetches it (a lock in Redis); the others wait for its answer and use it
    (flagged ``fresh``: recorded once, by the worker that fetched it). A 5xx, a 429 or a
    failure is not shared: the next worker to need it asks again."""

    def __init__(self, server: Redis, keys: Keys) -> None:
        self.server = server
        self.keys = keys

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedRobotsMiddleware:
        if not crawler.settings.get("GKNB_REDIS_URL"):
            raise NotConfigured
        return cls(redis_of(crawler.settings), Keys.of(crawler.settings))

    async def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        if not request.meta.get("dont_obey_robotstxt") or ROBOTS_SHARED in request.meta:
            return None
        if urlparse_cached(request).path != "/robots.txt":
            return None
        key = f"{self.keys.prefix}:robots:{request.url}"
        deadline = time.monotonic() + ROBOTS_LOCK
        while True:
            value = self.server.get(key)
            if value is None:
                if self.server.set(key, b"pending", nx=True, ex=ROBOTS_LOCK):
                    request.meta[ROBOTS_SHARED] = key
                    return None  # this worker fetches it
                continue
            if value != b"pending":
                status, content_type, body = pickle.loads(value)
                headers = Headers({"Content-Type": content_type} if content_type else {})
                kind = responsetypes.from_args(headers=headers, url=request.url, body=body)
                return kind(
                    request.url,
                    status=status,
                    headers=headers,
                    body=body,
                    request=request,
                    flags=["fresh"],
                )
            if time.monotonic() > deadline:
                return None  # the worker fetching it is stuck or gone
            await asyncio.sleep(0.05)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        key = request.meta.get(ROBOTS_SHARED)
        if key:
            status = response.status
            if 200 <= status < 300 or (400 <= status < 500 and status not in (408, 429)):
                content_type = response.headers.get("Content-Type") or b""
                answer = (status, content_type.decode("latin-1"), response.body)
                self.server.set(key, pickle.dumps(answer, protocol=5), ex=ROBOTS_KEEP)
            else:
                self.server.delete(key)
        return response

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> None:
        key = request.meta.get(ROBOTS_SHARED)
        if key:
            self.server.delete(key)
