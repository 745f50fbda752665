"""Thirty synthetic county portals, crawled from nothing but their home pages."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from pathlib import Path

from simulator import Simulator
from simulator.families import Attachment, ReportSpec, build_vsb
from simulator.model import Site
from simulator.scale import registry_toml, synthetic_sites
from tests.conftest import FIXTURES
from tests.crawler.test_crawl import crawl

SEED = 1


def registry(sites: list, path: Path) -> Path:
    """The registry a user would have: a name, a code and a home page — nothing else."""
    path.write_text(registry_toml(sites), "utf-8")
    return path


def test_every_report_of_thirty_portals_from_their_home_pages(tmp_path: Path) -> None:
    sites = synthetic_sites(30, seed=SEED)
    assert set(Counter(s.family for s in sites)) >= {"generic", "trs", "hanweb", "gkmlpt"}
    with Simulator(sites) as sim:
        crawl(sim, tmp_path, "-s", f"GKNB_SITES={registry(sites, tmp_path / 'sites.toml')}")
        unknown = [e.url for e in sim.log.entries() if e.site_id is None]
    expected = {(e.site_id, e.publisher, e.year) for s in sites for e in s.manifest if e.readable}
    db = sqlite3.connect(tmp_path / "reports.db")
    found = set(db.execute("select site_id, publisher, year from reports").fetchall())
    assert len(expected) > 300
    assert found == expected  # recall and precision 100 %
    assert unknown == []  # no request to a host the simulator does not serve
    homes = db.execute("select count(distinct site_id) from site_entry_points where role = 'home'")
    assert homes.fetchone()[0] == 30
    detected = dict(db.execute("select site_id, detected_platform from sites").fetchall())
    for site in sites:
        if site.family in ("trs", "hanweb", "gkmlpt"):
            assert detected[site.site_id] == site.family, site.site_id


def test_documents_waiting_for_a_slow_pool_stay_bounded(tmp_path: Path) -> None:
    """One worker, downloads unthrottled: without the backlog limit ~110 documents waited
    for it at once (each holding its response in memory); with one allowed, downloads pause
    and no more wait than the downloads already under way can bring — and every report is
    still found."""
    sites = synthetic_sites(30, seed=SEED)
    concurrency = 4
    with Simulator(sites) as sim:
        result = crawl(
            sim,
            tmp_path,
            *("-s", f"GKNB_SITES={registry(sites, tmp_path / 'sites.toml')}"),
            *("-s", "GKNB_PARSE_WORKERS=1", "-s", "GKNB_PARSE_BACKLOG=1"),
            *("-s", f"CONCURRENT_REQUESTS={concurrency}"),
            *("-s", "STATS_DUMP=1", "-s", "LOG_LEVEL=INFO"),
        )
    waited = re.search(r"'gknb/parse/waiting_max': (\d+)", result.stderr)
    assert waited is not None, result.stderr[-2000:]
    assert 1 <= int(waited.group(1)) <= 3 * (1 + concurrency)
    expected = {(e.site_id, e.publisher, e.year) for s in sites for e in s.manifest if e.readable}
    db = sqlite3.connect(tmp_path / "reports.db")
    assert set(db.execute("select site_id, publisher, year from reports")) == expected


def test_disclosure_platforms_on_other_hosts_reached_from_the_home_page(tmp_path: Path) -> None:
    # 30 portals whose 年报 live on another host: the county's xxgk. subdomain or a platform
    # under another domain, one or two pages below the home page, beside a decoy link to the
    # prefecture's platform; every family whose pages can carry synthetic reports.
    sites = synthetic_sites(30, seed=SEED, home_only=True)
    assert set(Counter(s.family for s in sites)) == {
        "generic",
        "trs",
        "trs_api",
        "hanweb",
        "gkmlpt",
        "vsb",
        "ucap",
    }
    for site in sites:
        assert all(not e.url.startswith(site.base_url) for e in site.manifest)
    with Simulator(sites) as sim:
        crawl(sim, tmp_path, "-s", f"GKNB_SITES={registry(sites, tmp_path / 'sites.toml')}")
        unknown = sorted({e.url for e in sim.log.entries() if e.site_id is None})
    expected = {(e.site_id, e.publisher, e.year) for s in sites for e in s.manifest if e.readable}
    db = sqlite3.connect(tmp_path / "reports.db")
    found = set(db.execute("select site_id, publisher, year from reports").fetchall())
    assert found == expected  # recall and precision 100 %
    assert unknown == []  # the prefecture decoys were never asked for
    platforms = dict(
        db.execute("select site_id, url from site_entry_points where role = 'disclosure'")
    )
    foreign = {s.site_id: s.hosts[1] for s in sites if not s.hosts[1].startswith("xxgk.county")}
    assert {k: v.split("/")[2] for k, v in platforms.items()} == foreign
    detected = dict(db.execute("select site_id, detected_platform from sites").fetchall())
    for site in sites:
        if site.family in ("trs", "hanweb", "gkmlpt", "trs_api", "vsb", "ucap"):
            assert detected[site.site_id] == site.family, site.site_id


def test_a_vsb_download_script_attachment(tmp_path: Path) -> None:
    # The real 洪泽区 2023 PDF published the VSB way: the report page says 详见附件 and links
    # /system/_content/download.jsp?…&wbfileid=… with the file name only in the link text.
    pdf = (FIXTURES / "pdf" / "002_hongze_qu_2023.pdf").read_bytes()
    spec = ReportSpec(
        "洪泽区人民政府",
        2023,
        "洪泽区人民政府2023年政府信息公开工作年度报告",
        "2024-01-22",
        attachment=Attachment(pdf, "pdf", "application/pdf"),
    )
    site = Site(
        "jiangsu_vsb_demo", "洪泽区人民政府", "320813", "http://www.vsbdemo.gov.cn/", "vsb", ()
    )
    site.hosts = ("www.vsbdemo.gov.cn",)
    built = build_vsb(site, [spec])
    (attachment,) = [e for e in built.manifest if e.kind == "attachment"]
    assert "download.jsp?" in attachment.url and ".pdf" not in attachment.url
    with Simulator([built]) as sim:
        crawl(sim, tmp_path, "-s", f"GKNB_SITES={registry([built], tmp_path / 'sites.toml')}")
    db = sqlite3.connect(tmp_path / "reports.db")
    found = db.execute("select publisher, year, source_url from reports").fetchall()
    assert found == [("洪泽区人民政府", 2023, attachment.url)]
    new = db.execute(
        "select value from report_values where table_name = 'applications' "
        "and row_key = 'new_received' and column_key = 'total' and source = 'table'"
    ).fetchone()
    assert new == (21,)  # as printed in the PDF (its golden file)
