"""The one rule for which hosts and URLs belong to a site, and the sites indexed by host.

A host belongs to a site when it is one of the site's registered hosts or a subdomain of
one (``www.`` dropped first: ``xxgk.hongze.gov.cn`` belongs to a site registered on
``www.hongze.gov.cn``), or when it is a disclosure platform found on the site's own pages
during this crawl.  The registry validation, the spider and the cassette middleware all ask
``belongs`` / ``SitePolicy``; nothing else decides it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from ..sites import Site

__all__ = ["SitePolicy", "belongs", "host_of", "site_domain"]

SCHEMES = ("http", "https")


def site_domain(host: str) -> str:
    """A registered host as the domain its subdomains hang under (``www.`` dropped)."""
    return host.lower().rstrip(".").removeprefix("www.")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").rstrip(".")


def belongs(host: str, hosts: Iterable[str]) -> bool:
    """``host`` is one of ``hosts`` or a subdomain of one (``www.`` dropped)."""
    host = host.lower().rstrip(".")
    for registered in hosts:
        registered = registered.lower().rstrip(".")
        domain = site_domain(registered)
        if host in (registered, domain) or host.endswith("." + domain):
            return True
    return False


_POLICIES: weakref.WeakKeyDictionary[Crawler, SitePolicy] = weakref.WeakKeyDictionary()


class SitePolicy:
    """The sites of a registry, indexed by id and by host, with the platforms found so far."""

    def __init__(self, sites: Iterable[Site]) -> None:
        self.sites: dict[str, Site] = {}
        self._by_domain: dict[str, list[str]] = {}
        self.platforms: dict[str, set[str]] = {}
        for site in sites:
            self.sites[site.site_id] = site
            for host in site.allowed_hosts:
                self._index(site_domain(host), site.site_id)

    @classmethod
    def of(cls, crawler: Crawler) -> SitePolicy:
        """The crawl's one policy, built from its ``GKNB_SITES`` registry on first use."""
        if crawler not in _POLICIES:
            from ..sites import load_sites, registry_path

            registry = registry_path(crawler.settings.get("GKNB_SITES"))
            _POLICIES[crawler] = cls(load_sites(registry))
        return _POLICIES[crawler]

    def _index(self, domain: str, site_id: str) -> None:
        owners = self._by_domain.setdefault(domain, [])
        if site_id not in owners:
            owners.append(site_id)

    def site(self, site_id: str) -> Site:
        return self.sites[site_id]

    def owners(self, host: str) -> list[str]:
        """The sites a host belongs to (itself or a parent domain registered or found)."""
        labels = host.lower().rstrip(".").split(".")
        for start in range(len(labels) - 1):
            owners = self._by_domain.get(".".join(labels[start:]))
            if owners:
                return owners
        return []

    def registered(self, site_id: str, host: str) -> bool:
        """``host`` is one of the site's registered hosts or a subdomain of one."""
        return belongs(host, self.sites[site_id].allowed_hosts)

    def owns(self, site_id: str, host: str) -> bool:
        """``host`` belongs to the site: registered, a subdomain, or a platform found."""
        return self.registered(site_id, host) or host.lower() in self.platforms.get(site_id, ())

    def allows(self, site_id: str, url: str) -> bool:
        """The crawl of ``site_id`` may fetch ``url``: http(s) on a host of the site."""
        parts = urlsplit(url)
        return parts.scheme in SCHEMES and self.owns(site_id, host_of(url))

    def refusal(self, site_id: str, url: str) -> str | None:
        """Why the crawl of ``site_id`` may not fetch ``url`` (None when it may)."""
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES:
            return f"not an http(s) URL: {parts.scheme or 'no'} scheme"
        host = host_of(url)
        if self.owns(site_id, host):
            return None
        others = [owner for owner in self.registered_owners(host) if owner != site_id]
        if others:
            return f"{host} belongs to another registered site ({others[0]})"
        return f"{host} is not a host of {site_id}"

    def registered_owners(self, host: str) -> list[str]:
        """The sites whose registered hosts ``host`` is (or is a subdomain of)."""
        labels = host.lower().rstrip(".").split(".")
        found: list[str] = []
        for start in range(len(labels) - 1):
            for owner in self._by_domain.get(".".join(labels[start:]), ()):
                if owner not in found and self.registered(owner, host):
                    found.append(owner)
        return found

    def server_key(self, host: str) -> str:
        """The downloader slot of ``host``: one per county (all its registered hosts and
        their subdomains share one server's limits), else the host without ``www.``."""
        owners = self.registered_owners(host)
        return f"site:{owners[0]}" if owners else site_domain(host)

    def add_platform(self, site_id: str, host: str) -> bool:
        """A disclosure platform on another host, found on the site's own pages; False when
        the host already belonged to the site or belongs to another registered site (that
        site's own crawl reads it; a link never moves a host from one site to another)."""
        host = host.lower()
        if self.owns(site_id, host) or self.registered_owners(host):
            return False
        self.platforms.setdefault(site_id, set()).add(host)
        self._index(host, site_id)
        return True

    def site_of_url(self, url: str) -> str | None:
        """The site a URL belongs to (the first registered, when several share a host)."""
        owners = self.owners(host_of(url))
        return owners[0] if owners else None
