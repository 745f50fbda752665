"""Nothing lost after a faulted run: one clean run later, exactly the manifest's reports.

Each case crawls the demo portals through the simulator with a fault plan, then once more
without faults, and compares the stored reports with the manifest. Was: a 304 report page
never led to its attachments again, and a bad first body was revalidated (304) forever.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from simulator import Simulator, demo_sites
from simulator.faults import FaultPlan
from tests.crawler.test_crawl import crawl

ATTACHMENTS = ("*.pdf", "*.doc*", "*download*")


def reports(workdir: Path) -> set[tuple[str, str, int]]:
    connection = sqlite3.connect(workdir / "reports.db")
    try:
        return set(connection.execute("select site_id, publisher, year from reports"))
    finally:
        connection.close()


def plan(*faults: dict[str, Any]) -> FaultPlan:
    return FaultPlan.from_dict({"seed": 3, "fault": list(faults)})


CASES = {
    "attachments_503_every_attempt": plan(
        *({"kind": "status", "status": 503, "path": p} for p in ATTACHMENTS)
    ),
    "challenge_first_attempt_30pc": plan(
        {"kind": "challenge", "attempts": [1], "probability": 0.3}
    ),
    "challenge_every_document_once": plan(
        *({"kind": "challenge", "attempts": [1], "path": p} for p in ("*.pdf", "*.htm*"))
    ),
    "wrong_type_first_attempt": plan(
        {"kind": "wrong_type", "content_type": "text/html", "attempts": [1]}
    ),
    "wrong_charset_first_attempt_30pc": plan(
        {"kind": "wrong_charset", "charset": "iso-8859-1", "attempts": [1], "probability": 0.3}
    ),
    "status_500_30pc": plan({"kind": "status", "status": 500, "probability": 0.3}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_clean_run_after_a_faulted_one_stores_every_report(case: str, tmp_path: Path) -> None:
    sites = demo_sites()
    expected = {(e.site_id, e.publisher, e.year) for s in sites for e in s.manifest if e.readable}
    with Simulator(sites, faults=CASES[case]) as sim:
        crawl(sim, tmp_path)
        faulted = reports(tmp_path)
        sim.faults = FaultPlan()
        crawl(sim, tmp_path)
    assert faulted <= expected  # a fault never makes a report that is not there
    assert reports(tmp_path) == expected
    connection = sqlite3.connect(tmp_path / "reports.db")
    try:
        # Every failure is a row with its kind (a redirect hop is not a failure).
        unexplained = connection.execute(
            "select count(*) from fetches where status not in (200, 304) "
            "and kind != 'redirect' and error_kind is null"
        ).fetchone()[0]
        duplicates = connection.execute(
            "select count(*) from (select site_id, publisher_key, year from reports "
            "group by 1, 2, 3 having count(*) > 1)"
        ).fetchone()[0]
    finally:
        connection.close()
    assert (unexplained, duplicates) == (0, 0)
