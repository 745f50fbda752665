"""Killed with SIGKILL at any point, a crawl loses nothing: one rerun ends exactly where an
uninterrupted crawl ends, and the database is sound.  Two crawls at once on one database,
and a reparse during a crawl, both finish and agree with a crawl made alone."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator import Simulator, demo_sites
from tests.crawler.replay import QUICK
from tests.crawler.test_crawl import ROOT, crawl

KILL_SEED = 20261201
KILL_POINTS = 5  # one in each fifth of the requests, and one more while the last are parsed


def crawl_process(sim: Simulator, workdir: Path, *args: str) -> subprocess.Popen[str]:
    """``scrapy crawl reports`` on the demo portals, started and left running."""
    env = {**os.environ, "http_proxy": sim.proxy_url, "https_proxy": sim.proxy_url}
    env.pop("no_proxy", None)
    command = [
        *(sys.executable, "-m", "scrapy", "crawl", "reports", "-s", "GKNB_SITES=demo"),
        *("-s", f"GKNB_DATABASE={workdir / 'reports.db'}"),
        *("-s", f"GKNB_RAW_DIR={workdir / 'raw'}"),
        *QUICK,
        *args,
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def snapshot(database: Path) -> dict[str, set[tuple[object, ...]]]:
    """What a user reads: reports, every figure, every source, every failed check."""
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert connection.execute("pragma foreign_key_check").fetchall() == []
        key = "r.site_id, r.publisher_key, r.year"
        queries = {
            "reports": f"select {key}, r.publisher, r.template, r.title, r.sha256, "
            "r.copy_weight, r.status from reports r",
            "values": "select v.site_id, v.publisher_key, v.year, v.table_name, v.row_key, "
            "v.column_key, v.value, v.source, v.label from report_figures v",
            "sources": f"select {key}, s.url, s.sha256, s.kind "
            "from report_sources s join reports r using (report_id)",
            "checks": f"select {key}, c.[check], c.subject, c.ok from report_checks c "
            "join reports r using (report_id)",
            "documents": "select sha256, size from documents",
        }
        return {name: set(connection.execute(sql).fetchall()) for name, sql in queries.items()}
    finally:
        connection.close()


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, int]:
    workdir = tmp_path_factory.mktemp("whole")
    with Simulator(demo_sites()) as sim:
        crawl(sim, workdir)
        served = len(sim.log.entries())
    whole = snapshot(workdir / "reports.db")
    assert whole["reports"] and whole["values"] and whole["sources"]
    return whole, served


def kill_when_served(
    sim: Simulator, process: subprocess.Popen[str], requests: int, after: float = 0.0
) -> bool:
    """SIGKILL the crawl ``after`` seconds once the simulator has answered ``requests``
    requests; False when the crawl ended first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if len(sim.log.entries()) >= requests:
            time.sleep(after)
            if process.poll() is not None:
                return False
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=60)
            return True
        time.sleep(0.005)
    process.kill()
    raise AssertionError("the crawl neither ended nor reached the kill point")


def kill_fraction(stratum: int) -> float:
    """A seeded point in the ``stratum``-th fifth of the crawl (its requests served): from
    robots.txt and home pages through lists, report pages and attachments to the last
    documents and the cross-year check."""
    rng = random.Random(f"{KILL_SEED}|{stratum}")
    return (stratum + rng.uniform(0.05, 0.95)) / KILL_POINTS


@pytest.mark.parametrize("stratum", range(KILL_POINTS + 1))
def test_a_crawl_killed_at_any_point_is_finished_by_one_rerun(
    stratum: int, tmp_path: Path, uninterrupted: tuple[dict, int]
) -> None:
    whole, served = uninterrupted
    if stratum < KILL_POINTS:
        point, after = max(1, int(kill_fraction(stratum) * served)), 0.0
    else:  # every request answered: documents being parsed and written, the last check
        point, after = served, random.Random(KILL_SEED).uniform(0.2, 1.5)
    with Simulator(demo_sites()) as sim:
        killed = kill_when_served(sim, crawl_process(sim, tmp_path), point, after)
        assert killed, f"the crawl ended before {point} of {served} requests (+{after:.1f} s)"
        crawl(sim, tmp_path)
    assert snapshot(tmp_path / "reports.db") == whole


