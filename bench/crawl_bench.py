"""Benchmark: our crawl against a bare Scrapy spider fetching exactly the same URLs.

    python bench/crawl_bench.py [--portals 50] [--runs 3]

Synthetic portals are served by the simulator on loopback. Each run crawls them with
``scrapy crawl reports`` (politeness delays off, everything else as shipped: robots.txt,
per-server limits, the parse pool, SQLite), records the URLs the simulator answered, and then
runs a bare spider (``bench/bare_spider.py``: no middlewares or pipelines of ours, same
proxy, user agent, concurrency and robots.txt) over that URL list, in the same loop. Printed:
medians of wall time, CPU seconds (process and children), CPU per report and peak RSS, and
the ratio of ours to the bare spider's — the cost of our own code.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator import Simulator  # noqa: E402
from simulator.scale import registry_toml, synthetic_sites  # noqa: E402

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=ERROR"]


def run(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, float]:
    """Wall time, CPU time (the process and its children) and the peak RSS of the main
    process (GNU time's %M) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", rss.name, *command],
            cwd=cwd,
            env=env,
            check=True,
            capture_output=True,
        )
        wall = time.perf_counter() - start
        peak_kb = int(rss.read().split()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss_mb": peak_kb / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--portals", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="gknb-crawl-"))
    sites = synthetic_sites(args.portals, seed=4)
    registry = base / "sites.toml"
    registry.write_text(registry_toml(sites), "utf-8")
    ours: list[dict[str, float]] = []
    bare: list[dict[str, float]] = []
    reports = requests = 0
    try:
        with Simulator(sites) as sim:
            env = {**os.environ, "http_proxy": sim.proxy_url, "https_proxy": sim.proxy_url}
            env.pop("no_proxy", None)
            for index in range(args.runs):
                work = base / f"run{index}"
                sim.log.clear()
                ours.append(
                    run(
                        [
                            *(sys.executable, "-m", "scrapy", "crawl", "reports"),
                            *("-s", f"GKNB_SITES={registry}"),
                            *("-s", f"GKNB_DATABASE={work / 'reports.db'}"),
                            *("-s", f"GKNB_RAW_DIR={work / 'raw'}"),
                            *FAST,
                        ],
                        ROOT,
                        env,
                    )
                )
                urls = [e.url for e in sim.log.entries() if e.method == "GET"]
                requests = len(sim.log.entries())
                with sqlite3.connect(work / "reports.db") as db:
                    reports = db.execute("select count(*) from reports").fetchone()[0]
                listing = base / "urls.json"
                listing.write_text(json.dumps(sorted(set(urls))), "utf-8")
                sim.log.clear()
                bare.append(
                    run(
                        [
                            *(sys.executable, "-m", "scrapy", "runspider"),
                            str(ROOT / "bench" / "bare_spider.py"),
                            *("-a", f"urls={listing}"),
                        ],
                        base,  # outside the project: Scrapy's defaults, none of our settings
                        {k: v for k, v in env.items() if k != "SCRAPY_SETTINGS_MODULE"},
                    )
                )
                shutil.rmtree(work, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    print(
        f"{args.portals} synthetic portals: {requests} requests, {reports} reports, "
        f"medians of {args.runs} paired runs"
    )
    for key, unit in (("wall", "s"), ("cpu", "s CPU"), ("rss_mb", "MB peak RSS")):
        a, b = median(ours, key), median(bare, key)
        print(f"{key:7} ours {a:8.2f} {unit:12} bare {b:8.2f}   ratio {a / b:5.2f}×")
    per_report = median(ours, "cpu") / max(reports, 1) * 1000
    print(f"CPU per report (ours): {per_report:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
