"""Retry-After honoured: a retried request waits as long as the server asked.

Scrapy's RetryMiddleware retries a 503 or 429 at once. This middleware, which sees the
response before it, notes the time the server named (``Retry-After``: seconds or an HTTP
date; at most ``GKNB_MAX_RETRY_AFTER`` seconds) in the request's meta, which the retry copies;
the retried request then waits until that time before it is downloaded. A wait beyond the
cap is not waited: the request fails this run and the next run retries it.
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

__all__ = ["RetryAfterMiddleware", "retry_after_seconds"]


def retry_after_seconds(value: str, now: float | None = None) -> float | None:
    """A ``Retry-After`` header as seconds from now (None when it cannot be read)."""
    value = value.strip()
    if value.isdigit():
        return float(int(value[:9]))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.limit = crawler.settings.getfloat("GKNB_MAX_RETRY_AFTER", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        not_before = request.meta.get("gknb_not_before")
        if not_before is None:
            return
        wait = not_before - time.time()
        if wait > 0:
            from twisted.internet import reactor  # the crawl's

            await maybe_deferred_to_future(task.deferLater(reactor, wait))

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        header = response.headers.get("Retry-After")
        if response.status in (429, 503) and header:
            seconds = retry_after_seconds(header.decode("latin-1"))
            if seconds is not None:
                if seconds > self.limit:
                    request.meta["dont_retry"] = True  # next run, not this one
                else:
                    request.meta["gknb_not_before"] = time.time() + seconds
                if self.crawler.stats is not None:
                    self.crawler.stats.inc_value("gknb/retry_after")
        return response
