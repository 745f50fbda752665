"""Scale mode: many synthetic portals, deterministic, every report parseable to its truth."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from parsers import parse_document
from simulator import Simulator
from simulator.model import split_url
from simulator.scale import synthetic_sites
from tests.simulator.test_server import fetch


def _bytes(sites: list) -> dict:  # type: ignore[type-arg]
    return {(s.site_id, k): r.body for s in sites for k, r in s.resources.items()}


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    assert _bytes(synthetic_sites(12, seed=5)) == _bytes(synthetic_sites(12, seed=5))
    assert _bytes(synthetic_sites(12, seed=5)) != _bytes(synthetic_sites(12, seed=6))


def test_families_years_and_sub_columns() -> None:
    sites = synthetic_sites(40, seed=2)
    assert Counter(site.family for site in sites) == {
        "generic": 16,
        "trs": 8,
        "hanweb": 8,
        "gkmlpt": 8,
    }
    for site in sites:
        years = {e.year for e in site.manifest if e.publisher == site.name}
        assert 5 <= len(years) <= 15
        assert all(e.synthetic and e.figures for e in site.manifest)
    publishers = {e.publisher for s in sites for e in s.manifest}
    assert any(p.endswith(("局", "委员会")) for p in publishers)  # departments
    assert any(p.endswith(("镇", "乡", "街道办事处")) for p in publishers)  # townships


def _value(report, key: str) -> object:  # type: ignore[no-untyped-def]
    table, row, column = key.split("/")
    found = report.value(table, row, column)
    return found if found is not None else report.value(table, row, column, source="prose")


def test_every_synthetic_report_parses_to_its_truth() -> None:
    for site in synthetic_sites(25, seed=9):
        for entry in site.manifest:
            body = site.resources[split_url(entry.url)].body
            report = parse_document(body, url=entry.url)
            assert (report.publisher, report.year) == (entry.publisher, entry.year)
            for key, value in (entry.figures or {}).items():
                assert _value(report, key) == value, (entry.url, key)
            assert all(check.ok for check in report.checks), entry.url


def test_served_through_the_proxy() -> None:
    sites = synthetic_sites(6, seed=1)
    with Simulator(sites) as sim:
        for site in sites:
            status, _, _ = fetch(sim, site.base_url)
            assert status == 200
            entry = site.manifest[0]
            assert fetch(sim, entry.url)[0] == 200
        assert {e.site_id for e in sim.log.entries()} == {s.site_id for s in sites}


def test_manifest_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "simulator", "manifest", "--sites", "3", "--seed", "4"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert {row["site_id"] for row in rows} == {
        "synthetic_00000",
        "synthetic_00001",
        "synthetic_00002",
    }
    assert all(
        {"url", "publisher", "year", "kind", "duplicate_of", "figures"} <= row.keys()
        for row in rows
    )
