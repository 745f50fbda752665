"""AutoThrottle that never goes below a server's robots.txt Crawl-delay."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response

from ..middlewares.robots import crawl_delay_floor

__all__ = ["PoliteThrottle"]


class PoliteThrottle(AutoThrottle):
    def _response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        super()._response_downloaded(response, request, spider)
        key, slot = self._get_slot(request, spider)
        if key is not None and slot is not None:
            floor = crawl_delay_floor(self.crawler.engine.downloader, key)  # type: ignore[union-attr]
            slot.delay = max(slot.delay, floor)
