"""The spider's host rules: own hosts and subdomains, platforms named for the county only."""

from __future__ import annotations

from crawler.discovery.hosts import SitePolicy
from crawler.sites import Site
from crawler.spiders.reports import ReportsSpider

HONGZE = Site(
    site_id="jiangsu_huaian_hongze",
    division_code="320813",
    name="洪泽区",
    base_url="http://www.hongze.gov.cn/",
    platform="generic",
    allowed_hosts=("www.hongze.gov.cn",),
)
HOME = "http://www.hongze.gov.cn/"


def spider() -> ReportsSpider:
    s = ReportsSpider()
    s.use_policy(SitePolicy([HONGZE]))
    return s


def test_own_hosts_and_their_subdomains() -> None:
    s = spider()
    assert s._allowed(HONGZE, "http://www.hongze.gov.cn/zwgk/")
    assert s._allowed(HONGZE, "https://xxgk.hongze.gov.cn/ndbg/")
    assert not s._allowed(HONGZE, "http://www.huaian.gov.cn/")
    assert not s._allowed(HONGZE, "ftp://www.hongze.gov.cn/")
    assert s.allowed_domains == ["hongze.gov.cn"]


def test_a_platform_host_named_for_the_county_is_allowed() -> None:
    s = spider()
    url = "http://xxgk.huaian.gov.cn/hongze/index.html"
    assert s._discover_platform(HONGZE, HOME, url, "政府信息公开")
    assert s._allowed(HONGZE, "http://xxgk.huaian.gov.cn/hongze/ndbg/")
    assert "xxgk.huaian.gov.cn" in s.allowed_domains
    # By the link text instead of the URL.
    assert s._discover_platform(HONGZE, HOME, "http://gk.jsxx.gov.cn/a/", "洪泽区政务公开")


def test_other_governments_and_other_hosts_are_not() -> None:
    s = spider()
    # The prefecture's 政务公开, linked from the county's footer: not named for the county.
    assert not s._discover_platform(HONGZE, HOME, "http://www.huaian.gov.cn/zwgk/", "政务公开")
    # Not a gov.cn host, however it is named.
    assert not s._discover_platform(HONGZE, HOME, "http://hongze.example.com/", "洪泽区政务公开")
    # Not a disclosure link.
    assert not s._discover_platform(HONGZE, HOME, "http://xxgk.huaian.gov.cn/hongze/", "首页")
    # Found on a platform host, not on the county's own pages: no chaining of hosts.
    page = "http://xxgk.huaian.gov.cn/hongze/index.html"
    assert not s._discover_platform(HONGZE, page, "http://gk.hongze.js.gov.cn/", "洪泽区政务公开")
    assert s.policy.platforms == {}
