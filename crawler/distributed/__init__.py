"""One crawl shared by several worker processes through Redis (scrapy-redis; the extra
``pip install 'gknb[distributed]'``). Set ``-s GKNB_REDIS_URL=redis://host:6379/0``:

* **workers** — ``scrapy crawl reports -s GKNB_REDIS_URL=…``, as many as wanted, on any
  machines: scrapy-redis's scheduler and duplicate filter keep every request of the crawl in
  one Redis queue and every fingerprint in one set, so no URL is asked for twice. Workers only
  download: what they fetch (the ``FetchedDocument`` items, robots.txt exchanges included) is
  pushed to a Redis list, never written to SQLite.
* **the store** — ``scrapy crawl store -s GKNB_REDIS_URL=…`` (with the crawl's ``-a site``,
  ``years``, ``full``, ``due``), one process on the machine holding the database: it pushes
  one seed per site to crawl (JSON, ``{"site_id": …}``), takes the workers' items off Redis
  and writes them through the same ``StorePipeline`` as a single-process crawl (parse pool,
  one transaction per document, cross-year check, ``crawl_runs`` and ``site_visits`` rows),
  and ends when no seed, queued request, request in flight or item is left.

One writer rather than a database per worker merged afterwards: SQLite has one writer at a
time anyway, the store is where the CPU-heavy parsing runs (on all its cores), and nothing
needs merging — the database is the single-process crawl's, row for row.

Nothing is lost when a worker dies. A request a worker takes moves from the queue to the
worker's in-flight hash in one step (a Lua script); it leaves the hash when its response has
gone through the spider (its links queued, its items in Redis), when it failed without one,
or when the downloader continues it (a redirect or a retry, queued first). Seeds taken are
held the same way until their requests are queued. Each worker keeps a heartbeat key alive
(``GKNB_WORKER_TTL`` seconds); a worker that finds another's heartbeat gone puts that one's
in-flight requests and seeds back. An idle worker closes after ``GKNB_WORKER_IDLE`` seconds
with nothing queued or in flight anywhere. Items the store took and had not stored when it
stopped go back to the list when it starts again; a store started while work is left
resumes it instead of seeding a new crawl.
"""

from __future__ import annotations

import os
import pickle
import socket
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from ..items import FetchedDocument

if TYPE_CHECKING:
    from redis import Redis
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

__all__ = ["STORE", "TOKEN", "WORKER_ID", "Distributed", "Keys", "redis_of", "settled", "workers"]

WORKER_ID = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
TOKEN = "gknb_inflight"  # request.meta: the request's field in its worker's in-flight hash
STORE = "store"  # the store spider's name

# Take the first request of the queue into the worker's in-flight hash, in one step.
_POP = """
local m = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #m == 0 then return false end
redis.call('ZREM', KEYS[1], m[1])
local token = redis.sha1hex(m[1])
redis.call('HSET', KEYS[2], token, m[2] .. '|' .. m[1])
return {m[1], token}
"""
# A request marked seen and queued in one step: a worker killed between the two (two round
# trips in scrapy-redis) left it seen and never queued, and the page that made it, put back
# and read again, found it seen: lost.
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
if ARGV[4] ~= '' then redis.call('HDEL', KEYS[3], ARGV[4]) end
return 1
"""
# A dead worker's requests in flight back to the queue, its seeds back to the seed list.
_RECLAIM = """
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local n = 0
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local v = entries[i + 1]
  local j = string.find(v, '|', 1, true)
  redis.call('ZADD', KEYS[2], string.sub(v, 1, j - 1), string.sub(v, j + 1))
  n = n + 1
end
redis.call('DEL', KEYS[1])
local seeds = redis.call('LRANGE', KEYS[4], 0, -1)
for _, s in ipairs(seeds) do
  redis.call('RPUSH', KEYS[5], s)
  n = n + 1
