"""Fresh documents are not requested at all: a spider middleware next to the spider.

A report page or attachment that the server gave or confirmed less than ``GKNB_FRESH_DAYS``
ago (``Freshness``, the judgement ``ConditionalGetMiddleware`` makes too) would be answered
from the store without an exchange; going through Scrapy's scheduler, the downloader
middlewares and the page's parsing only to learn what the store already says was most of
the cost of a crawl of unchanged portals. So the request a callback makes for such a
document is replaced here by what it would have produced:

- the unchanged document (``FetchedDocument`` flagged ``not_modified`` and ``fresh``: no
  fetch row, counted as not modified, as the served answer is);
- for a report page, the requests for the attachment links its stored bytes showed when the
  crawl last read them (``page_links``, written by the store pipeline), each judged here in
  turn. A report page never read that way is requested as before (its stored bytes answer,
  and are read once: the next crawl skips it).

A URL answered here once is not answered again in the run (Scrapy's duplicate filter would
have dropped the second request). ``request.meta["dont_revalidate"]`` (``-a full=1``) opts a
request out; off with ``GKNB_CONDITIONAL_GET`` or without ``GKNB_FRESH_DAYS``. Counted as
``gknb/conditional/fresh`` and ``gknb/conditional/not_requested``.
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

DOCUMENTS = frozenset({"report_page", "attachment"})


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
        return cls(crawler, Freshness.of(crawler))

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

    def _answer(self, response: Response, output: Any) -> Iterator[Any]:
        """``output`` as it is, or — a request for a fresh document — what its answer from
        the store would have made."""
        if not isinstance(output, Request) or not _may_answer(output):
            yield output
            return
        known = self.freshness.fresh_document(output.url)
        if known is None:
            yield output
            return
        kind = output.meta["document"]
        links: list[tuple[str, str]] = []
        if kind == "report_page":
            stored = self.freshness.links(known)
            if stored is None or not hasattr(self.crawler.spider, "attachment_requests"):
                yield output  # never read for its attachments: asked for (the store answers)
                return
            links = stored
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
            kind=kind,
            content_type=known["content_type"] or "",
            referer=response.url,
            link_text=output.meta.get("link_text", ""),
            not_modified=True,
            fresh=True,
            sha256=known["sha256"],
        )
        if not links:
            return
        spider: Any = self.crawler.spider
        site = spider.policy.site(output.meta["site_id"])
        hops = output.meta.get("hops", 0) + 1
        for request in spider.attachment_requests(site, links, hops):
            request.headers.setdefault("Referer", final_url)  # the page that links to it
            yield from self._answer(response, request)


def _may_answer(request: Request) -> bool:
    """A plain request for a report page or attachment that did not opt out."""
    return (
        request.meta.get("document") in DOCUMENTS
        and "site_id" in request.meta
        and request.method == "GET"
        and not request.meta.get("dont_revalidate")
        and b"If-None-Match" not in request.headers
        and b"If-Modified-Since" not in request.headers
    )
