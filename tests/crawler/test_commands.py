"""The commands users run on a crawl: sites, summary, export, reparse, coverage."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from parsers.report import PARSER_VERSION
from tests.crawler.replay import ROOT, command, scrapy, storage_settings

# Loaded before anything else by a subprocess that has this folder on PYTHONPATH: every
# attempt to open an internet socket fails, so a command that works did not use the network.
NO_NETWORK = """
import socket

_connect = socket.socket.connect


def _refuse(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        raise OSError(f"network use in an offline command: {address!r}")
    return _connect(self, address)


socket.socket.connect = _refuse
"""


def connect(workdir: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(workdir / "r.db")
    connection.row_factory = sqlite3.Row
    return connection


def test_sites_lists_and_validates_the_registry() -> None:
    out = command("sites", "-s", "GKNB_SITES=demo")
    assert "7 sites in 3 provinces" in out and out.rstrip().endswith("registry valid")
    assert re.search(r"jiangsu_huaian_hongze +320813 ok +generic +http://www.hongze.gov.cn/", out)


def test_sites_lists_the_whole_country_by_default() -> None:
    out = command("sites")
    # 2 845 county-level divisions of counties.csv + 2 abolished in 2025 kept as historical.
    summary = out.rstrip().splitlines()[-1]
    assert summary.startswith("2847 sites in 31 provinces")
    assert "blocked_when_probed 128, no_url 5, ok 2714, historical 2; registry valid" in summary
    assert re.search(r"chongqing_jiangbei +500105 ok .*江北区  \(historical\)", out)


def test_sites_names_the_bad_row(tmp_path: Path) -> None:
    registry = tmp_path / "sites.toml"
    registry.write_text(
        '[[site]]\nsite_id = "jiangsu_huaian_hongze"\ndivision_code = "3208"\n'
        'name = "洪泽区人民政府"\nbase_url = "http://www.hongze.gov.cn/"\n',
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "sites", "-s", f"GKNB_SITES={registry}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert (
        "registry error: site 1 (jiangsu_huaian_hongze): division_code must be 6 digits"
        in result.stdout
    )


def test_summary(crawled: Path) -> None:
    out = command("summary", *storage_settings(crawled))
    db = connect(crawled)
    reports = db.execute("select count(*) from reports").fetchone()[0]
    assert f"reports: {reports}" in out
    assert "sites: 7" in out
    assert "  2021  2021     5" in out  # five 2021 reports on the 2021 form
    # The real 2023 Hongze PDF prints 表四 totals that do not add up: named, not fixed.
    assert "洪泽区人民政府 2023 review_litigation_total [表四 row review]" in out
    failed = db.execute("select count(*) from report_checks where not ok").fetchone()[0]
    assert f"failed checks: {failed}" in out
    # What each crawl did (crawl_runs): the replay's one run.
    assert "last crawls: 1" in out
    assert "  run 1 (finished)" in out and f"  reports: {reports} new, 0 updated" in out


def test_summary_without_a_database_says_what_to_do(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "summary", *storage_settings(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "run `scrapy crawl reports` first" in result.stderr + result.stdout


def test_export_writes_one_row_per_report_and_one_per_figure(crawled: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports.csv"
    figures = tmp_path / "figures.csv"
    command("export", *storage_settings(crawled), "--out", str(out), "--figures", str(figures))
    db = connect(crawled)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        reports = list(csv.DictReader(handle))
    assert len(reports) == db.execute("select count(*) from reports").fetchone()[0]
    hongze = next(r for r in reports if r["publisher"] == "淮安市洪泽区人民政府")
    # As printed in the 2024 Hongze PDF: 95 new requests, 50 disclosed, 表四 复议 总计 2.
    assert (hongze["year"], hongze["new_requests"], hongze["disclosed"]) == ("2024", "95", "50")
    assert (hongze["reviews"], hongze["checks_failed"]) == ("2", "1")
    # Where it is from, from the registry.
    place = (hongze["division_code"], hongze["province"], hongze["prefecture"])
    assert place == ("320813", "江苏省", "淮安市")
    with figures.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == db.execute("select count(*) from report_values").fetchone()[0]
    prose = [r for r in rows if r["source"] == "prose" and r["publisher"] == hongze["publisher"]]
    assert [(r["value"], r["label"]) for r in prose] == [("17", "受理政府信息公开申请17件")]


def test_reparse_is_offline_and_updates_the_parser_version(workdir: Path) -> None:
    db = connect(workdir)
    with db:
        # As an older parser would have left it: one figure missing (and the rows digest of
        # other rows than the current parser's).
        db.execute("update reports set parser_version = '0.0.1', rows_digest = 'older'")
        db.execute(
            "delete from report_values where report_id = (select report_id from reports "
            "where publisher = '民权县人民政府') and table_name = 'applications' "
            "and row_key = 'new_received' and column_key = 'total' and source = 'table'"
        )
    before = db.execute("select count(*) from report_values").fetchone()[0]
    db.close()
    (workdir / "offline").mkdir()
    (workdir / "offline" / "sitecustomize.py").write_text(NO_NETWORK, "utf-8")
    result = scrapy(
        "reparse", *storage_settings(workdir), env={"PYTHONPATH": str(workdir / "offline")}
    )
    assert "figures changed or new: 1, gone: 0" in result.stdout
    assert f"parser_version now {PARSER_VERSION}" in result.stdout
    db = connect(workdir)
    versions = {r[0] for r in db.execute("select parser_version from reports")}
    assert versions == {PARSER_VERSION}
    assert db.execute("select count(*) from report_values").fetchone()[0] == before + 1
    assert db.execute(
        "select count(*) from report_checks where \"check\" = 'carry_over'"
    ).fetchone()


def test_reparse_of_one_site_leaves_the_others_alone(workdir: Path) -> None:
    db = connect(workdir)
    with db:
        db.execute("update reports set parser_version = '0.0.1'")
    db.close()
    command("reparse", *storage_settings(workdir), "-a", "site=jiangsu_huaian_hongze")
    db = connect(workdir)
    versions = dict(
        db.execute("select site_id, group_concat(distinct parser_version) from reports group by 1")
    )
    assert versions.pop("jiangsu_huaian_hongze") == PARSER_VERSION
    assert set(versions.values()) == {"0.0.1"}


def test_the_network_guard_works(tmp_path: Path) -> None:
    # The guard used above really refuses: a crawl through it cannot fetch anything.
    (tmp_path / "offline").mkdir()
    (tmp_path / "offline" / "sitecustomize.py").write_text(NO_NETWORK, "utf-8")
    code = "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(tmp_path / "offline")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "network use in an offline command" in result.stderr


def test_coverage(crawled: Path, tmp_path: Path) -> None:
    table = tmp_path / "coverage.csv"
    out = command("coverage", *storage_settings(crawled), "--csv", str(table))
    # Xiangfu publishes 2016 and 2021 on the demo portal: 2017-2020 are missing, and its two
    # names (开封市祥符区人民政府, 祥符区人民政府) are one publisher.
    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    xiangfu = [(r["year"], r["state"]) for r in rows if r["site_id"] == "henan_kaifeng_xiangfu"]
    assert xiangfu == [
        ("2016", "found"),
        ("2017", "missing"),
        ("2018", "missing"),
        ("2019", "missing"),
        ("2020", "missing"),
        ("2021", "found"),
    ]
    failed = [r for r in rows if r["state"].startswith("failed")]
    assert [r["publisher_or_url"] for r in failed] == [
        "http://www.hongze.gov.cn/uploadfiles/202402/629798.pdf"
    ]
    assert failed[0]["state"].startswith("failed: scanned_pdf: no text layer")
    assert "found 11, missing 4, failed 1" in out


def test_coverage_by_area(crawled: Path, tmp_path: Path) -> None:
    table = tmp_path / "areas.csv"
    args = ("coverage", *storage_settings(crawled), "--by", "prefecture", "--csv", str(table))
    out = command(*args, "-s", "GKNB_SITES=demo")
    assert "6 areas: 7 sites, 0 without a portal, 7 entered, 7 with reports" in out
    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["area"]: row for row in csv.DictReader(handle)}
    huaian = rows["江苏省/淮安市"]  # 淮安市 and 洪泽区: 2023 and 2024 reports, one scanned PDF
    assert (huaian["sites"], huaian["entered"], huaian["with_reports"]) == ("2", "2", "2")
    assert (huaian["2023"], huaian["2024"]) == ("1", "2")
    assert "scanned_pdf 1" in huaian["failures"]


def test_coverage_over_the_whole_registry(crawled: Path) -> None:
    out = command("coverage", *storage_settings(crawled), "--by", "province")
    # Every province of the country registry, crawled or not; the demo crawl entered 6 of
    # its counties (淮安市 is a prefecture, not in the county registry).
    assert "31 areas: 2847 sites, 5 without a portal, 6 entered, 6 with reports" in out
    assert any(line.startswith("新疆维吾尔自治区  110  2  0  0") for line in out.splitlines())


def test_export_jsonl_writes_the_records_of_every_report(crawled: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports.jsonl"
    printed = command("export", *storage_settings(crawled), "--format", "jsonl", "--out", str(out))
    db = connect(crawled)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(records) == db.execute("select count(*) from reports").fetchone()[0]
    assert f"{len(records)} records" in printed
    figures = sum(len(r["figures"]) for r in records)
    assert figures == db.execute("select count(*) from report_values").fetchone()[0]
    hongze = next(r for r in records if r["publisher"] == "淮安市洪泽区人民政府")
    assert hongze["headline"]["new_requests"] == 95 and hongze["division_code"] == "320813"
    assert [c["check"] for c in hongze["failed_checks"]] == ["prose_vs_table"]


def test_report_records_are_built_one_at_a_time(crawled: Path) -> None:
    """A record (with every figure) is not kept once the next one is asked for: a crawl of
    3 361 reports held them all (+280 MB) while sending them to the feeds."""
    import gc
    import types

    from sqlite_utils import Database

    from crawler import queries

    records = queries.report_records(Database(crawled / "r.db"))
    first = next(records)
    next(records)
    gc.collect()
    holders = [r for r in gc.get_referrers(first) if not isinstance(r, types.FrameType)]
    assert holders == []
