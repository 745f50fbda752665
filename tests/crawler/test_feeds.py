"""``scrapy crawl reports -O FILE``: one record per report the crawl wrote, never raw bytes."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from simulator import demo_sites
from tests.crawler.replay import CASSETTES, replay

HEADLINE = ("new_requests", "carried_over", "disclosed", "withheld", "reviews")


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, int]]:
    manifest = [e for site in demo_sites() for e in site.manifest]
    return {(e.site_id, e.publisher, e.year) for e in manifest if e.readable}


def headline(db: sqlite3.Connection) -> dict[tuple[str, str, int], dict[str, object]]:
    rows = db.execute("select * from report_headline").fetchall()
    return {(r["site_id"], r["publisher"], r["year"]): dict(r) for r in rows}


@pytest.mark.crawl
@pytest.mark.parametrize("suffix", ["jsonl", "json"])
def test_json_feeds_hold_one_record_per_report_with_every_figure(
    tmp_path: Path, demo_reports: set[tuple[str, str, int]], suffix: str
) -> None:
    out = tmp_path / f"reports.{suffix}"
    db = replay(tmp_path, CASSETTES, "-O", str(out))
    text = out.read_text("utf-8")
    records = (
        [json.loads(line) for line in text.splitlines()] if suffix == "jsonl" else json.loads(text)
    )
    assert {(r["site_id"], r["publisher"], r["year"]) for r in records} == demo_reports
    assert len(records) == len(demo_reports)  # one per report, not per copy
    stored = headline(db)
    for record in records:
        row = stored[(record["site_id"], record["publisher"], record["year"])]
        assert {k: record["headline"][k] for k in HEADLINE} == {k: row[k] for k in HEADLINE}
        assert record["division_code"] and record["province"] and record["documents"]
        count = db.execute(
            "select count(*) from report_values where report_id = ?", [record["report_id"]]
        ).fetchone()[0]
        assert len(record["figures"]) == count
        failed = db.execute(
            "select count(*) from report_checks where report_id = ? and not ok",
            [record["report_id"]],
        ).fetchone()[0]
        assert len(record["failed_checks"]) == failed


@pytest.mark.crawl
def test_the_csv_feed_has_one_row_per_report(
    tmp_path: Path, demo_reports: set[tuple[str, str, int]]
) -> None:
    out = tmp_path / "reports.csv"
    db = replay(tmp_path, CASSETTES, "-O", str(out))
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["site_id"], r["publisher"], int(r["year"])) for r in rows} == demo_reports
    assert len(rows) == len(demo_reports)
    stored = headline(db)
    for row in rows:
        expected = stored[(row["site_id"], row["publisher"], int(row["year"]))]
        for key in HEADLINE:
            assert row[key] == ("" if expected[key] is None else str(expected[key]))
        assert row["division_code"] == expected["division_code"]
        assert "figures" not in row and "b'" not in json.dumps(row, ensure_ascii=False)
