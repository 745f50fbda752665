"""The crawl end to end: ``scrapy crawl reports`` against the live simulator, scored exactly.

Recall and precision come from the simulator's manifest; provenance from the fetches; the
figures must equal the golden files; the second crawl downloads no unchanged document.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from simulator import Simulator, demo_sites
from simulator.model import split_url
from tests.conftest import FIXTURES, expected_table_cells
from tests.crawler.replay import GOLDEN, QUICK

ROOT = Path(__file__).resolve().parents[2]


def crawl(sim: Simulator, workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "http_proxy": sim.proxy_url, "https_proxy": sim.proxy_url}
    env.pop("no_proxy", None)
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "reports",
        "-s",
        "GKNB_SITES=demo",
        "-s",
        f"GKNB_DATABASE={workdir / 'reports.db'}",
        "-s",
        f"GKNB_RAW_DIR={workdir / 'raw'}",
        *QUICK,
        *args,
    ]
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


FIRST_CRAWL: dict[str, int] = {}  # what the first crawl of the demo portals downloaded


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Simulator, Path]]:
    workdir = tmp_path_factory.mktemp("crawl")
    with Simulator(demo_sites()) as sim:
        crawl(sim, workdir)
        FIRST_CRAWL["bytes"] = sum(e.bytes for e in sim.log.entries())
        yield sim, workdir


def rows(workdir: Path, sql: str, *params: object) -> list[sqlite3.Row]:
    connection = sqlite3.connect(workdir / "reports.db")
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def test_recall_and_precision_against_the_manifest(world: tuple[Simulator, Path]) -> None:
    sim, workdir = world
    manifest = [e for site in sim.sites for e in site.manifest]
    expected = {(e.site_id, e.publisher, e.year) for e in manifest if e.readable}
    found = {
        (r["site_id"], r["publisher"], r["year"]) for r in rows(workdir, "select * from reports")
    }
    assert found == expected  # recall and precision 100 % (reports)
    sources = {r["url"] for r in rows(workdir, "select url from report_sources")}
    assert sources == {e.url for e in manifest if e.readable}  # every copy, nothing else
    fetched = {r["url"] for r in rows(workdir, "select url from fetches where status = 200")}
    assert {e.url for e in manifest} <= fetched  # the unreadable scan was fetched too


def test_copies_are_one_report(world: tuple[Simulator, Path]) -> None:
    _, workdir = world
    copies = rows(
        workdir,
        "select count(*) as n, sum(primary_source) as primary_sources from report_sources s "
        "join reports r using (report_id) where r.publisher = '民权县人民政府' and r.year = 2021",
    )[0]
    assert (copies["n"], copies["primary_sources"]) == (4, 1)  # HTML, PDF, large PDF, DOCX


def test_provenance_of_every_report(world: tuple[Simulator, Path]) -> None:
    _, workdir = world
    for report in rows(workdir, "select * from reports"):
        fetch = rows(
            workdir,
            "select * from fetches where final_url = ? and sha256 = ?",
            report["source_url"],
            report["sha256"],
        )[0]
        for column in (
            "url",
            "final_url",
            "status",
            "content_type",
            "sha256",
            "fetched_at",
            "referer",
            "etag",
            "last_modified",
        ):
            assert fetch[column], (report["source_url"], column)
        assert fetch["fetched_at"].endswith("+00:00")
        assert report["parser_version"] and report["fetched_at"]
        raw = workdir / "raw" / report["sha256"][:2] / report["sha256"]
        assert raw.exists()


@pytest.mark.parametrize(("publisher", "year", "golden"), GOLDEN)
def test_stored_figures_equal_the_golden_files(
    world: tuple[Simulator, Path], publisher: str, year: int, golden: str
) -> None:
    _, workdir = world
    data = json.loads((FIXTURES / golden).read_text("utf-8"))
    values = rows(
        workdir,
        "select table_name, row_key, column_key, value from report_figures "
        "where publisher = ? and year = ? and source = 'table'",
        publisher,
        year,
    )
    got = {(v["table_name"], v["row_key"], v["column_key"]): v["value"] for v in values}
    assert got == {k: v for k, v in expected_table_cells(data).items() if v is not None}


def test_failures_are_kept_with_reasons(world: tuple[Simulator, Path]) -> None:
    _, workdir = world
    scan = rows(workdir, "select d.error from documents d where d.error like 'scanned_pdf%'")
    assert len(scan) == 1
    missing = rows(workdir, "select * from fetches where status = 404")
    assert missing and all(m["error"] for m in missing)


def test_never_leaves_the_allowed_hosts(world: tuple[Simulator, Path]) -> None:
    sim, _ = world
    assert all(entry.site_id is not None for entry in sim.log.entries())  # no unknown host asked


def test_a_crawl_the_same_day_asks_for_no_document_it_has(world: tuple[Simulator, Path]) -> None:
    """GKNB_FRESH_DAYS (1 by default): documents and navigation pages given or confirmed
    today, robots.txt and links found dead today are not asked for again — their stored
    answers stand in, and a report page's attachments are still followed.
    (A document that failed is asked for again: tests/crawler/middlewares/test_conditional.py.)"""
    sim, workdir = world
    documents = {e.url for site in sim.sites for e in site.manifest}
    good = {
        r["url"]
        for r in rows(workdir, "select url from fetches where status = 200 and error is null")
    }
    kept = "status = 200 and error is null and sha256 is not null"
    homes = {
        r["url"]
        for r in rows(
            workdir, f"select url from fetches where kind in ('home', 'disclosure') and {kept}"
        )
    }
    columns = {
        r["url"] for r in rows(workdir, f"select url from fetches where kind = 'column' and {kept}")
    }
    robots = {
        r["url"]
        for r in rows(workdir, "select url from fetches where kind = 'robots' and status = 200")
    }
    gone = {
        r["url"]
        for r in rows(workdir, "select url from fetches where kind = 'page' and status = 404")
    }
    fetch_rows = len(rows(workdir, "select id from fetches"))
    reports = rows(workdir, "select report_id, sha256, fetched_at from reports order by 1")
    sim.log.clear()
    crawl(sim, workdir)
    everything = {e.url for e in sim.log.entries()}
    # robots.txt is kept a day (RFC 9309), a link that was dead today stays dead today.
    assert robots and not (robots & everything)
    assert gone and not (gone & everything)
    asked = everything & documents
    assert documents & good and not (asked & good)  # none of the good ones asked for
    assert asked == (documents - good) & everything
    # Navigation pages likewise; the 年报 columns (where new reports appear) are asked for.
    assert homes and not (homes & everything)
    assert columns and columns <= everything
    # Nothing happened to what is stored: no fetch rows for what was not asked for.
    new_rows = {r["url"] for r in rows(workdir, "select url from fetches order by id")[fetch_rows:]}
    assert not (new_rows & good & documents) and not (new_rows & (homes | robots | gone))
    assert rows(workdir, "select report_id, sha256, fetched_at from reports order by 1") == reports


def test_second_crawl_downloads_nothing_unchanged_and_picks_up_a_change(
    world: tuple[Simulator, Path],
) -> None:
    """With GKNB_FRESH_DAYS=0 every document is asked for, conditionally."""
    sim, workdir = world
    documents = {e.url for site in sim.sites for e in site.manifest}
    sim.log.clear()
    crawl(sim, workdir, "-s", "GKNB_FRESH_DAYS=0")
    again = [e for e in sim.log.entries() if e.url in documents]
    assert again and all(e.conditional and e.status == 304 and e.bytes == 0 for e in again)
    # Navigation pages and list answers too: an unchanged portal costs robots.txt, redirects,
    # the list APIs that answer only to a POST, pages that are gone, and 304s.
    pages = [
        e
        for e in sim.log.entries()
        if e.method == "GET" and not e.url.endswith("/robots.txt") and e.status in (200, 304)
    ]
    assert len(pages) > len(again)
    assert [e.url for e in pages if not (e.conditional and e.status == 304)] == []
    total = sum(e.bytes for e in sim.log.entries())
    assert total < 0.05 * FIRST_CRAWL["bytes"], (total, FIRST_CRAWL)
    # A report page changes on the portal: the next crawl stores it as a new version.
    site = next(s for s in sim.sites if s.site_id == "henan_shangqiu_minquan")
    url = next(
        e.url for e in site.manifest if e.kind == "report_page" and e.publisher == "民权县人民政府"
    )
    key = split_url(url)
    old = site.resources[key]
    site.resources[key] = replace(
        old, body=old.body.replace(b"</body>", "<p>更正说明</p></body>".encode())
    )
    before = {r["sha256"] for r in rows(workdir, "select sha256 from fetches where url = ?", url)}
    sim.log.clear()
    crawl(sim, workdir, "-s", "GKNB_FRESH_DAYS=0")
    after = {
        r["sha256"]
        for r in rows(
            workdir, "select sha256 from fetches where url = ? and sha256 is not null", url
        )
    }
    assert len(after - before) == 1  # the new version, with the old one kept
    assert [e.status for e in sim.log.entries() if e.url == url] == [200]


def test_full_crawl_downloads_every_document_again(world: tuple[Simulator, Path]) -> None:
    sim, workdir = world
    site = next(s for s in sim.sites if s.site_id == "henan_luoyang_xigong")
    documents = {e.url for e in site.manifest}
    reports = rows(
        workdir, "select report_id, fetched_at from reports where site_id = ?", site.site_id
    )
    sim.log.clear()
    crawl(sim, workdir, "-a", "site=henan_luoyang_xigong", "-a", "full=1")
    again = [e for e in sim.log.entries() if e.url in documents]
    assert {e.url for e in again} == documents
    assert all(not e.conditional and e.status == 200 and e.bytes > 0 for e in again)
    assert {e.site_id for e in sim.log.entries()} == {"henan_luoyang_xigong"}
    # The same bytes: no new version, the same report.
    after = rows(
        workdir, "select report_id, fetched_at from reports where site_id = ?", site.site_id
    )
    assert [r["report_id"] for r in after] == [r["report_id"] for r in reports]


def test_every_run_is_a_crawl_runs_row(world: tuple[Simulator, Path]) -> None:
    """What each crawl did, kept: the first found every report, a later one nothing new."""
    _, workdir = world
    runs = rows(workdir, "select * from crawl_runs order by run_id")
    assert len(runs) >= 2
    first, last = runs[0], runs[-1]
    reports = len(rows(workdir, "select report_id from reports"))
    assert first["finish_reason"] == "finished" and first["sites_done"] == first["sites_total"]
    assert first["reports_new"] > 0 and first["documents_new"] > 0 and first["requests"] > 0
    assert sum(r["reports_new"] for r in runs) == reports
    assert last["documents_new"] == 0 and last["reports_new"] == 0
    assert json.loads(first["settings"])["ROBOTSTXT_OBEY"] is True
