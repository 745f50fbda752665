"""Scrapy's caching DNS resolver, refusing names that resolve to private addresses.

A portal host that resolves to loopback, a private network, link-local (cloud metadata
services), multicast or reserved space is refused: a crawl of public portals has no business
there, and a hostile registry entry or DNS answer must not turn the crawler on its own network.
The hosts of configured proxies are exempt (the user chose them; the simulator is one), and
``GKNB_ALLOW_PRIVATE_ADDRESSES = True`` turns the check off (crawling a mirror on a private
network). Literal IP addresses are never resolved; they are never a registered site's host,
so the site policy refuses them first.
"""

from __future__ import annotations

import ipaddress
import urllib.request
from collections.abc import Iterable, Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

__all__ = ["PrivateAddressError", "PublicResolver", "check_public"]


class PrivateAddressError(DNSLookupError):
    """A host that resolves to an address a public portal cannot have."""


def check_public(address: str, name: str) -> str:
    """``address`` when it is a global one; else ``PrivateAddressError``."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        raise PrivateAddressError(f"{name} resolves to {address!r}, not an address") from None
    if not ip.is_global:
        raise PrivateAddressError(f"{name} resolves to {address}, not a public address")
    return address


def proxy_hosts(proxies: Iterable[str]) -> frozenset[str]:
    hosts = set()
    for url in proxies:
        host = urllib.request.urlparse(url if "//" in url else f"//{url}").hostname
        if host:
            hosts.add(host.lower())
    return frozenset(hosts)


class PublicResolver(CachingThreadedResolver):
    def __init__(
        self,
        reactor: Any,
        cache_size: int,
        timeout: float,
        *,
        allow_private: bool = False,
        exempt: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.allow_private = allow_private
        self.exempt = exempt

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> PublicResolver:
        settings = crawler.settings  # as Scrapy's own resolver reads them
        return cls(
            reactor,
            settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0,
            settings.getfloat("DNS_TIMEOUT"),
            allow_private=settings.getbool("GKNB_ALLOW_PRIVATE_ADDRESSES"),
            exempt=proxy_hosts(urllib.request.getproxies().values()),
        )

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        resolved = super().getHostByName(name, timeout)
        if not self.allow_private and name.lower().rstrip(".") not in self.exempt:
            resolved.addCallback(check_public, name)
        return resolved
