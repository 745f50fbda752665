"""Names that resolve to private addresses are refused, unless they are the user's proxies."""

from __future__ import annotations

import pytest
from scrapy.resolver import dnscache
from twisted.internet import reactor

from crawler.resolver import PrivateAddressError, PublicResolver, check_public, proxy_hosts


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "::1", "fd00::1"],
)
def test_private_loopback_and_link_local_addresses_are_refused(address: str) -> None:
    with pytest.raises(PrivateAddressError, match="not a public address"):
        check_public(address, "www.example.gov.cn")


def test_public_addresses_pass() -> None:
    assert check_public("202.96.128.86", "www.example.gov.cn") == "202.96.128.86"
    assert check_public("2400:3200::1", "www.example.gov.cn") == "2400:3200::1"


def outcome(resolver: PublicResolver, name: str) -> object:
    results: list[object] = []
    resolver.getHostByName(name).addBoth(results.append)
    assert results, "a cached name answers at once"
    return results[0]


def test_the_resolver_checks_every_answer_cached_or_not() -> None:
    dnscache["rebound.example.gov.cn"] = "10.0.0.7"  # a DNS answer pointing inward
    dnscache["www.example.gov.cn"] = "202.96.128.86"
    dnscache["proxy.internal"] = "10.0.0.8"
    try:
        strict = PublicResolver(
            reactor, 100, 5.0, exempt=proxy_hosts(["http://proxy.internal:3128"])
        )
        refused = outcome(strict, "rebound.example.gov.cn")
        assert isinstance(getattr(refused, "value", None), PrivateAddressError)
        assert outcome(strict, "www.example.gov.cn") == "202.96.128.86"
        assert outcome(strict, "proxy.internal") == "10.0.0.8"  # the user's proxy
        lenient = PublicResolver(reactor, 100, 5.0, allow_private=True)
        assert outcome(lenient, "rebound.example.gov.cn") == "10.0.0.7"
    finally:
        for name in ("rebound.example.gov.cn", "www.example.gov.cn", "proxy.internal"):
            dnscache.pop(name, None)


def test_proxy_hosts_from_urls_and_bare_host_ports() -> None:
    assert proxy_hosts(["http://127.0.0.1:8080", "Proxy.Corp:3128", ""]) == {
        "127.0.0.1",
        "proxy.corp",
    }
