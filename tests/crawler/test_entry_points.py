"""Where a crawl gets in: the home page, and the site's alternative URL when it fails."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from simulator import Simulator, demo_sites
from simulator.faults import FaultPlan
from simulator.scale import registry_toml, synthetic_sites
from tests.crawler.test_crawl import crawl

# 洪泽区 as the national registry has it: the portal registered on one scheme, the other one
# as its alternative. The simulator serves the portal on both.
REGISTRY = """
[[site]]
site_id = "jiangsu_huaian_hongze"
division_code = "320813"
name = "洪泽区"
province = "江苏省"
prefecture = "淮安市"
base_url = "https://www.hongze.gov.cn/"
alt_urls = ["http://www.hongze.gov.cn/"]
"""


def entry_points(workdir: Path, role: str = "home") -> list[tuple[str, str, str]]:
    db = sqlite3.connect(workdir / "reports.db")
    return db.execute(
        "select role, requested_url, url from site_entry_points where role = ? "
        "order by first_found, url",
        [role],
    ).fetchall()


def reports(workdir: Path) -> set[tuple[str, int]]:
    db = sqlite3.connect(workdir / "reports.db")
    return set(db.execute("select publisher, year from reports").fetchall())


MINQUAN = {("民权县人民政府", 2021), ("民权县教育体育局", 2021), ("人和镇人民政府", 2021)}
HONGZE = {("洪泽区人民政府", 2023), ("淮安市洪泽区人民政府", 2024)}


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "status", "status": 403},  # the https home page refuses
        {"kind": "reset"},  # the https connection breaks (as a TLS failure does)
    ],
)
def test_a_failing_home_page_is_tried_at_the_alternative_url(
    tmp_path: Path, fault: dict[str, object]
) -> None:
    registry = tmp_path / "sites.toml"
    registry.write_text(REGISTRY, "utf-8")
    plan = FaultPlan.from_dict(
        {"fault": [{"site": "jiangsu_huaian_hongze", "path": "/", "scheme": "https", **fault}]}
    )
    with Simulator(demo_sites(), faults=plan) as sim:
        crawl(sim, tmp_path, "-s", f"GKNB_SITES={registry}", "-s", "RETRY_TIMES=0")
        homes = [e for e in sim.log.entries() if e.url.rstrip("/").endswith("hongze.gov.cn")]
    # The registered https home page fails (a connection may be retried by the HTTP client
    # itself); then, and only then, the alternative is asked, and answers.
    https = [e for e in homes if e.url.startswith("https:")]
    http = [e for e in homes if e.url.startswith("http:")]
    assert https and all(e.status != 200 for e in https)
    if fault["kind"] == "status":
        assert [e.status for e in https] == [403]
    assert [e.status for e in http] == [200]
    assert homes.index(http[0]) > homes.index(https[-1])
    assert entry_points(tmp_path) == [
        ("home", "http://www.hongze.gov.cn/", "http://www.hongze.gov.cn/")
    ]
    assert reports(tmp_path) == HONGZE  # the crawl went on from the alternative
    db = sqlite3.connect(tmp_path / "reports.db")
    failed = db.execute("select url, kind, error from fetches where kind = 'home'").fetchall()
    assert failed[0][0] == "https://www.hongze.gov.cn/" and failed[0][2]  # kept, with a reason


def test_a_working_home_page_is_recorded_and_not_tried_twice(tmp_path: Path) -> None:
    registry = tmp_path / "sites.toml"
    registry.write_text(REGISTRY, "utf-8")
    with Simulator(demo_sites()) as sim:
        crawl(sim, tmp_path, "-s", f"GKNB_SITES={registry}")
        crawl(sim, tmp_path, "-s", f"GKNB_SITES={registry}")
        asked = {e.url for e in sim.log.entries()}
    assert "http://www.hongze.gov.cn/" not in asked
    assert entry_points(tmp_path) == [
        ("home", "https://www.hongze.gov.cn/", "https://www.hongze.gov.cn/")
    ]
    db = sqlite3.connect(tmp_path / "reports.db")
    first, last = db.execute("select first_found, last_found from site_entry_points").fetchone()
    assert first <= last
    assert reports(tmp_path) == HONGZE


def test_the_year_report_columns_are_recorded_and_crawled_first_next_time(tmp_path: Path) -> None:
    with Simulator(demo_sites()) as sim:
        crawl(sim, tmp_path, "-a", "site=henan_shangqiu_minquan")
        columns = [url for _, _, url in entry_points(tmp_path, "column")]
        # 民权县: the government's 年报 column and the 部门/乡镇 sub-columns (教育体育局, 人和镇).
        assert "http://www.minquan.gov.cn/zwgk/ndbg/index.html" in columns
        assert any("/zwgk/bmnb/" in url for url in columns)
        assert not [url for url in columns if "index_" in url]  # first pages, not pagination
        # The portal is redesigned: the home page no longer leads to the 年报 column.
        site = next(s for s in sim.sites if s.site_id == "henan_shangqiu_minquan")
        home = site.resources[("www.minquan.gov.cn", "/")]
        site.resources[("www.minquan.gov.cn", "/")] = replace(
            home, body=re.sub(rb'<a [^>]*href="[^"]*zwgk[^"]*"[^>]*>.*?</a>', b"", home.body)
        )
        sim.log.clear()
        crawl(sim, tmp_path, "-a", "site=henan_shangqiu_minquan", "-a", "full=1")
        asked = [e.url for e in sim.log.entries()]
    assert "http://www.minquan.gov.cn/zwgk/ndbg/index.html" in asked  # via the stored column
    assert reports(tmp_path) == MINQUAN


def test_a_platform_found_before_is_crawled_when_the_link_to_it_is_gone(tmp_path: Path) -> None:
    site = next(
        s for s in synthetic_sites(4, seed=3, home_only=True) if "zwgkpt" in s.hosts[1]
    )  # its disclosure platform lives under another domain
    registry = tmp_path / "sites.toml"
    registry.write_text(registry_toml([site]), "utf-8")
    expected = {(e.publisher, e.year) for e in site.manifest if e.readable}
    with Simulator([site]) as sim:
        crawl(sim, tmp_path, "-s", f"GKNB_SITES={registry}")
        assert reports(tmp_path) == expected
        # The county redesigns its home page: no way to the platform from it any more.
        home = (site.hosts[0], "/")
        site.resources[home] = replace(site.resources[home], body=b"<html><body></body></html>")
        site.resources.pop((site.hosts[0], "/zwgk/index.html"), None)
        sim.log.clear()
        crawl(sim, tmp_path, "-s", f"GKNB_SITES={registry}", "-a", "full=1")
        asked = {e.url for e in sim.log.entries()}
    assert any(site.hosts[1] in url for url in asked)  # the stored platform's columns
    assert reports(tmp_path) == expected
