"""Each site's crawl stays on its own hosts, each server sees the limits it asked for, and
every HTTP exchange of a crawl is a ``fetches`` row — measured on the simulator's side."""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter
from datetime import datetime
from pathlib import Path

from simulator import Simulator, demo_sites
from simulator.faults import FaultPlan
from simulator.model import Resource
from simulator.scale import synthetic_sites
from tests.crawler.test_crawl import crawl
from tests.crawler.test_scale_crawl import registry

MINQUAN = "henan_shangqiu_minquan"


def fetches(workdir: Path, sql: str = "select * from fetches") -> list[sqlite3.Row]:
    connection = sqlite3.connect(workdir / "reports.db")
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def times(sim: Simulator, site_id: str) -> list[float]:
    return [datetime.fromisoformat(e.time).timestamp() for e in sim.log.entries(site_id)]


def test_every_exchange_of_a_crawl_is_a_fetch_row(tmp_path: Path) -> None:
    # Was: robots.txt, navigation pages and list-API answers left no row (40 of 182).
    with Simulator(demo_sites()) as sim:
        crawl(sim, tmp_path)
        served = Counter(e.url for e in sim.log.entries())
    rows = fetches(tmp_path)
    recorded = Counter(r["url"] for r in rows)
    assert recorded == served
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["robots"] == len({url.split("/")[2] for url in served})  # once per host
    assert kinds["page"] > 0 and kinds["list"] > 0  # navigation pages and list APIs
    assert all(r["attempts"] == 1 for r in rows if r["kind"] != "redirect")


def test_redirect_hops_are_rows_and_hops_out_of_the_site_are_refused(tmp_path: Path) -> None:
    sites = demo_sites()
    minquan = next(s for s in sites if s.site_id == MINQUAN)
    home = "http://www.minquan.gov.cn/"
    minquan.resources[("www.minquan.gov.cn", "/portal/")] = minquan.resources[
        ("www.minquan.gov.cn", "/")
    ]
    reports = sorted(e.url for e in minquan.manifest if e.kind == "report_page")
    paths = ["/" + url.split("/", 3)[3] for url in reports[:2]]
    plan = FaultPlan.from_dict(
        {
            "fault": [
                # Within the site: followed, and the hop is a row.
                {"kind": "redirect_offsite", "path": "/", "location": home + "portal/"},
                # To another registered county's host: refused (that site's own crawl reads it).
                {
                    "kind": "redirect_offsite",
                    "path": paths[0],
                    "location": "http://www.huaian.gov.cn/",
                },
                # To a host no site has: refused.
                {
                    "kind": "redirect_offsite",
                    "path": paths[1],
                    "location": "http://www.example-mirror.com/report.html",
                },
            ]
        }
    )
    with Simulator(sites, faults=plan) as sim:
        crawl(sim, tmp_path, "-a", f"site={MINQUAN}")
        elsewhere = [e.url for e in sim.log.entries() if e.site_id != MINQUAN]
    assert elsewhere == []  # nothing was asked of another site or an unknown host
    rows = fetches(tmp_path)
    hops = [(r["url"], r["final_url"], r["status"]) for r in rows if r["kind"] == "redirect"]
    assert hops == [(home, home + "portal/", 302)]
    # The exchange that answered: a row of its own, and the site's home as it was asked for.
    home_row = next(r for r in rows if r["kind"] == "home")
    assert (home_row["url"], home_row["status"]) == (home + "portal/", 200)
    entry = fetches(tmp_path, "select * from site_entry_points where role = 'home'")
    assert [(e["requested_url"], e["url"]) for e in entry] == [(home, home + "portal/")]
    refused = {
        r["url"]: (r["status"], r["final_url"], r["error_detail"])
        for r in rows
        if r["error_kind"] == "refused_redirect"
    }
    assert set(refused) == set(reports[:2])
    assert refused[reports[0]][:2] == (302, "http://www.huaian.gov.cn/")
    assert "another registered site (jiangsu_huaian)" in refused[reports[0]][2]
    assert refused[reports[1]][1] == "http://www.example-mirror.com/report.html"
    assert "not a host of" in refused[reports[1]][2]
    sites_stored = {r["site_id"] for r in fetches(tmp_path, "select site_id from reports")}
    assert sites_stored == {MINQUAN}


def test_a_server_with_many_names_gets_two_requests_at_once(tmp_path: Path) -> None:
    # Each county answers as www.<county> and as xxgk.<county> (or its platform host); every
    # answer is slow, so that a crawler's concurrency shows on the server's side.
    sites = [s for s in synthetic_sites(8, seed=2, home_only=True) if "xxgk." in s.hosts[1]]
    plan = FaultPlan.from_dict({"fault": [{"kind": "delay", "seconds": 0.3}]})
    with Simulator(sites, faults=plan) as sim:
        crawl(
            sim,
            tmp_path,
            "-s",
            f"GKNB_SITES={registry(sites, tmp_path / 'sites.toml')}",
            "-s",
            "CONCURRENT_REQUESTS=32",
        )
        peaks = dict(sim.peak_in_flight)
    assert {s.site_id for s in sites} <= set(peaks)
    assert max(peaks.values()) == 2, peaks  # the limit was reached, never passed


def test_crawl_delay_and_retry_after_are_obeyed(tmp_path: Path) -> None:
    sites = demo_sites()
    minquan = next(s for s in sites if s.site_id == MINQUAN)
    minquan.add(
        "http://www.minquan.gov.cn/robots.txt",
        Resource(b"User-agent: *\nCrawl-delay: 0.5\nAllow: /\n", "text/plain"),
    )
    report = sorted(e.url for e in minquan.manifest if e.kind == "report_page")[0]
    plan = FaultPlan.from_dict(
        {
            "fault": [
                {
                    "kind": "status",
                    "status": 503,
                    "retry_after": 2,
                    "attempts": [1],
                    "path": "/" + report.split("/", 3)[3],
                }
            ]
        }
    )
    with Simulator(sites, faults=plan) as sim:
        crawl(
            sim,
            tmp_path,
            "-a",
            f"site={MINQUAN}",
            "-s",
            "AUTOTHROTTLE_ENABLED=1",  # the throttle may not go below the Crawl-delay either
            "-s",
            "AUTOTHROTTLE_START_DELAY=0",
        )
        started = times(sim, MINQUAN)
        attempts = [
            datetime.fromisoformat(e.time).timestamp()
            for e in sim.log.entries(MINQUAN)
            if e.url == report
        ]
    gaps = [b - a for a, b in itertools.pairwise(started[1:])]  # after robots.txt
    assert len(gaps) >= 5 and min(gaps) >= 0.45, gaps
    assert len(attempts) == 2 and attempts[1] - attempts[0] >= 1.9, attempts
    rows = fetches(tmp_path, f"select * from fetches where url = '{report}'")
    assert [(r["status"], r["attempts"]) for r in rows] == [(200, 2)]
