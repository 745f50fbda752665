"""Conditional GETs for documents fetched before, in the manner of ``HttpCacheMiddleware``.

A request for a report page or attachment (``request.meta["document"]``) whose URL the store
has fetched — and read for good — before is sent with that fetch's ``If-None-Match`` /
``If-Modified-Since``; a 304 then reaches the spider with the stored bytes, flagged
``not_modified`` (it records an unchanged fetch and still follows a page's attachments).
Navigation pages and GET list answers are asked for the same way, with the validators of
their last good answer (kept whole in the raw store): an unchanged portal costs 304s.
A document or navigation page the server gave or confirmed less than ``GKNB_FRESH_DAYS``
ago is not asked for at all: its stored bytes answer, flagged ``not_modified`` and ``fresh``
(as ``HttpCacheMiddleware`` serves a fresh entry; no exchange, so no fetch row), and its
links are still followed — each fresh, or asked for.  Listings (``request.meta["listing"]``:
a 年报 column, its next pages, a list answer) are always asked for: new reports appear
there.  ``request.meta["dont_revalidate"]`` (``-a full=1``) opts a request out.  Counted
in the crawl's stats: ``gknb/conditional/requests``, ``…/not_modified``, ``…/fresh``,
``…/changed`` (a 200 whose bytes differ from the stored ones), ``…/unchanged`` (a 200 with
the same bytes: the server ignores validators).
"""

from __future__ import annotations

import hashlib
import weakref
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached

from .. import queries
from ..storage import raw_path

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["ConditionalGetMiddleware", "Freshness"]

ROBOTS = "/robots.txt"
ROBOTS_FRESH = timedelta(hours=24)  # RFC 9309 §2.4: no robots.txt from a cache beyond a day
GONE = (404, 410)


def _moment(when: str | None) -> datetime | None:
    """A stored UTC ISO time (naive ones are UTC), or None."""
    if not when:
        return None
    try:
        moment = datetime.fromisoformat(when)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _within(when: str | datetime | None, window: timedelta) -> bool:
    """Whether the UTC time ``when`` (ISO text or a datetime) is less than ``window`` ago."""
    moment = _moment(when) if not isinstance(when, datetime) else when
    return moment is not None and datetime.now(UTC) - moment < window


class Freshness:
    """What the store holds of a URL, and whether the server gave or confirmed it less than
    ``GKNB_FRESH_DAYS`` ago: the one judgement the conditional GET (this module) and the
    fresh-documents spider middleware (``fresh.py``) both make. One read-only connection per
    crawl (``Freshness.of(crawler)``), closed with the spider."""

    def __init__(
        self, database: str | None, fresh_for: timedelta, started: datetime | None = None
    ) -> None:
        self.database = database
        self.fresh_for = fresh_for
        # Only what an earlier crawl confirmed is fresh: a URL this crawl fetched already is
        # a duplicate (Scrapy's duplicate filter drops it), not a page to answer again.
        # Fetch times are kept to the second: the crawl's first second counts as its own.
        self.started = (started or datetime.now(UTC)).replace(microsecond=0)
        self.db: Database | None = None
        self._candidates: set[str] | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> Freshness:
        freshness = _FRESHNESS.get(crawler)
        if freshness is None:
            days = crawler.settings.getfloat("GKNB_FRESH_DAYS", 0)
            freshness = cls(crawler.settings.get("GKNB_DATABASE"), timedelta(days=days))
            _FRESHNESS[crawler] = freshness
            crawler.signals.connect(freshness.close, signal=signals.spider_closed)
        return freshness

    def store(self) -> Database | None:
        if self.db is None and self.database:
            self.db = queries.open_readonly(self.database)
        return self.db

    def fresh(self, url: str) -> bool:
        """Whether the server gave or confirmed the URL's bytes less than ``GKNB_FRESH_DAYS``
        ago."""
        db = self.store()
        if db is None or not self.fresh_for or url not in self._fresh_candidates(db):
            return False
        when = _moment(queries.last_confirmed(db, url))
        return when is not None and when < self.started and _within(when, self.fresh_for)

    def _fresh_candidates(self, db: Database) -> set[str]:
        """The URLs confirmed within the window before the crawl started, read once: most
        URLs of a crawl are not among them (all of a first crawl's), and are judged without
        a query."""
        if self._candidates is None:
            since = (self.started - self.fresh_for).isoformat(timespec="seconds")
            self._candidates = queries.confirmed_since(db, since)
        return self._candidates

    def fresh_document(self, url: str) -> dict[str, str | None] | None:
        """A report page's or attachment's last good answer (``queries.validators``) while
        it is fresh; None when it is to be asked for."""
        db = self.store()
        if db is None or not self.fresh_for or url not in self._fresh_candidates(db):
            return None
        known = queries.validators(db, url)
        return known if known is not None and self.fresh(url) else None

    def fresh_page(self, url: str) -> dict[str, str | None] | None:
        """A navigation page's last good answer, kept whole (``queries.navigation_validators``),
        while it is fresh; None when it is to be asked for."""
        db = self.store()
        if db is None or not self.fresh_for or url not in self._fresh_candidates(db):
            return None
        known = queries.navigation_validators(db, url)
        return known if known is not None and self.fresh(url) else None

    def links(self, known: dict[str, str | None]) -> queries.PageLinks | None:
        """What the stored bytes of a page led on to when the crawl last read them; None
        when it never did."""
        db = self.store()
        if db is None or not known.get("sha256"):
            return None
        return queries.page_links(db, known["sha256"] or "", known["final_url"] or "")

    def close(self, spider: object = None) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


