"""Fresh pages and documents are not requested at all: a spider middleware next to the spider.

A page, report page or attachment that the server gave or confirmed less than
``GKNB_FRESH_DAYS`` ago (``Freshness``, the judgement ``ConditionalGetMiddleware`` makes too)
would be answered from the store without an exchange; going through Scrapy's scheduler, the
downloader middlewares and the page's parsing only to learn what the store already says was
most of the cost of a crawl of unchanged portals. So the request a callback (or the spider's
start) makes for it is replaced here by what it would have produced:

- the unchanged page or document (``FetchedDocument`` flagged ``not_modified`` and
  ``fresh``: no fetch row, counted as not modified, as the served answer is);
- what the page leads on to, from what its stored bytes showed when the crawl last read them
  (``page_links``, written by the store pipeline), followed by the spider as its callback
  would (``ReportsSpider.follow_stored``): a report page's attachments, a navigation page's
  reports, columns, next pages and list APIs — each judged here in turn. A page never read
  that way is requested as before (its stored bytes answer, and are read once: the next
  crawl skips it).

Listings (a 年报 column, its next pages, list answers: ``meta["listing"]``) are always
asked for: new reports appear there. A URL answered here once is not answered again in the
run (Scrapy's duplicate filter would have dropped the second request).
``request.meta["dont_revalidate"]`` (``-a full=1``) opts a request out; off with
``GKNB_CONDITIONAL_GET``, without ``GKNB_FRESH_DAYS``, and in the workers of a distributed
crawl (there ``ConditionalGetMiddleware`` still answers a fresh page from the database).
Counted as ``gknb/conditional/fresh`` and ``gknb/conditional/not_requested``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from ..items import FetchedDocument, fetched_now
from .conditional import Freshness

__all__ = ["FreshDocumentsMiddleware"]


class FreshDocumentsMiddleware:
    def __init__(self, crawler: Crawler, freshness: Freshness) -> None:
        self.crawler = crawler
        self.freshness = freshness
        self.answered: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FreshDocumentsMiddleware:
        settings = crawler.settings
        if not settings.getbool("GKNB_CONDITIONAL_GET", True):
            raise NotConfigured
        if settings.getfloat("GKNB_FRESH_DAYS", 0) <= 0:
            raise NotConfigured
        if settings.get("GKNB_REDIS_URL"):
            # A worker of a distributed crawl: the store writes what every worker fetched
            # while this one runs, and Redis decides what was seen (crawler/distributed/).
            raise NotConfigured
        return cls(crawler, Freshness.of(crawler))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for output in start:
            for each in self._answer(None, output):
                yield each

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterator[Any]:
        for output in result:
            yield from self._answer(response, output)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        async for output in result:
            for each in self._answer(response, output):
                yield each

    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"gknb/conditional/{key}")

    def _answer(self, response: Response | None, output: Any) -> Iterator[Any]:
        """``output`` as it is, or — a request for a fresh page or document — what its
        answer from the store would have made."""
        spider: Any = self.crawler.spider
        if (
            not isinstance(output, Request)
            or not _may_answer(output)
            or not hasattr(spider, "follow_stored")
        ):
            yield output
            return
        document = output.meta.get("document")
        if document is not None:
            known = self.freshness.fresh_document(output.url)
        else:
            known = self.freshness.fresh_page(output.url)
        if known is None:
            yield output
            return
        found = None
        if document != "attachment":  # a page: followed from what it showed
            found = self.freshness.links(known)
            if found is None:
                yield output  # never read for its links: asked for (the store answers)
                return
        if output.url in self.answered:
            return  # answered once in this run already
        self.answered.add(output.url)
        self._inc("fresh")
        self._inc("not_requested")
        final_url = known["final_url"] or output.url
        yield FetchedDocument(
            site_id=output.meta["site_id"],
            url=output.url,
            final_url=final_url,
            status=304,
            fetched_at=fetched_now(),
            kind=document or output.meta.get("role") or "page",
            content_type=known["content_type"] or "",
            referer=response.url if response is not None else None,
            link_text=output.meta.get("link_text", ""),
            not_modified=True,
            fresh=True,
            sha256=known["sha256"],
        )
        if found is None:
            return
        for request in spider.follow_stored(output, final_url, found.links, found.lists):
            request.headers.setdefault("Referer", final_url)  # the page that links to it
            yield from self._answer(response, request)


def _may_answer(request: Request) -> bool:
    """A plain request of a site's crawl for a page or document that did not opt out, and
    is no listing."""
    return (
        "site_id" in request.meta
        and request.method == "GET"
        and not request.meta.get("listing")
        and "list_kind" not in request.meta
        and not request.meta.get("dont_revalidate")
        and b"If-None-Match" not in request.headers
        and b"If-Modified-Since" not in request.headers
    )