end
redis.call('DEL', KEYS[4])
return n
"""


class Keys:
    """The Redis keys of one distributed crawl (``GKNB_REDIS_PREFIX``, default ``gknb``)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.requests = f"{prefix}:requests"  # scrapy-redis's queue (a sorted set)
        self.dupefilter = f"{prefix}:dupefilter"  # scrapy-redis's fingerprints
        self.seeds = f"{prefix}:seeds"  # JSON {"site_id": …}, one per site to crawl
        self.items = f"{prefix}:items"  # pickled ("item" | "exchange", FetchedDocument)
        self.storing = f"{prefix}:storing"  # items the store took, not yet stored
        self.requests_made = f"{prefix}:requests_made"  # downloads, counted by the workers

    def inflight(self, worker: str) -> str:
        return f"{self.prefix}:inflight:{worker}"

    def taken(self, worker: str) -> str:
        return f"{self.prefix}:taken:{worker}"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    @classmethod
    def of(cls, settings: Settings) -> Keys:
        return cls(settings.get("GKNB_REDIS_PREFIX") or "gknb")


def redis_of(settings: Settings) -> Redis:
    """A connection to the crawl's Redis (``GKNB_REDIS_URL``; the add-on hands the same URL
    to scrapy-redis as ``REDIS_URL``, after the spider is made)."""
    from redis import Redis

    return Redis.from_url(
        settings.get("GKNB_REDIS_URL"),
        socket_timeout=30,
        socket_connect_timeout=30,
        retry_on_timeout=True,
    )


def workers(server: Redis, keys: Keys, kind: str) -> Iterator[str]:
    """Workers with a key of ``kind`` (``inflight`` or ``taken``): work held."""
    pattern = f"{keys.prefix}:{kind}:*"
    for key in server.scan_iter(match=pattern):
        yield (key.decode() if isinstance(key, bytes) else key).split(":", 2)[2]


def settled(server: Redis, keys: Keys) -> bool:
    """Nothing left for a worker: no seed, no queued request, nothing in flight, no item."""
    return (
        not server.exists(keys.seeds, keys.items)
        and not server.zcard(keys.requests)
        and not any(workers(server, keys, "inflight"))
        and not any(workers(server, keys, "taken"))
    )


class Distributed:
    """Scrapy add-on (``ADDONS``): with ``GKNB_REDIS_URL`` set, the ``reports`` crawl is a
    worker of a distributed crawl and the ``store`` crawl is its store; without, nothing."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Distributed:
        if not crawler.settings.get("GKNB_REDIS_URL"):
            raise NotConfigured
        return cls(crawler)

    def update_settings(self, settings: Settings) -> None:
        keys = Keys.of(settings)
        settings.set("REDIS_URL", settings.get("GKNB_REDIS_URL"), priority="spider")
        if getattr(self.crawler.spidercls, "name", None) == STORE:
            return  # the store downloads nothing: Scrapy's own scheduler, the StorePipeline
        profile = {
            "SCHEDULER": "crawler.distributed.queue.ReliableScheduler",
            "SCHEDULER_QUEUE_CLASS": "crawler.distributed.queue.ReliableQueue",
            "SCHEDULER_QUEUE_KEY": keys.requests,
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
            "SCHEDULER_PERSIST": True,  # the queue outlives any one worker
            "ITEM_PIPELINES": {"crawler.distributed.worker.ForwardPipeline": 300},
        }
        for name, value in profile.items():
            settings.set(name, value, priority="spider")
        extensions = dict(settings.getdict("EXTENSIONS"))
        extensions["crawler.distributed.worker.Worker"] = 600
        settings.set("EXTENSIONS", extensions, priority="spider")
        downloader = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        # Before ConditionalGetMiddleware (560), after RetryAfterMiddleware (555).
        downloader["crawler.distributed.worker.SharedRobotsMiddleware"] = 558
        settings.set("DOWNLOADER_MIDDLEWARES", downloader, priority="spider")
        middlewares = dict(settings.getdict("SPIDER_MIDDLEWARES"))
        middlewares["crawler.distributed.worker.InFlightDone"] = 1  # nearest the engine: last
        settings.set("SPIDER_MIDDLEWARES", middlewares, priority="spider")


def take_items(server: Redis, keys: Keys) -> Iterator[tuple[bytes, str, FetchedDocument]]:
    """The store's side: items off the list, each held in ``storing`` until acknowledged."""
    while True:
        raw = server.lmove(keys.items, keys.storing, "RIGHT", "LEFT")
        if raw is None:
            return
        kind, item = pickle.loads(raw)
        yield raw, kind, item
