"""The fault matrix: every simulator fault kind × {30 % of requests, first attempt only, every
attempt}, on the demo portals and ten synthetic ones. Not part of the default test run (about
15 minutes on two cores); run it with

    python3 -m pytest -s tests/crawler/fault_matrix.py

Each case crawls all 17 portals with the fault plan, then at most once more without faults,
and requires exactly the manifest's reports, no duplicate, and every failure a fetch row with
its kind. With ``-s`` it prints one line per case (reports after the faulted run, after the
clean run, failures by kind); docs/RELIABILITY.md records the last run.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from crawler.sites import REGISTRY
from simulator import Simulator, demo_sites
from simulator.faults import KINDS, FaultPlan
from simulator.scale import registry_toml, synthetic_sites
from tests.crawler.test_crawl import crawl

pytestmark = pytest.mark.crawl

MODES: dict[str, dict[str, Any]] = {
    "30pc": {"probability": 0.3},
    "first_attempt": {"attempts": [1]},
    "every_attempt": {},
}

# What each kind does in the matrix (the simulator's parameters).
PARAMS: dict[str, dict[str, Any]] = {
    "status": {"status": 503, "retry_after": 1},
    "delay": {"seconds": 0.5},
    "stall": {"seconds": 8},  # beyond DOWNLOAD_TIMEOUT below: a timeout
    "reset": {},
    "truncate": {},
    "challenge": {},
    "redirect_offsite": {"location": "http://www.example-mirror.com/"},
    "oversize": {"bytes": 3 * 1024 * 1024},  # beyond DOWNLOAD_MAXSIZE below
    "wrong_type": {"content_type": "text/html; charset=utf-8"},
    "wrong_charset": {"charset": "iso-8859-1"},
    "calendar_trap": {},
}
assert set(PARAMS) == KINDS, "a new fault kind needs its place in the matrix"

SETTINGS = (
    *("-s", "DOWNLOAD_TIMEOUT=3", "-s", f"DOWNLOAD_MAXSIZE={2 * 1024 * 1024}"),
    *("-s", "GKNB_MAX_RETRY_AFTER=2"),
)

CASES = [
    (kind, mode)
    for kind in sorted(KINDS)
    for mode in MODES
    if kind != "calendar_trap" or mode == "every_attempt"  # a site's shape, not an answer
]


def portals(workdir: Path) -> tuple[list, Path]:
    synthetic = synthetic_sites(10, seed=12)
    registry = workdir / "sites.toml"
    registry.write_text(REGISTRY.read_text("utf-8") + "\n" + registry_toml(synthetic), "utf-8")
    return [*demo_sites(), *synthetic], registry


def stored(workdir: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(workdir / "reports.db")
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


@pytest.mark.parametrize(("kind", "mode"), CASES)
def test_fault_matrix(kind: str, mode: str, tmp_path: Path) -> None:
    sites, registry = portals(tmp_path)
    plan = FaultPlan.from_dict(
        {"seed": 5, "fault": [{"kind": kind, **PARAMS[kind], **MODES[mode]}]}
    )
    expected = {(e.site_id, e.publisher, e.year) for s in sites for e in s.manifest if e.readable}
    args = ("-s", f"GKNB_SITES={registry}", *SETTINGS)
    with Simulator(sites, faults=plan) as sim:
        crawl(sim, tmp_path, *args)
        faulted = set(stored(tmp_path, "select site_id, publisher, year from reports"))
        sim.faults = FaultPlan()
        crawl(sim, tmp_path, *args)
    final = set(stored(tmp_path, "select site_id, publisher, year from reports"))
    kinds = Counter(
        k
        for (k,) in stored(tmp_path, "select error_kind from fetches where error_kind is not null")
    )
    unexplained = stored(
        tmp_path,
        "select url, status, kind from fetches where status not in (200, 304) "
        "and kind != 'redirect' and error_kind is null",
    )
    duplicates = stored(
        tmp_path,
        "select site_id, publisher_key, year from reports group by 1, 2, 3 having count(*) > 1",
    )
    print(
        f"\n{kind:17} {mode:13} faulted run {len(faulted):3}/{len(expected)}, "
        f"clean run {len(final)}/{len(expected)}, lost {len(expected - final)}, "
        f"failures {dict(kinds.most_common())}"
    )
    assert faulted <= expected  # a fault never makes a report that is not there
    assert final == expected
    assert unexplained == [] and duplicates == []
