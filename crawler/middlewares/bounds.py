"""Every request stays inside its own site, and every server gets its own limits.

Scrapy's own middlewares, told about sites: the offsite filter asks the one site policy
(``crawler/discovery/hosts.py``) whether *this site's* crawl may fetch a URL — not whether
any registered site may — so a link or a redirect from one county to another county's host
is not followed; redirects that leave the site are refused with a ``RefusedRedirect`` that
the spider's errback records as a fetch row (the hop, its status, its target and why);
every request is put in the downloader slot of its server (all of a county's registered
hosts share one), so ``CONCURRENT_REQUESTS_PER_DOMAIN`` and the delays hold per server
however many names it answers to.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

from ..discovery.hosts import SitePolicy, host_of

__all__ = [
    "RefusedRedirect",
    "ServerSlotMiddleware",
    "SiteMetaRefreshMiddleware",
    "SiteOffsiteMiddleware",
    "SiteRedirectMiddleware",
]


class RefusedRedirect(IgnoreRequest):
    """A redirect out of the site: not followed; the hop is recorded with its reason."""

    def __init__(self, url: str, target: str, status: int | str, reason: str) -> None:
        super().__init__(f"{status} to {target}: {reason}")
        self.url = url
        self.target = target
        self.status = status
        self.reason = reason


class SiteOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, per site: a request of one site's crawl may only reach that
    site's hosts; requests without a site (robots.txt) only hosts some site owns."""

    def should_follow(self, request: Request, spider: Spider) -> bool:
        policy = SitePolicy.of(self.crawler)
        site_id = request.meta.get("site_id")
        if site_id is not None and site_id in policy.sites:
            return policy.allows(site_id, request.url)
        return bool(policy.owners(urlparse_cached(request).hostname or ""))


class _SiteBound:
    """Refuse a redirect that leaves the requesting site (see ``SitePolicy.refusal``)."""

    crawler: Crawler

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        site_id = request.meta.get("site_id")
        policy = SitePolicy.of(self.crawler)
        if site_id is not None and site_id in policy.sites:
            refusal = policy.refusal(site_id, redirected.url)
            if refusal is not None:
                if self.crawler.stats is not None:
                    self.crawler.stats.inc_value("gknb/redirects/refused")
                raise RefusedRedirect(request.url, redirected.url, reason, refusal)
        return super()._redirect(redirected, request, reason)  # type: ignore[misc]


class SiteRedirectMiddleware(_SiteBound, RedirectMiddleware):
    """Scrapy's 3xx redirects, refused when they leave the site."""


class SiteMetaRefreshMiddleware(_SiteBound, MetaRefreshMiddleware):
    """Scrapy's ``<meta http-equiv=refresh>`` redirects, refused when they leave the site."""


class ServerSlotMiddleware:
    """Put each request in its server's downloader slot (``SitePolicy.server_key``).

    Redirected and retried requests carry their predecessor's meta: the slot is recomputed
    from each request's own host, never inherited.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ServerSlotMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = host_of(request.url)
        if host:
            request.meta["download_slot"] = SitePolicy.of(self.crawler).server_key(host)
