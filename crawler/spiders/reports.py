"""ReportsSpider: home page → 政务公开 → 年报 column(s) → report pages → attachments.

Navigation only: it recognises links (crawler/discovery/links.py), follows the families'
list schemes without running JavaScript (parsers/families.py), never leaves a
site's allowed hosts, and yields one ``FetchedDocument`` per report page and attachment —
and one per failed download, so that nothing is silently lost.  Known documents are asked
for conditionally (ETag / Last-Modified) unless ``-a full=1``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import get_base_url
from twisted.python.failure import Failure

from parsers.errors import ChallengePageError
from parsers.families import FAMILIES, LIST_PARSERS, MAX_LIST_PAGES, detect_platform
from parsers.html import is_challenge_page, may_be_challenge_page
from parsers.links import is_attachment, page_links

from .. import queries, signals
from ..arguments import parse_flag, parse_years
from ..discovery.hosts import SitePolicy, host_of
from ..discovery.links import (
    is_column_link,
    is_nav_link,
    is_next_page,
    may_follow,
    report_year,
)
from ..extensions.progress import stamp
from ..items import FetchedDocument, Link, ListPage, fetched_now
from ..middlewares.bounds import RefusedRedirect
from ..resolver import PrivateAddressError
from ..schedule import dues
from ..sites import Site, registry_path

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["ReportsSpider"]

CHALLENGE = ChallengePageError.kind  # a challenge in place of a page: its error kind
MAX_HOPS = 6  # list/navigation pages between the home page and a report


def _hops(meta: dict[str, Any], url: str) -> list[tuple[str, int | str, str]]:
    """The redirects that led to ``url`` (Scrapy's ``redirect_urls`` / ``redirect_reasons``):
    each hop's URL, its status (or "meta refresh") and its target."""
    urls = list(meta.get("redirect_urls") or [])
    reasons = list(meta.get("redirect_reasons") or [])
    targets = [*urls[1:], url]
    return list(zip(urls, reasons, targets, strict=False))


def _is_challenge(response: TextResponse) -> bool:
    """A gateway's anti-bot challenge served in place of a page, a list answer or a document
    (the markup rules most pages out before their visible text is read)."""
    if not may_be_challenge_page(response.text):
        return False
    if not isinstance(response, HtmlResponse):  # JSON or XML answers: read as they are
        return is_challenge_page(response.text, response.text)
    # lxml's own strings: a parsel Selector per text node cost 2.5 s in a 50-portal crawl.
    visible = " ".join(
        response.selector.root.xpath(
            "//body//text()[not(ancestor::script) and not(ancestor::style)]"
        )
    )
    return is_challenge_page(response.text, visible)


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(
        self,
        site: str | None = None,
        years: str | None = None,
        full: str = "0",
        due: str = "0",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.site = site
        self.years = parse_years(years)  # checked before the crawl by its command
        self.full = parse_flag("full", full)
        self.due = parse_flag("due", due)  # only the sites due now (crawler/schedule.py)
        self.sites: list[Site] = []
        self.allowed_domains: list[str] = []
        self.policy = SitePolicy(())  # which hosts belong to which site: the crawl's own
        self.database: str | None = None  # read only: the entry points found before
        self.max_list_pages = MAX_LIST_PAGES  # list pages read per list (GKNB_MAX_LIST_PAGES)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ReportsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.database = crawler.settings.get("GKNB_DATABASE")
        spider.max_list_pages = crawler.settings.getint("GKNB_MAX_LIST_PAGES", MAX_LIST_PAGES)
        spider.use_policy(SitePolicy.of(crawler))
        registry = crawler.settings.get("GKNB_SITES")
        spider.logger.info(
            "registry %s (%s): %d sites to crawl",
            registry,
            registry_path(registry),
            len(spider.sites),
        )
        if spider.due:
            spider.keep_due(datetime.now(UTC))
        return spider

    def use_policy(self, policy: SitePolicy) -> None:
        """Crawl the registered sites (only ``-a site=ID`` when given), on their hosts only."""
        self.policy = policy
        registry = list(policy.sites.values())
        chosen = [s for s in registry if self.site is None or s.site_id == self.site]
        if self.site is not None and not chosen:
            raise ValueError(f"no registered site {self.site!r} (see `scrapy sites`)")
        for site in chosen:
            if not site.starts:
                self.logger.info("%s (%s) has no portal URL: skipped", site.site_id, site.name)
        self._crawl_sites([s for s in chosen if s.starts])

    def _crawl_sites(self, sites: list[Site]) -> None:
        self.sites = sites
        self.allowed_domains = sorted(
            {host.removeprefix("www.") for s in sites for host in s.allowed_hosts}
        )

    def keep_due(self, now: datetime) -> None:
        """``-a due=1``: only the sites due at ``now``, by their history in the database."""
        due = dues(self.database, [s.site_id for s in self.sites], now)
        reasons = Counter(d.reason for d in due.values() if d.is_due(now))
        chosen = [s for s in self.sites if due[s.site_id].is_due(now)]
        self.logger.info(
            "due: %d of %d sites (%s)",
            len(chosen),
            len(self.sites),
            ", ".join(f"{reason} {n}" for reason, n in reasons.most_common()) or "none due",
        )
        self._crawl_sites(chosen)

    # --- requests ------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.settings.get("GKNB_REDIS_URL"):
            return  # a worker of a distributed crawl: its sites come from Redis (distributed.py)
        # One read-only look at what earlier crawls found, for every site.
        db = queries.open_readonly(self.database) if self.database else None
        try:
            for site in self.sites:
                for request in self.site_starts(db, site):
                    yield request
        finally:
            if db is not None:
                db.close()

    def seed(self, site_ids: list[str]) -> list[scrapy.Request]:
        """The first requests of some sites (a distributed crawl's seeds), one database look."""
        db = queries.open_readonly(self.database) if self.database else None
        try:
            return [
                request
                for site_id in site_ids
                for request in self.site_starts(db, self.policy.site(site_id))
            ]
        finally:
            if db is not None:
                db.close()

    def site_starts(self, db: Database | None, site: Site) -> Iterator[scrapy.Request]:
        for url in site.starts:
            # The home page may answer only on the other scheme or host: try those next.
            fallbacks = list(site.alt_urls) if url == site.base_url else []
            role = "home" if url == site.base_url else "entry"
            yield self._request(site, url, self.parse_page, hops=0, role=role, fallbacks=fallbacks)
        # 年报 columns found before: crawled even when the way to them from the home page
        # breaks (a redesign); the home page still finds columns that are new.
        for url in self._known_columns(db, site):
            yield self._request(site, url, self.parse_page, hops=1, role="column")

    def _known_columns(self, db: Database | None, site: Site) -> list[str]:
        if db is None:
            return []
        # Platforms found before on this site's own pages stay allowed, so that their
        # columns are reached even when the link to the platform is gone.
        for url in queries.entry_points(db, site.site_id, "disclosure"):
            if host_of(url).endswith(".gov.cn"):
                self._add_platform(site, host_of(url))
        columns = queries.entry_points(db, site.site_id, "column")
        return [url for url in columns if self._allowed(site, url)]

    def _site(self, response: Response) -> Site:
        return self.policy.site(response.meta["site_id"])

    def _allowed(self, site: Site, url: str) -> bool:
        return self.policy.allows(site.site_id, url)

    def _add_platform(self, site: Site, host: str) -> bool:
        if not self.policy.add_platform(site.site_id, host):
            return False
        if host not in self.allowed_domains:
            self.allowed_domains.append(host)
        return True

    def _names_site(self, site: Site, url: str, label: str) -> bool:
        """The link names this county: its domain label in the URL or its name in the text."""
        labels = {h.removeprefix("www.").split(".")[0] for h in site.allowed_hosts}
        lowered = url.lower()
        if any(len(part) >= 3 and part in lowered for part in labels):
            return True
        name = re.sub(r"(?:人民政府|政府)$", "", site.name)
        stem = re.sub(r"(?:自治县|自治旗|新区|县|区|市|旗)$", "", name)
        return any(len(n) >= 2 and n in label for n in (name, stem))

    def _discover_platform(self, site: Site, page_url: str, url: str, label: str) -> bool:
        """A 政府信息公开 / 年报 link from the site's own pages to another .gov.cn host.

        Disclosure areas often live on a platform host (a prefecture-run 信息公开 platform,
        xxgk.<county>.gov.cn): that host becomes allowed for this site. Links found on a
        platform host itself never add more hosts, and a non-gov host is never allowed.
        """
        host = host_of(url)
        if not host.endswith(".gov.cn") or self._allowed(site, url):
            return False
        if not self.policy.registered(site.site_id, host_of(page_url)):
            return False
        if not (is_nav_link(label, url) or is_column_link(label, url)) or not label.strip():
            return False
        if not self._names_site(site, url, label):
            return False  # another government's disclosure area (a prefecture's, a sister's)
        self._add_platform(site, host)
        self.logger.info("%s: disclosure platform on %s (%s)", site.site_id, host, label)
        return True

    def _request(
        self, site: Site, url: str, callback: Any, *, hops: int, **meta: Any
    ) -> scrapy.Request:
        # Documents and pages fetched before are asked for conditionally (or answered from
        # the store while fresh) by ConditionalGetMiddleware, unless this is a full crawl
        # (-a full=1). ``listing``: a page where new reports appear (a 年报 column, its next
        # pages, a list answer), always asked for.
        listing = meta.pop("listing", False) or meta.get("role") == "column" or "list_kind" in meta
        request = scrapy.Request(
            url,
            callback=callback,
            errback=self.failed,
            meta={
                "site_id": site.site_id,
                "hops": hops,
                "dont_revalidate": self.full,
                "listing": listing,
                **meta,
            },
        )
        return stamp(request)  # a request of its own (CrawlProgress: not a continuation)

    # --- callbacks -----------------------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        """A navigation or list page: follow what leads to reports.

        Every navigation page is a fetch row (with what was wrong with it); an entry point
        (its role) also records where this site's crawl starts.
        """
        site = self._site(response)
        page = self._document(response, response.meta.get("role") or "page", navigation=True)
        if not isinstance(response, TextResponse) or page.error is not None:
            yield page
            yield from self._retry_challenged(response, page)
            return
        found_links, extra, notes = self._page_found(response)
        page.note = "; ".join(self._noted(response, note) for note in notes) or None
        # What the page leads to, kept with it: while it is fresh the next crawl follows
        # these without asking for it (crawler/middlewares/fresh.py).
        page.links = tuple(
            (url, label)
            for url, label in ((url.split("#", 1)[0], label) for url, label in found_links)
            if may_follow(label, url)
        )
        page.lists = tuple(extra)
        yield page
        yield from self._follow(site, response.url, page.links, page.lists, response.meta["hops"])

    def _page_found(self, response: TextResponse) -> tuple[list[Link], list[ListPage], list[str]]:
        """Every link a navigation page shows, the list pages and APIs its CMS family reveals
        to JavaScript only, and what was wrong with them."""
        base = get_base_url(response)
        links = [(link.url, link.text) for link in page_links(response.selector.root, base)]
        lists: list[ListPage] = []
        notes = []
        for family in FAMILIES:
            if family.page is None:
                continue
            found = family.page(response.url, response.text, self.max_list_pages)
            if found:
                links += found.links
                lists += found.lists
                if found.note:
                    notes.append(found.note)
        return links, lists, notes

    def parse_list(self, response: Response) -> Iterator[Any]:
        """An answer of a family's list API (XML records, JSON)."""
        site = self._site(response)
        listing = self._document(response, "list", navigation=True)
        if listing.error is not None:
            yield listing
            yield from self._retry_challenged(response, listing)
            return
        parser = LIST_PARSERS[response.meta["list_kind"]]
        found = parser(
            response.url,
            response.text
            if isinstance(response, TextResponse)
            else response.body.decode("utf-8", "replace"),
            self.max_list_pages,
        )
        if found.note:
            listing.note = self._noted(response, found.note)
        yield listing
        yield from self._follow(site, response.url, found.links, found.lists, response.meta["hops"])

    def _noted(self, response: Response, note: str) -> str:
        """A list page or API answer that was not what it should be: said, and counted."""
        self.logger.warning("%s: %s", response.url, note)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("gknb/discovery/notes")
        return note

    def follow_stored(
        self,
        request: scrapy.Request,
        page_url: str,
        links: Iterable[Link],
        lists: Iterable[ListPage],
    ) -> Iterator[scrapy.Request]:
        """What a page asked for by ``request`` leads to, from the links it showed when it
        was last read at ``page_url`` (``page_links``): as its callback would follow them."""
        site = self.policy.site(request.meta["site_id"])
        hops = request.meta.get("hops", 0)
        if request.meta.get("document") == "report_page":
            return self.attachment_requests(site, links, hops + 1)
        return self._follow(site, page_url, links, lists, hops)

    def _follow(
        self,
        site: Site,
        page_url: str,
        links: Iterable[Link],
        lists: Iterable[ListPage],
        hops: int,
    ) -> Iterator[scrapy.Request]:
        for url, kind, form in lists:
            if not self._allowed(site, url):
                continue
            if kind == "page":
                yield self._request(site, url, self.parse_page, hops=hops + 1, listing=True)
            elif form is not None:
                yield stamp(
                    scrapy.FormRequest(
                        url,
                        formdata=form,
                        callback=self.parse_list,
                        errback=self.failed,
                        meta={"site_id": site.site_id, "hops": hops + 1, "list_kind": kind},
                    )
                )
            else:
                yield self._request(site, url, self.parse_list, hops=hops + 1, list_kind=kind)
        for url, label in links:
            url = url.split("#", 1)[0]
            if not self._allowed(site, url):
                if not self._discover_platform(site, page_url, url, label):
                    continue
                if is_nav_link(label, url):
                    yield self._request(
                        site, url, self.parse_page, hops=hops + 1, role="disclosure"
                    )
                    continue
            year = report_year(label)
            if year is not None:
                if self.years is not None and year not in self.years:
                    continue
                callback = (
                    self.parse_attachment if is_attachment(url, label) else self.parse_report_page
                )
                kind = "attachment" if callback == self.parse_attachment else "report_page"
                yield self._request(
                    site, url, callback, hops=hops + 1, document=kind, link_text=label
                )
            elif hops < MAX_HOPS and is_next_page(label, url):
                yield self._request(site, url, self.parse_page, hops=hops + 1, listing=True)
            elif hops < MAX_HOPS and is_column_link(label, url):
                yield self._request(site, url, self.parse_page, hops=hops + 1, role="column")
            elif hops < MAX_HOPS and is_nav_link(label, url):
                yield self._request(site, url, self.parse_page, hops=hops + 1)

    def parse_report_page(self, response: Response) -> Iterator[Any]:
        """A report page: the document itself, then its attachments."""
        site = self._site(response)
        document = self._document(response, "report_page")
        if response.status == 304 or not isinstance(response, TextResponse):
            yield document
            return
        # A stored page (not modified, or fresh) was read for good: never a challenge.
        if "not_modified" not in response.flags and _is_challenge(response):
            yield document
            yield from self._retry(response)  # stored and recorded as such by the pipeline
            return
        document.links = tuple(
            (url, link.text)
            for link in page_links(response.selector.root, get_base_url(response))
            if is_attachment(url := link.url.split("#", 1)[0], link.text)
        )
        yield document
        yield from self.attachment_requests(site, document.links, response.meta["hops"] + 1)

    def attachment_requests(
        self, site: Site, links: Iterable[Link], hops: int
    ) -> Iterator[scrapy.Request]:
        """The requests for a report page's attachment links that stay on the site."""
        for url, label in links:
            if self._allowed(site, url):
                yield self._request(
                    site,
                    url,
                    self.parse_attachment,
                    hops=hops,
                    document="attachment",
                    link_text=label,
                )

    def parse_attachment(self, response: Response) -> Iterator[Any]:
        yield self._document(response, "attachment")
        if (
            isinstance(response, TextResponse)
            and "not_modified" not in response.flags
            and _is_challenge(response)
        ):
            yield from self._retry(response)

    def _retry_challenged(
        self, response: Response, page: FetchedDocument
    ) -> Iterator[scrapy.Request]:
        """A navigation page or list recorded as a challenge page is retried (see ``_retry``);
        one that failed otherwise (not text) is not."""
        if page.error is not None and page.error.startswith(CHALLENGE):
            yield from self._retry(response)

    def _retry(self, response: Response) -> Iterator[scrapy.Request]:
        """A challenge page in place of the answer is asked for once more in this run
        (Scrapy's retry, counted in its stats); a second one waits for the next run."""
        if response.request is None:
            return
        retry = get_retry_request(
            response.request, spider=self, reason="challenge_page", max_retry_times=1
        )
        if retry is not None:
            yield stamp(retry)

    def _document(
        self, response: Response, kind: str, *, navigation: bool = False
    ) -> FetchedDocument:
        request = response.request
        referer = request.headers.get("Referer") if request is not None else None
        unchanged = response.status == 304 or "not_modified" in response.flags
        error = None
        if navigation and not unchanged and response.status == 200:
            if not isinstance(response, TextResponse):  # not read: never kept as good
                content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
                error = f"wrong_format: a page served as {content_type or 'no type'}, not text"
            elif _is_challenge(response):
                error = f"{CHALLENGE}: an anti-bot challenge in place of the page"
        return FetchedDocument(
            site_id=response.meta["site_id"],
            url=request.url if request is not None else response.url,
            final_url=response.url,
            status=304 if unchanged else response.status,
            fetched_at=fetched_now(),
            kind=kind,
            content_type=(response.headers.get("Content-Type") or b"").decode("latin-1"),
            body=response.body if not unchanged else b"",
            referer=referer.decode("latin-1") if referer else None,
            etag=(response.headers.get("ETag") or b"").decode("latin-1") or None,
            last_modified=(response.headers.get("Last-Modified") or b"").decode("latin-1") or None,
            link_text=response.meta.get("link_text", ""),
            conditional=response.meta.get("conditional", False),
            not_modified=unchanged,
            fresh="fresh" in response.flags,
            platform=detect_platform(response.text)
            if isinstance(response, TextResponse) and kind != "attachment"
            else None,
            error=error,
            redirects=_hops(response.meta, response.url),
            attempts=response.meta.get("retry_times", 0) + 1,
            sha256=response.meta.get("known_sha256") if unchanged else None,
        )

    def failed(self, failure: Failure) -> Iterator[FetchedDocument | scrapy.Request]:
        """A download that failed: kept as a fetch with its reason, retried next run.

        A home page that fails (no connection, TLS, a 4xx …) is tried at the site's
        alternative URLs (the other scheme, another host) before the site is given up.
        """
        request = failure.request  # type: ignore[attr-defined]
        status = 0
        final_url = request.url
        attempts = request.meta.get("retry_times", 0) + 1
        reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        fresh = False
        if not failure.check(HttpError):  # no response: the request ends here (CrawlProgress)
            self.crawler.signals.send_catch_log(signal=signals.request_failed, request=request)
        if failure.check(HttpError):
            status = failure.value.response.status
            fresh = "fresh" in failure.value.response.flags  # a 404 answered from the store
        elif failure.check(PrivateAddressError):
            reason = f"private_address: {failure.getErrorMessage()}"
        elif failure.check(RefusedRedirect):  # a hop out of the site: recorded, not followed
            refused: RefusedRedirect = failure.value
            status = refused.status if isinstance(refused.status, int) else 0
            final_url = refused.target
            reason = f"refused_redirect: to {refused.target}: {refused.reason}"
            if isinstance(refused.status, str):  # a <meta refresh>
                reason += f" ({refused.status})"
        if attempts > 1:
            reason += f" (after {attempts} attempts)"
        yield FetchedDocument(
            site_id=request.meta["site_id"],
            url=request.url,
            final_url=final_url,
            status=status,
            fetched_at=fetched_now(),
            kind=request.meta.get("document")
            or request.meta.get("role")
            or ("list" if request.meta.get("list_kind") else "page"),
            link_text=request.meta.get("link_text", ""),
            error=reason[:500],
            redirects=_hops(request.meta, request.url),
            attempts=attempts,
            fresh=fresh,
        )
        fallbacks = request.meta.get("fallbacks") or []
        if fallbacks:
            site = self.policy.site(request.meta["site_id"])
            self.logger.info("%s failed (%s): trying %s", request.url, reason, fallbacks[0])
            yield self._request(
                site,
                fallbacks[0],
                self.parse_page,
                hops=0,
                role=request.meta.get("role", "home"),
                fallbacks=fallbacks[1:],
            )