_FRESHNESS: weakref.WeakKeyDictionary[Crawler, Freshness] = weakref.WeakKeyDictionary()


class ConditionalGetMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.database = crawler.settings.get("GKNB_DATABASE")
        self.raw_dir = crawler.settings.get("GKNB_RAW_DIR", "data/raw")
        self.freshness = Freshness.of(crawler)
        self.fresh_for = self.freshness.fresh_for

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        if not crawler.settings.getbool("GKNB_CONDITIONAL_GET", True):
            raise NotConfigured
        return cls(crawler)

    def _store(self) -> Database | None:
        return self.freshness.store()

    def _inc(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"gknb/conditional/{key}")

    def process_request(self, request: Request, spider: object = None) -> Response | None:
        if request.meta.get("dont_revalidate"):
            return None  # a full crawl
        if request.method != "GET":
            return None  # a list API's POST: its answer depends on the form
        if request.meta.get("dont_obey_robotstxt") and urlparse_cached(request).path == ROBOTS:
            return self._fresh_robots(request)
        if not request.meta.get("document") and "site_id" not in request.meta:
            return None  # neither a document nor a page of a site's crawl
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return None  # set by hand, or a retry of a conditional request
        db = self._store()
        if db is None:
            return None
        if request.meta.get("document"):
            known = queries.validators(db, request.url)
        else:  # a navigation page or list: its stored answer, when it was kept whole
            known = queries.navigation_validators(db, request.url)
        listing = request.meta.get("listing", False)
        if known is not None and not listing and self.freshness.fresh(request.url):
            request.meta["known_sha256"] = known["sha256"]  # the bytes the answer is
            fresh = self._from_store(request, known)
            if fresh is not None:  # no download at all
                self._inc("fresh")
                return fresh
        if not request.meta.get("document") and not listing:
            gone = self._gone(db, request)
            if gone is not None:
                return gone
        if not known or not (known["etag"] or known["last_modified"]):
            return None
        if known["etag"]:
            request.headers["If-None-Match"] = known["etag"]
        if known["last_modified"]:
            request.headers["If-Modified-Since"] = known["last_modified"]
        request.meta["conditional"] = True
        request.meta["known_sha256"] = known["sha256"]
        request.meta["known_content_type"] = known["content_type"]
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
            return self._stored(request, response)
        elif response.status == 200:
            same = hashlib.sha256(response.body).hexdigest() == request.meta.get("known_sha256")
            self._inc("unchanged" if same else "changed")
        return response

    def _gone(self, db: Database, request: Request) -> Response | None:
        """A navigation link whose last answer, within ``GKNB_FRESH_DAYS``, was 404 or 410
        (answers a cache may keep, RFC 9111 §4.2.2): that answer again, flagged ``fresh``; the
        spider's errback sees the same HttpError and records nothing."""
        if not self.fresh_for:
            return None
        last = queries.last_answer(db, request.url, queries.NAVIGATION_KINDS)
        if last is None or last["status"] not in GONE:
            return None
        if not _within(last["fetched_at"], self.fresh_for):
            return None
        self._inc("fresh")
        status = int(last["status"] or 0)
        return Response(request.url, status=status, request=request, flags=["fresh"])

    def _fresh_robots(self, request: Request) -> Response | None:
        """A robots.txt fetched within ``GKNB_FRESH_DAYS`` and never more than 24 hours ago
        (RFC 9309 §2.4), answered from the store: its text, or its 4xx (everything allowed).
        Not recorded again (``PoliteRobotsTxtMiddleware`` skips a ``fresh`` answer)."""
        window = min(self.fresh_for, ROBOTS_FRESH)
        db = self._store() if window else None
        if db is None:
            return None
        last = queries.last_answer(db, request.url, frozenset({"robots"}))
        if last is None or not _within(last["fetched_at"], window):
            return None
        status = int(last["status"] or 0)
        headers = Headers()
        if status == 200 and last["sha256"]:
            try:
                body = raw_path(self.raw_dir, last["sha256"]).read_bytes()
            except OSError:
                return None
            headers["Content-Type"] = last["content_type"] or "text/plain"
        elif 400 <= status < 500 and status not in (408, 429):
            body = b""
        else:
            return None  # a failing server: asked again
        self._inc("fresh")
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(
            request.url, status=status, headers=headers, body=body, request=request, flags=["fresh"]
        )

    def _stored(self, request: Request, response: Response) -> Response:
        """The stored bytes in place of the 304's empty body (as ``HttpCacheMiddleware``
        does), flagged ``not_modified``: a report page's attachments are still followed,
        nothing is stored or parsed again."""
        known = {
            "sha256": request.meta.get("known_sha256"),
            "content_type": request.meta.get("known_content_type"),
            "final_url": request.url,
        }
        served = self._from_store(request, known, response.headers.copy(), response.flags)
        return served if served is not None else response  # lost from the raw store: a 304

    def _from_store(
        self,
        request: Request,
        known: dict[str, str | None],
        headers: Headers | None = None,
        flags: list[str] | None = None,
    ) -> Response | None:
        """The stored answer of a document, at the URL it was served from, flagged
        ``not_modified`` (and ``fresh`` when no request was made); None when the raw store
        has lost its bytes."""
        try:
            body = raw_path(self.raw_dir, known["sha256"] or "").read_bytes()
        except OSError:
            return None
        headers = headers if headers is not None else Headers()
        if known.get("content_type"):
            headers["Content-Type"] = known["content_type"]
        url = known.get("final_url") or request.url
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        marks = [*flags, "not_modified"] if flags is not None else ["not_modified", "fresh"]
        return cls(url=url, status=200, headers=headers, body=body, request=request, flags=marks)