def test_two_crawls_at_once_on_one_database(
    tmp_path: Path, uninterrupted: tuple[dict, int]
) -> None:
    whole, _ = uninterrupted
    with Simulator(demo_sites()) as sim:
        first, second = crawl_process(sim, tmp_path), crawl_process(sim, tmp_path)
        outcomes = [p.communicate(timeout=600) for p in (first, second)]
    for process, (_, stderr) in zip((first, second), outcomes, strict=True):
        assert process.returncode == 0, stderr[-3000:]
        assert "Traceback" not in stderr, stderr[-3000:]
    assert snapshot(tmp_path / "reports.db") == whole


def test_a_reparse_during_a_crawl(tmp_path: Path, uninterrupted: tuple[dict, int]) -> None:
    whole, _ = uninterrupted
    with Simulator(demo_sites()) as sim:
        crawl(sim, tmp_path)  # something to reparse
        running = crawl_process(sim, tmp_path, "-a", "full=1")
        reparse = subprocess.run(
            [
                *(sys.executable, "-m", "scrapy", "reparse", "--all"),
                *("-s", f"GKNB_DATABASE={tmp_path / 'reports.db'}"),
                *("-s", f"GKNB_RAW_DIR={tmp_path / 'raw'}"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        _, stderr = running.communicate(timeout=600)
    assert reparse.returncode == 0, reparse.stderr[-3000:]
    assert running.returncode == 0 and "Traceback" not in stderr, stderr[-3000:]
    assert snapshot(tmp_path / "reports.db") == whole


@pytest.mark.parametrize("third", [1, 2])
def test_a_crawl_paused_with_sigint_resumes_from_its_jobdir(
    third: int, tmp_path: Path, uninterrupted: tuple[dict, int]
) -> None:
    """Scrapy's pause and resume (``-s JOBDIR=…``): a first SIGINT stops the crawl gracefully
    (in-flight requests finish, the rest wait on disk); the same command resumes it, asking
    only for what was left (robots.txt and fresh pages from the store)."""
    whole, served = uninterrupted
    jobdir = ("-s", f"JOBDIR={tmp_path / 'job'}")
    with Simulator(demo_sites()) as sim:
        paused = crawl_process(sim, tmp_path, *jobdir)
        deadline = time.monotonic() + 120
        while len(sim.log.entries()) < served * third // 3 and time.monotonic() < deadline:
            assert paused.poll() is None, "the crawl ended before it could be paused"
            time.sleep(0.005)
        paused.send_signal(signal.SIGINT)
        _, stderr = paused.communicate(timeout=300)
        assert paused.returncode == 0 and "Traceback" not in stderr, stderr[-3000:]
        first = len(sim.log.entries())
        assert runs(tmp_path / "reports.db") == ["shutdown"]
        assert snapshot(tmp_path / "reports.db")["reports"] < whole["reports"]
        assert any((tmp_path / "job" / "requests.queue").iterdir())  # what was left to do

        resumed = crawl_process(sim, tmp_path, *jobdir)
        _, stderr = resumed.communicate(timeout=600)
        assert resumed.returncode == 0 and "Traceback" not in stderr, stderr[-3000:]
        again = len(sim.log.entries()) - first
    assert snapshot(tmp_path / "reports.db") == whole
    assert runs(tmp_path / "reports.db") == ["shutdown", "finished"]
    assert first + again == served, "a request was made again, or one was missing"


def runs(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("select finish_reason from crawl_runs order by run_id")
        return [reason for (reason,) in rows]
