"""Benchmark: our crawl against a bare Scrapy spider fetching exactly the same URLs.

    python bench/crawl_bench.py [--portals 50] [--runs 3] [--no-syscalls]

Synthetic portals are served by the simulator on loopback. Each run crawls them with
``scrapy crawl reports`` (politeness delays off, everything else as shipped: robots.txt,
per-server limits, the parse pool, SQLite), records the URLs the simulator answered, and then
runs a bare spider (``bench/bare_spider.py``: no middlewares or pipelines of ours, same
proxy, user agent, concurrency and robots.txt) over that URL list, in the same loop. Then the
same portals are crawled again into the same database (nothing changed: conditional
requests), and once more under ``strace`` counting ``fsync``/``fdatasync`` calls.

Printed (medians of the paired runs): wall time, CPU seconds (the crawl's whole process tree:
the machine's busy time over the run, less this process's own, which is the simulator's —
the parse workers are the forkserver's children, and their time never reaches the crawl's
rusage; nothing else should run on the machine meanwhile), CPU per report, peak RSS, bytes
written to disk (by the whole machine, for the same reason; see ``run``), and each as a
ratio to the bare spider's; the second crawl's bytes downloaded and wall time as ratios to
the first's; the database's size per report after VACUUM; syncs per stored document.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator import Simulator  # noqa: E402
from simulator.scale import registry_toml, synthetic_sites  # noqa: E402

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=ERROR"]


def busy_seconds() -> float:
    """CPU time the whole machine has spent busy (every process, every core), from
    /proc/stat; the sum of this process's and its descendants' rusage elsewhere."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def disk_bytes_written() -> int | None:
    """Bytes the machine's disks have written since boot (/proc/diskstats: physical disks
    only, those with a ``device`` in /sys/block, so no loop, RAM, swap-in-RAM or mapped
    device counts twice); None where that cannot be read."""
    try:
        disks = {
            name for name in os.listdir("/sys/block") if os.path.exists(f"/sys/block/{name}/device")
        }
        with open("/proc/diskstats", encoding="ascii") as stats:
            lines = [line.split() for line in stats]
    except OSError:
        return None
    return sum(int(f[9]) * 512 for f in lines if len(f) > 9 and f[2] in disks)


