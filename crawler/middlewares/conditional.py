"""Conditional GETs for documents fetched before, in the manner of ``HttpCacheMiddleware``.

A request for a report page or attachment (``request.meta["document"]``) whose URL the store
has fetched before is sent with that fetch's ``If-None-Match`` / ``If-Modified-Since``; a 304
then reaches the spider (which records it as unchanged) instead of the whole document.
``request.meta["dont_revalidate"]`` (``-a full=1``) opts a request out.  Counted in the
crawl's stats: ``gknb/conditional/requests``, ``…/not_modified``, ``…/changed`` (a 200 whose
bytes differ from the stored ones), ``…/unchanged`` (a 200 with the same bytes: the server
ignores validators).
"""

from __future__ import annotations

import hashlib

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from sqlite_utils import Database

from .. import queries

__all__ = ["ConditionalGetMiddleware"]


class ConditionalGetMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.database = crawler.settings.get("GKNB_DATABASE")
        self.db: Database | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        if not crawler.settings.getbool("GKNB_CONDITIONAL_GET", True):
            raise NotConfigured
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def _store(self) -> Database | None:
        if self.db is None:
            self.db = queries.open_readonly(self.database)
        return self.db

    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"gknb/conditional/{key}")

    def process_request(self, request: Request, spider: object = None) -> None:
        if not request.meta.get("document") or request.meta.get("dont_revalidate"):
            return None
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return None  # set by hand, or a retry of a conditional request
        db = self._store()
        known = queries.validators(db, request.url) if db is not None else None
        if not known or not (known["etag"] or known["last_modified"]):
            return None
        if known["etag"]:
            request.headers["If-None-Match"] = known["etag"]
        if known["last_modified"]:
            request.headers["If-Modified-Since"] = known["last_modified"]
        request.meta["conditional"] = True
        request.meta["known_sha256"] = known["sha256"]
        request.meta["handle_httpstatus_list"] = [
            *request.meta.get("handle_httpstatus_list", []),
            304,
        ]
        self._inc("requests")
        return None

    def process_response(
        self, request: Request, response: Response, spider: object = None
    ) -> Response:
        if not request.meta.get("conditional"):
            return response
        if response.status == 304:
            self._inc("not_modified")
        elif response.status == 200:
            same = hashlib.sha256(response.body).hexdigest() == request.meta.get("known_sha256")
            self._inc("unchanged" if same else "changed")
        return response

    def spider_closed(self, spider: object = None) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
