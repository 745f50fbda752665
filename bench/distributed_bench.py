"""Benchmark: a distributed crawl with two workers against one worker, and against the
single-process crawl, on the same synthetic portals (politeness delays off).

    python bench/distributed_bench.py [--portals 300] [--runs 2]

Needs redis-server (started here on loopback) and the ``distributed`` extra. Each run crawls
the portals three ways into fresh databases: ``scrapy crawl reports`` alone; the store and
one worker; the store and two workers. The wall time of a distributed crawl is the store's
(it ends when the last item is stored; the workers then wait GKNB_WORKER_IDLE to close).
Printed: medians, the two-worker speed-up over one worker, the ratio to the single-process
crawl, and the URLs the simulator answered more than once in the two-worker crawls.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator import Simulator  # noqa: E402
from simulator.scale import registry_toml, synthetic_sites  # noqa: E402

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=ERROR"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command(spider: str, registry: Path, work: Path, *extra: str) -> list[str]:
    return [
        *(sys.executable, "-m", "scrapy", "crawl", spider),
        *("-s", f"GKNB_SITES={registry}"),
        *("-s", f"GKNB_DATABASE={work / 'reports.db'}"),
        *("-s", f"GKNB_RAW_DIR={work / 'raw'}"),
        *FAST,
        *extra,
    ]


def distributed(
    registry: Path, work: Path, env: dict[str, str], redis_url: str, workers: int
) -> float:
    shared = ("-s", f"GKNB_REDIS_URL={redis_url}", "-s", "GKNB_WORKER_IDLE=2")
    start = time.perf_counter()
    store = subprocess.Popen(command("store", registry, work, *shared), cwd=ROOT, env=env)
    crew = [
        subprocess.Popen(command("reports", registry, work, *shared), cwd=ROOT, env=env)
        for _ in range(workers)
    ]
    assert store.wait() == 0
    wall = time.perf_counter() - start
    assert all(p.wait() == 0 for p in crew)
    return wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--portals", type=int, default=300)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    server = shutil.which("redis-server")
    if server is None:
        print("redis-server is not installed")
        return 1
    import redis

    base = Path(tempfile.mkdtemp(prefix="gknb-distributed-"))
    sites = synthetic_sites(args.portals, seed=4)
    registry = base / "sites.toml"
    registry.write_text(registry_toml(sites), "utf-8")
    port = free_port()
    daemon = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    times: dict[str, list[float]] = {"alone": [], "one worker": [], "two workers": []}
    twice: list[int] = []
    try:
        for _ in range(100):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        with Simulator(sites) as sim:
            env = {**os.environ, "http_proxy": sim.proxy_url, "https_proxy": sim.proxy_url}
            env.pop("no_proxy", None)
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            for index in range(args.runs):
                start = time.perf_counter()
                subprocess.run(
                    command("reports", registry, base / f"alone{index}"),
                    cwd=ROOT,
                    env=env,
                    check=True,
                )
                times["alone"].append(time.perf_counter() - start)
                redis.Redis.from_url(url).flushall()
                times["one worker"].append(distributed(registry, base / f"one{index}", env, url, 1))
                redis.Redis.from_url(url).flushall()
                sim.log.clear()
                times["two workers"].append(
                    distributed(registry, base / f"two{index}", env, url, 2)
                )
                counts = Counter(e.url for e in sim.log.entries())
                twice.append(sum(1 for n in counts.values() if n > 1))
                redis.Redis.from_url(url).flushall()
    finally:
        daemon.terminate()
        daemon.wait()
        shutil.rmtree(base, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"{args.portals} portals, {args.runs} runs, {os.cpu_count()} cores (medians):")
    for name, value in median.items():
        print(f"  {name:12} {value:7.1f} s")
    print(
        f"  two workers / one worker: speed-up {median['one worker'] / median['two workers']:.2f}×"
    )
    print(f"  two workers / alone: {median['two workers'] / median['alone']:.2f}×")
    print(f"  URLs fetched more than once with two workers: {max(twice)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
