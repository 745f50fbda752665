"""One rule for the hosts of a site: the registry, the spider and the cassette middleware agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.discovery.hosts import SitePolicy, belongs
from crawler.middlewares.cassette import CassetteMiddleware
from crawler.sites import RegistryError, load_sites
from crawler.spiders.reports import ReportsSpider

REGISTRY = """
[[site]]
site_id = "jiangsu_huaian_hongze"
division_code = "320813"
name = "洪泽区人民政府"
base_url = "http://www.hongze.gov.cn/"
allowed_hosts = ["www.hongze.gov.cn"]
entry_urls = ["{entry}"]

[[site]]
site_id = "jiangsu_huaian"
division_code = "320800"
name = "淮安市人民政府"
base_url = "http://www.huaian.gov.cn/"
"""

# (host, belongs to the site registered on www.hongze.gov.cn)
CASES = [
    ("www.hongze.gov.cn", True),
    ("hongze.gov.cn", True),
    ("xxgk.hongze.gov.cn", True),
    ("a.b.hongze.gov.cn", True),
    ("WWW.HONGZE.GOV.CN", True),
    ("www.hongze.gov.cn.", True),
    ("hongze.gov.cn.evil.com", False),
    ("xhongze.gov.cn", False),
    ("www.huaian.gov.cn", False),
    ("gov.cn", False),
]


def registry(tmp_path: Path, entry: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(REGISTRY.format(entry=entry), "utf-8")
    return path


@pytest.mark.parametrize(("host", "expected"), CASES)
def test_the_rule(host: str, expected: bool) -> None:
    assert belongs(host, ["www.hongze.gov.cn"]) is expected


@pytest.mark.parametrize(("host", "expected"), CASES)
def test_registry_spider_and_cassette_agree(tmp_path: Path, host: str, expected: bool) -> None:
    url = f"http://{host}/ndbg/"
    path = registry(tmp_path, url)
    try:
        sites = load_sites(path)
        registry_accepts = True
    except RegistryError:
        registry_accepts = False
    assert registry_accepts is expected
    sites = load_sites(registry(tmp_path, "http://www.hongze.gov.cn/ndbg/"))
    crawler = get_crawler(ReportsSpider, {"GKNB_SITES": str(tmp_path / "sites.toml")})
    spider = ReportsSpider.from_crawler(crawler)
    hongze = next(s for s in sites if s.site_id == "jiangsu_huaian_hongze")
    assert spider._allowed(hongze, url) is expected
    middleware = CassetteMiddleware("replay", tmp_path, crawler)
    robots = Request(f"http://{host}/robots.txt")  # carries no site of its own
    assert (middleware._site_id(robots) == "jiangsu_huaian_hongze") is expected


def test_the_xxgk_entry_url_is_accepted_everywhere(tmp_path: Path) -> None:
    """Was: the registry rejected an entry on xxgk.<county> that the spider crawled."""
    path = registry(tmp_path, "http://xxgk.hongze.gov.cn/ndbg/")
    site = next(s for s in load_sites(path) if s.site_id == "jiangsu_huaian_hongze")
    assert site.entry_urls == ("http://xxgk.hongze.gov.cn/ndbg/",)
    policy = SitePolicy(load_sites(path))
    assert policy.allows(site.site_id, "http://xxgk.hongze.gov.cn/ndbg/")


def test_sites_are_found_by_host_without_a_scan() -> None:
    sites = [
        *load_sites(Path("crawler/registry/china.csv")),
    ]
    policy = SitePolicy(sites)
    hongze = next(s for s in sites if s.name.startswith("洪泽区"))
    host = hongze.allowed_hosts[0]
    assert policy.site_of_url(f"http://{host}/a.html") == hongze.site_id
    assert policy.site_of_url(f"https://xxgk.{host.removeprefix('www.')}/") == hongze.site_id
    assert policy.site_of_url("http://www.example.com/") is None


def test_a_platform_found_belongs_to_its_site_only(tmp_path: Path) -> None:
    policy = SitePolicy(load_sites(registry(tmp_path, "http://www.hongze.gov.cn/")))
    assert policy.add_platform("jiangsu_huaian_hongze", "xxgk.jsgk.gov.cn")
    assert not policy.add_platform("jiangsu_huaian_hongze", "xxgk.hongze.gov.cn")  # its own
    assert policy.allows("jiangsu_huaian_hongze", "https://xxgk.jsgk.gov.cn/hongze/")
    assert not policy.allows("jiangsu_huaian", "https://xxgk.jsgk.gov.cn/hongze/")
    assert policy.site_of_url("http://xxgk.jsgk.gov.cn/robots.txt") == "jiangsu_huaian_hongze"
    assert not policy.allows("jiangsu_huaian_hongze", "ftp://www.hongze.gov.cn/")


def test_another_registered_sites_host_is_never_a_platform(tmp_path: Path) -> None:
    # Was: a link whose label named the county made the prefecture's host allowed to it.
    policy = SitePolicy(load_sites(registry(tmp_path, "http://www.hongze.gov.cn/")))
    for host in ("www.huaian.gov.cn", "xxgk.huaian.gov.cn", "huaian.gov.cn"):
        assert not policy.add_platform("jiangsu_huaian_hongze", host)
        assert not policy.allows("jiangsu_huaian_hongze", f"http://{host}/hongze/")
    assert policy.platforms == {}


def test_why_a_url_is_refused(tmp_path: Path) -> None:
    policy = SitePolicy(load_sites(registry(tmp_path, "http://www.hongze.gov.cn/")))
    hongze = "jiangsu_huaian_hongze"
    assert policy.refusal(hongze, "https://xxgk.hongze.gov.cn/a.html") is None
    assert "another registered site (jiangsu_huaian)" in str(
        policy.refusal(hongze, "http://xxgk.huaian.gov.cn/")
    )
    assert "is not a host of" in str(policy.refusal(hongze, "http://www.example.com/"))
    assert "not an http(s) URL" in str(policy.refusal(hongze, "file:///etc/passwd"))
    assert "not a host of" in str(policy.refusal(hongze, "http://127.0.0.1/"))


def test_a_county_is_one_server_whatever_its_names(tmp_path: Path) -> None:
    policy = SitePolicy(load_sites(registry(tmp_path, "http://www.hongze.gov.cn/")))
    names = ("www.hongze.gov.cn", "xxgk.hongze.gov.cn", "hongze.gov.cn")
    keys = {policy.server_key(host) for host in names}
    assert keys == {"site:jiangsu_huaian_hongze"}
    assert policy.server_key("www.huaian.gov.cn") == "site:jiangsu_huaian"
    # A platform host is its own server (shared by the counties it serves).
    policy.add_platform("jiangsu_huaian_hongze", "www.jsgk.gov.cn")
    assert policy.server_key("www.jsgk.gov.cn") == policy.server_key("jsgk.gov.cn") == "jsgk.gov.cn"
