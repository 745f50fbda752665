"""Benchmark: ``scrapy reparse --all`` on one core and on every core, in paired runs.

    python bench/reparse_bench.py [--portals 300] [--runs 3]

A database is made once by crawling synthetic portals through the simulator; then each run
copies it and re-reads every stored document three ways, alternating: as shipped on one core
(the process and its workers pinned to one CPU: ``os.sched_setaffinity``, as ``taskset -c 0``
does; the parse pool then has one worker), as shipped on every core, and with ``--workers 1``
on every core (the writer and one worker). The medians are compared. The baseline measured in
the same process is ``parse_document`` over the same stored documents on one core, without
the database: the cost the reparse cannot avoid. Printed: documents per second of each, and
the ratios (every core / one core; one core / bare parsing; N workers / 1 worker).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.parsepool import default_workers  # noqa: E402
from parsers import ParseError, parse_document  # noqa: E402
from simulator import Simulator  # noqa: E402
from simulator.scale import registry_toml, synthetic_sites  # noqa: E402

QUICK = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=ERROR"]


def user_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment with ``extra``, byte-code written as on a user's machine."""
    env = {**os.environ, **(extra or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def scrapy(
    workdir: Path, *args: str, env: dict[str, str] | None = None, cores: set[int] | None = None
) -> float:
    """Seconds one ``scrapy`` command takes; ``cores``: the CPUs it (and its children) may use."""
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            *args,
            "-s",
            f"GKNB_DATABASE={workdir / 'reports.db'}",
            "-s",
            f"GKNB_RAW_DIR={workdir / 'raw'}",
            *QUICK,
        ],
        cwd=ROOT,
        env={
            k: v for k, v in {**os.environ, **(env or {})}.items() if k != "PYTHONDONTWRITEBYTECODE"
        },
        check=True,
        capture_output=True,
        preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if cores else None,
    )
    return time.perf_counter() - start


def bare_rate(workdir: Path) -> tuple[int, float]:
    """Stored documents parsed per second on one core, no database."""
    connection = sqlite3.connect(workdir / "reports.db")
    rows = connection.execute(
        "select d.sha256, f.final_url, d.content_type from documents d "
        "join fetches f on f.sha256 = d.sha256 group by d.sha256"
    ).fetchall()
    connection.close()
    start = time.perf_counter()
    for sha, url, content_type in rows:
        data = (workdir / "raw" / sha[:2] / sha).read_bytes()
        with contextlib.suppress(ParseError):
            parse_document(data, url=url, headers={"Content-Type": content_type or ""})
    return len(rows), len(rows) / (time.perf_counter() - start)


def measure(portals: int = 300, runs: int = 3) -> dict[str, Any]:
    """Documents per second of bare parsing and of reparse on one worker and on every core."""
    cores = default_workers()
    base = Path(tempfile.mkdtemp(prefix="gknb-reparse-"))
    try:
        sites = synthetic_sites(portals, seed=3)
        registry = base / "sites.toml"
        registry.write_text(registry_toml(sites), "utf-8")
        made = base / "made"
        with Simulator(sites) as sim:
            proxy = {"http_proxy": sim.proxy_url, "https_proxy": sim.proxy_url}
            scrapy(made, "crawl", "reports", "-s", f"GKNB_SITES={registry}", env=proxy)
        documents, bare = bare_rate(made)
        one_core = {min(os.sched_getaffinity(0))}
        ways: dict[str, tuple[list[str], set[int] | None]] = {
            "one_core": ([], one_core),  # as shipped: one worker per core it may use
            "every_core": ([], None),
            "one_worker": (["--workers", "1"], None),
        }
        times: dict[str, list[float]] = {way: [] for way in ways}
        for _ in range(runs):
            for way, (extra, cpus) in ways.items():
                run = base / f"run-{way}"
                shutil.rmtree(run, ignore_errors=True)
                shutil.copytree(made, run)
                times[way].append(scrapy(run, "reparse", "--all", *extra, cores=cpus))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    rate = {way: documents / statistics.median(t) for way, t in times.items()}
    return {
        "portals": portals,
        "documents": documents,
        "cores": cores,
        "bare": bare,
        "one_core": rate["one_core"],
        "every_core": rate["every_core"],
        "one_worker": rate["one_worker"],
        "cores_to_core": rate["every_core"] / rate["one_core"],
        "core_to_bare": rate["one_core"] / bare,
        "many_to_one": rate["every_core"] / rate["one_worker"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # 300 portals: ~3 340 documents, the issue's own measure; with a few hundred the command's
    # fixed cost (about 2 s of start-up and closing) is most of what is measured.
    parser.add_argument("--portals", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    r = measure(args.portals, args.runs)
    print(
        f"{r['portals']} synthetic portals, {r['documents']} stored documents, {r['cores']} cores"
    )
    print(f"bare parse_document, 1 core : {r['bare']:7.1f} documents/s")
    print(
        f"reparse on one core        : {r['one_core']:7.1f} documents/s "
        f"({r['core_to_bare']:.2f}× bare)"
    )
    print(
        f"reparse on {r['cores']} cores          : {r['every_core']:7.1f} documents/s "
        f"({r['cores_to_core']:.2f}× one core)"
    )
    print(
        f"reparse --workers 1        : {r['one_worker']:7.1f} documents/s "
        f"({r['many_to_one']:.2f}× of it on {r['cores']} workers)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
