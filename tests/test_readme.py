"""The main-job command of the README runs as written and fills data/reports.db offline."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from simulator import demo_sites

ROOT = Path(__file__).resolve().parents[1]
DEAD = "http://127.0.0.1:9"  # nothing listens: the command must not need the network


def main_command() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"## Two commands.*?```sh\n(.*?)\n```", readme, re.S)
    assert block is not None
    return block.group(1).strip()


def test_the_main_command_installs_then_crawls_the_demo_offline(tmp_path: Path) -> None:
    command = main_command()
    install, _, job = command.partition(" && ")
    assert install == "python3 -m pip install -e '.[dev]'"  # what .ci/run ran already
    # Run the job exactly as written, in a directory laid out like the repository's root
    # (scrapy.cfg, cassettes/), so that data/ is written there and not in the checkout.
    shutil.copy(ROOT / "scrapy.cfg", tmp_path / "scrapy.cfg")
    shutil.copytree(ROOT / "cassettes", tmp_path / "cassettes")
    env = {**os.environ, "http_proxy": DEAD, "https_proxy": DEAD}
    job = job.replace("python3 ", f"{sys.executable} ")
    result = subprocess.run(
        job, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    manifest = [e for site in demo_sites() for e in site.manifest]
    readable = {(e.site_id, e.publisher, e.year) for e in manifest if e.readable}
    db = sqlite3.connect(tmp_path / "data" / "reports.db")
    found = set(db.execute("select site_id, publisher, year from reports").fetchall())
    assert found == readable
    # A quiet terminal: no recorded bodies (vcrpy's own log), one line per report, not per
    # copy, naming the site (two counties may share a name) and the checks that failed.
    lines = (result.stdout + result.stderr).splitlines()
    assert len(lines) < 200, len(lines)
    assert not [line for line in lines if "[vcr" in line or re.search(r"(?<!\w)b'", line)]
    said = re.findall(r"\[reports\] INFO: report (\S+) (\S+) (\d+) \(", result.stderr)
    assert sorted(said) == sorted((s, p, str(y)) for s, p, y in found)
    carry_over = db.execute(
        "select count(*) from report_checks where \"check\" = 'carry_over' and not ok"
    ).fetchone()[0]
    assert result.stderr.count("carry_over") >= carry_over
    # It ends with the run's summary (Scrapy's last line, "Spider closed", after it).
    tail = [line.split("INFO: ", 1)[-1] for line in result.stderr.strip().splitlines()[-6:]]
    assert tail[0].startswith("run 1 (finished)") and "7 of 7 sites done" in tail[0], tail
    assert tail[2] == f"  reports: {len(found)} new, 0 updated", tail
    run = db.execute("select sites_done, reports_new, finish_reason from crawl_runs").fetchall()
    assert run == [(7, len(found), "finished")]
    assert f"reports: {len(found)}" in result.stdout
    assert "failed checks:" in result.stdout
