"""Replay from the committed cassettes: no network at all, the same reports as live."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sqlite3
import urllib.request
from pathlib import Path

import pytest
import vcr
import yaml

from simulator import demo_sites
from tests.conftest import FIXTURES, expected_table_cells
from tests.crawler.replay import CASSETTES, GOLDEN, ROOT, replay


def test_replay_finds_exactly_the_manifest(replayed: sqlite3.Connection) -> None:
    db = replayed
    manifest = [e for site in demo_sites() for e in site.manifest]
    found = {(r["site_id"], r["publisher"], r["year"]) for r in db.execute("select * from reports")}
    assert found == {(e.site_id, e.publisher, e.year) for e in manifest if e.readable}
    errors = [r["error"] for r in db.execute("select error from fetches where error is not null")]
    assert not [e for e in errors if "refused" in e.lower() or "timeout" in e.lower()]  # no socket


def test_a_request_the_cassette_lacks_is_a_clear_error(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    shutil.copytree(CASSETTES, cassettes)
    path = cassettes / "henan_luoyang_xigong" / "cassette.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    page = next(i for i in data["interactions"] if "/art/" in i["request"]["uri"])
    data["interactions"].remove(page)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    db = replay(tmp_path, cassettes, "-a", "site=henan_luoyang_xigong")
    errors = [r["error"] for r in db.execute("select error from fetches where error is not null")]
    assert any(f"no recording for GET {page['request']['uri']}" in e for e in errors)


def test_plain_vcrpy_loads_and_replays_byte_for_byte() -> None:
    site = next(s for s in demo_sites() if s.site_id == "henan_shangqiu_minquan")
    page = next(e.url for e in site.manifest if e.kind == "report_page" and not e.synthetic)
    pdf = next(e.url for e in site.manifest if e.url.endswith(".pdf"))
    cassette = str(CASSETTES / "henan_shangqiu_minquan" / "cassette.yaml")
    with vcr.use_cassette(cassette, record_mode="none", allow_playback_repeats=True):
        with urllib.request.urlopen(page) as response:
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
        with urllib.request.urlopen(pdf) as response:
            pdf_bytes = response.read()
    served = site.resources[(page.split("/")[2], "/" + page.split("/", 3)[3])].body
    assert body == served  # a GBK page, byte for byte
    assert "民权县人民政府2021年政府信息公开工作年度报告" in body.decode("gb18030")
    content = Path(
        ROOT / "simulator" / "content" / "synthetic" / "minquan_2021_form.pdf"
    ).read_bytes()
    assert hashlib.sha256(pdf_bytes).hexdigest() == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("site_id", sorted(p.name for p in CASSETTES.iterdir() if p.is_dir()))
def test_every_demo_site_has_a_cassette(site_id: str) -> None:
    data = yaml.safe_load((CASSETTES / site_id / "cassette.yaml").read_text("utf-8"))
    assert data["version"] == 1 and data["interactions"]


def test_replay_keeps_the_provenance_of_every_report(replayed: sqlite3.Connection) -> None:
    reports = replayed.execute("select * from reports").fetchall()
    assert reports
    for report in reports:
        fetch = replayed.execute(
            "select * from fetches where final_url = ? and sha256 = ?",
            [report["source_url"], report["sha256"]],
        ).fetchone()
        for column in ("url", "final_url", "status", "content_type", "sha256", "referer"):
            assert fetch[column], (report["source_url"], column)
        assert fetch["etag"] or fetch["last_modified"], report["source_url"]
        assert fetch["fetched_at"].endswith("+00:00")
        assert report["parser_version"] and report["fetched_at"]


@pytest.mark.parametrize(("publisher", "year", "golden"), GOLDEN)
def test_replayed_figures_equal_the_golden_files(
    replayed: sqlite3.Connection, publisher: str, year: int, golden: str
) -> None:
    data = json.loads((FIXTURES / golden).read_text("utf-8"))
    values = replayed.execute(
        "select table_name, row_key, column_key, value from report_figures "
        "where publisher = ? and year = ? and source = 'table'",
        [publisher, year],
    ).fetchall()
    got = {(v["table_name"], v["row_key"], v["column_key"]): v["value"] for v in values}
    assert got == {k: v for k, v in expected_table_cells(data).items() if v is not None}