def run(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, float]:
    """Wall time, CPU time (the command's whole process tree, see the module's doc), the
    peak RSS of the main process (GNU time's %M) and the bytes written to disk of one
    command: the machine's disks, flushed before and after (the parse workers write the
    database, and they are not the command's children, so %O misses them), or %O where
    /proc/diskstats cannot be read."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    os.sync()
    disk = disk_bytes_written()
    machine = busy_seconds()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        start = time.perf_counter()
        subprocess.run(
            ["/usr/bin/time", "-f", "%M %O", "-o", out.name, *command],
            cwd=cwd,
            env=env,
            check=True,
            capture_output=True,
        )
        wall = time.perf_counter() - start
        peak_kb, blocks = (int(x) for x in out.read().split()[-2:])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    mine = resource.getrusage(resource.RUSAGE_SELF)
    tree = busy_seconds() - machine - (mine.ru_utime - own.ru_utime + mine.ru_stime - own.ru_stime)
    # Where /proc/stat is readable, the tree's time (parse workers included); never less
    # than what rusage saw of it.
    cpu = max(cpu, tree)
    os.sync()  # what the run left in the page cache reaches the disk, counted as its own
    after_disk = disk_bytes_written()
    written = blocks * 512 if disk is None or after_disk is None else after_disk - disk
    return {"wall": wall, "cpu": cpu, "rss_mb": peak_kb / 1024, "written_mb": written / 2**20}


def crawl_command(registry: Path, work: Path) -> list[str]:
    return [
        *(sys.executable, "-m", "scrapy", "crawl", "reports"),
        *("-s", f"GKNB_SITES={registry}"),
        *("-s", f"GKNB_DATABASE={work / 'reports.db'}"),
        *("-s", f"GKNB_RAW_DIR={work / 'raw'}"),
        *FAST,
    ]


def syncs(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    """``fsync`` and ``fdatasync`` calls of a command and all its processes (strace -f)."""
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as out:
        subprocess.run(
            ["strace", "-f", "-c", "-e", "trace=fsync,fdatasync", "-o", out.name, *command],
            cwd=cwd,
            env=env,
            check=True,
            capture_output=True,
        )
        calls = 0
        for line in out.read().splitlines():
            parts = line.split()
            if parts and parts[-1] in ("fsync", "fdatasync"):
                calls += int(parts[3])
    return calls


def database_figures(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {
            "reports": db.execute("select count(*) from reports").fetchone()[0],
            "documents": db.execute("select count(*) from documents").fetchone()[0],
        }


def measure(portals: int = 50, runs: int = 3, syscalls: bool = True) -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="gknb-crawl-"))
    sites = synthetic_sites(portals, seed=4)
    registry = base / "sites.toml"
    registry.write_text(registry_toml(sites), "utf-8")
    ours: list[dict[str, float]] = []
    bare: list[dict[str, float]] = []
    again: list[dict[str, float]] = []
    result: dict[str, Any] = {"portals": portals, "runs": runs}
    try:
        with Simulator(sites) as sim:
            env = {**os.environ, "http_proxy": sim.proxy_url, "https_proxy": sim.proxy_url}
            env.pop("no_proxy", None)
            env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine
            for index in range(runs):
                work = base / f"run{index}"
                sim.log.clear()
                ours.append(run(crawl_command(registry, work), ROOT, env))
                entries = sim.log.entries()
                first_bytes = sum(e.bytes for e in entries)
                urls = sorted({e.url for e in entries if e.method == "GET"})
                listing = base / "urls.json"
                listing.write_text(json.dumps(urls), "utf-8")
                result.update(database_figures(work / "reports.db"), requests=len(entries))
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
                sim.log.clear()
                second = run(crawl_command(registry, work), ROOT, env)
                second["bytes_ratio"] = sum(e.bytes for e in sim.log.entries()) / first_bytes
                again.append(second)
                if index == runs - 1:
                    with sqlite3.connect(work / "reports.db") as db:
                        db.execute("vacuum")
                    size = (work / "reports.db").stat().st_size
                    result["db_kb_per_report"] = size / 1024 / max(result["reports"], 1)
                    raw = sum(p.stat().st_size for p in (work / "raw").rglob("*") if p.is_file())
                    result["db_to_raw"] = size / max(raw, 1)
                shutil.rmtree(work, ignore_errors=True)
            if syscalls:
                work = base / "strace"
                calls = syncs(crawl_command(registry, work), ROOT, env)
                stored = database_figures(work / "reports.db")["documents"]
                result["syncs"] = calls
                result["syncs_per_document"] = calls / max(stored, 1)
    finally:
        shutil.rmtree(base, ignore_errors=True)

    def median(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    for key in ("wall", "cpu", "rss_mb", "written_mb"):
        result[key] = {"ours": median(ours, key), "bare": median(bare, key)}
        result[key]["ratio"] = result[key]["ours"] / max(result[key]["bare"], 1e-9)
    result["cpu_ms_per_report"] = median(ours, "cpu") / max(result["reports"], 1) * 1000
    result["second"] = {
        "wall_ratio": median(again, "wall") / median(ours, "wall"),
        "bytes_ratio": median(again, "bytes_ratio"),
    }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--portals", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-syscalls", dest="syscalls", action="store_false")
    args = parser.parse_args()
    r = measure(args.portals, args.runs, args.syscalls)
    print(
        f"{r['portals']} synthetic portals: {r['requests']} requests, {r['documents']} documents, "
        f"{r['reports']} reports; medians of {r['runs']} paired runs"
    )
    for key, unit in (("wall", "s"), ("cpu", "s CPU"), ("rss_mb", "MB RSS"), ("written_mb", "MB")):
        row = r[key]
        print(
            f"{key:10} ours {row['ours']:8.2f} {unit:7} bare {row['bare']:8.2f}   "
            f"ratio {row['ratio']:5.2f}×"
        )
    print(f"CPU per report (ours): {r['cpu_ms_per_report']:.1f} ms")
    print(
        f"second crawl, nothing changed: {r['second']['bytes_ratio']:.3f}× the bytes, "
        f"{r['second']['wall_ratio']:.2f}× the wall time of the first"
    )
    print(
        f"database: {r['db_kb_per_report']:.1f} KB per report, {r['db_to_raw']:.2f}× the raw bytes"
    )
    if "syncs" in r:
        print(
            f"fsync/fdatasync: {r['syncs']} for {r['documents']} documents "
            f"({r['syncs_per_document']:.3f} per document)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
