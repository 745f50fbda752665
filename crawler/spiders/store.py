"""StoreSpider: the store of a distributed crawl (``crawler/distributed/__init__.py``).

``scrapy crawl store -s GKNB_REDIS_URL=redis://…`` with the crawl's arguments (``-a site``,
``years``, ``full``, ``due``): it seeds one entry per site for the workers, then yields the
items the workers fetched, off Redis, to the same ``StorePipeline`` a single-process crawl
uses; it downloads nothing itself, and ends when the crawl is settled (nothing seeded, queued,
in flight or waiting to be stored, three looks in a row).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler

from .. import signals
from ..distributed import Keys, redis_of, settled, take_items
from ..items import FetchedDocument
from .reports import ReportsSpider

if TYPE_CHECKING:
    from redis import Redis

__all__ = ["StoreSpider"]

POLL = 0.2  # seconds between looks at Redis when nothing is waiting
SETTLED_LOOKS = 3


class StoreSpider(ReportsSpider):
    name = "store"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.server: Redis | None = None
        self.keys: Keys | None = None
        self.holding: dict[int, bytes] = {}  # id(item) → its bytes in the storing list
        self.completed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> StoreSpider:
        if not crawler.settings.get("GKNB_REDIS_URL"):
            raise ValueError(
                "the store of a distributed crawl needs -s GKNB_REDIS_URL=redis://HOST:PORT/DB"
            )
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, StoreSpider)
        spider.server = redis_of(crawler.settings)
        spider.keys = Keys.of(crawler.settings)
        for signal in (
            scrapy_signals.item_dropped,
            scrapy_signals.item_scraped,
            scrapy_signals.item_error,
        ):
            crawler.signals.connect(spider.stored, signal=signal)
        return spider

    def done_sites(self) -> set[str]:
        """Every site seeded, once the crawl settled; none when it was stopped before."""
        return {s.site_id for s in self.sites} if self.completed else set()

    async def start(self) -> AsyncIterator[Any]:
        server, keys = self.server, self.keys
        assert server is not None and keys is not None
        back = 0
        while server.lmove(keys.storing, keys.items, "RIGHT", "RIGHT") is not None:
            back += 1  # taken by a store that stopped before storing it: first in line again
        if back or not settled(server, keys):
            self.logger.info("resuming the crawl in %s (%d items back)", keys.prefix, back)
        else:
            server.delete(keys.dupefilter, keys.requests_made)
            seeds = [json.dumps({"site_id": s.site_id}) for s in self.sites]
            if seeds:
                server.rpush(keys.seeds, *seeds)
            self.logger.info("seeded %d sites for the workers in %s", len(seeds), keys.prefix)
        looks = 0
        while looks < SETTLED_LOOKS:
            taken = False
            for raw, kind, item in take_items(server, keys):
                taken, looks = True, 0
                if kind == "exchange":
                    self.crawler.signals.send_catch_log(signal=signals.exchange, item=item)
                    server.lrem(keys.storing, 1, raw)
                    continue
                self.holding[id(item)] = raw
                yield item
            if not taken:
                looks = looks + 1 if settled(server, keys) else 0
                await asyncio.sleep(POLL)
        self.completed = True
        made = server.get(keys.requests_made)
        if self.crawler.stats is not None and made is not None:
            self.crawler.stats.set_value("downloader/request_count", int(made))

    def stored(self, item: Any, **_: Any) -> None:
        """An item through the pipeline (stored, or failed there): off the storing list."""
        if isinstance(item, FetchedDocument) and self.server is not None and self.keys:
            raw = self.holding.pop(id(item), None)
            if raw is not None:
                self.server.lrem(self.keys.storing, 1, raw)
