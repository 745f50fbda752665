"""A crawl shared by two workers through a real Redis (crawler/distributed): the database the
store writes equals a single-process crawl's, no URL is fetched twice, and a worker killed in
the middle loses nothing — the other takes over what it held."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crawler.sites import REGISTRY
from simulator import Simulator, demo_sites
from simulator.scale import registry_toml, synthetic_sites
from tests.crawler.replay import QUICK
from tests.crawler.test_crawl import ROOT
from tests.crawler.test_kill import snapshot

pytestmark = pytest.mark.crawl
pytest.importorskip("scrapy_redis", reason="scrapy-redis is in the dev extra")
REDIS_SERVER = shutil.which("redis-server")
needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed (.ci/run installs it)"
)
FAST = ("-s", "GKNB_WORKER_TTL=3", "-s", "GKNB_WORKER_IDLE=3")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of the test's own on loopback, no persistence; stopped after it."""
    import redis

    assert REDIS_SERVER is not None
    port = free_port()
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 30
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            assert process.poll() is None and time.monotonic() < deadline, "redis did not start"
            time.sleep(0.05)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


STARTED: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def _no_process_left() -> Iterator[None]:
    """A failed test leaves no worker behind (a worker waits for its Redis to come back)."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=60)


def start(
    sim: Simulator, workdir: Path, spider: str, registry: Path | None, *args: str
) -> subprocess.Popen[str]:
    env = {**os.environ, "http_proxy": sim.proxy_url, "https_proxy": sim.proxy_url}
    env.pop("no_proxy", None)
    command = [
        *(sys.executable, "-m", "scrapy", "crawl", spider),
        *("-s", f"GKNB_SITES={registry or 'demo'}"),
        *("-s", f"GKNB_DATABASE={workdir / 'reports.db'}"),
        *("-s", f"GKNB_RAW_DIR={workdir / 'raw'}"),
        *QUICK,
        *args,
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    STARTED.append(process)
    return process


def finish(process: subprocess.Popen[str]) -> str:
    _, stderr = process.communicate(timeout=600)
    assert process.returncode == 0 and "Traceback" not in stderr, stderr[-4000:]
    return stderr


def portals(workdir: Path, count: int) -> tuple[list, Path]:
    """The demo portals and ``count`` synthetic ones, with a registry naming them all."""
    synthetic = synthetic_sites(count, seed=15)
    registry = workdir / "sites.toml"
    registry.write_text(REGISTRY.read_text("utf-8") + "\n" + registry_toml(synthetic), "utf-8")
    return [*demo_sites(), *synthetic], registry


def alone(sites: list, registry: Path, workdir: Path) -> dict:
    with Simulator(sites) as sim:
        finish(start(sim, workdir, "reports", registry))
    return snapshot(workdir / "reports.db")


def shared_crawl(
    redis_url: str, tmp_path: Path, count: int
) -> tuple[list, Path, dict, tuple[str, ...], Path]:
    """``count`` synthetic portals and the demo ones: their sites and registry, the snapshot a
    single-process crawl of them writes, the settings of a crawl shared through Redis and its
    working directory."""
    sites, registry = portals(tmp_path, count)
    expected = alone(sites, registry, tmp_path / "alone")
    shared = ("-s", f"GKNB_REDIS_URL={redis_url}", *FAST)
    return sites, registry, expected, shared, tmp_path / "shared"


def same(found: dict, expected: dict) -> None:
    """The snapshots equal; else what is missing and what is extra, table by table (a diff of
    the whole sets takes pytest minutes)."""
    differences = {
        name: {
            "missing": sorted(expected[name] - found[name], key=repr)[:5],
            "extra": sorted(found[name] - expected[name], key=repr)[:5],
        }
        for name in expected
        if found[name] != expected[name]
    }
    assert not differences, differences


def held_by(redis_url: str, pid: int) -> Callable[[], int]:
    """How many requests the worker of process ``pid`` holds in flight."""
    import redis

    server = redis.Redis.from_url(redis_url)

    def count() -> int:
        return sum(server.hlen(k) for k in server.scan_iter(match=f"gknb:inflight:*-{pid}-*"))

    return count


def fetched_twice(sim: Simulator) -> dict[str, int]:
    counts = Counter(entry.url for entry in sim.log.entries())
    return {url: n for url, n in counts.items() if n > 1}


@needs_redis
def test_two_workers_and_the_store_write_what_one_crawl_writes(
    redis_url: str, tmp_path: Path
) -> None:
    sites, registry, expected, shared, workdir = shared_crawl(redis_url, tmp_path, 50)
    with Simulator(sites) as sim:
        store = start(sim, workdir, "store", registry, *shared)
        workers = [
            start(sim, workdir, "reports", registry, *shared, "-s", "LOG_LEVEL=INFO")
            for _ in range(2)
        ]
        logs = [finish(p) for p in (store, *workers)]
        twice = fetched_twice(sim)
    same(snapshot(workdir / "reports.db"), expected)
    assert twice == {}
    made = [int(re.findall(r"worker \S+ \(finished\): (\d+) requests", log)[0]) for log in logs[1:]]
    assert all(n > 0 for n in made), made  # both took their share


@needs_redis
def test_a_worker_killed_mid_crawl_loses_nothing(redis_url: str, tmp_path: Path) -> None:
    sites, registry, expected, shared, workdir = shared_crawl(redis_url, tmp_path, 20)
    with Simulator(sites) as sim:
        store = start(sim, workdir, "store", registry, *shared)
        doomed, survivor = (start(sim, workdir, "reports", registry, *shared) for _ in range(2))
        # Killed with requests in flight: served, being handed on, or still downloading.
        held = held_by(redis_url, doomed.pid)
        deadline = time.monotonic() + 120
        while len(sim.log.entries()) < 100 or held() < 3:
            assert doomed.poll() is None and time.monotonic() < deadline
            time.sleep(0.005)
        doomed.send_signal(signal.SIGKILL)
        doomed.communicate(timeout=60)
        assert held() > 0  # what it held when it died
        logs = [finish(p) for p in (store, survivor)]
    same(snapshot(workdir / "reports.db"), expected)
    assert "gone:" in logs[1]  # the survivor put the dead worker's work back


@needs_redis
def test_a_request_stays_in_flight_until_what_it_made_is_in_redis(redis_url: str) -> None:
    """Scrapy hands a callback's outputs on after the callback is through: the request is
    done only when each of them arrived (queued, found seen, forwarded)."""
    import redis
    from scrapy import Request

    from crawler.distributed import TOKEN, WORKER_ID, Keys
    from crawler.distributed.worker import InFlight

    server = redis.Redis.from_url(redis_url)
    keys = Keys("test")
    flight = InFlight(server, keys)
    server.hset(keys.inflight(WORKER_ID), "t1", b"0|request")
    request = Request("http://www.a.gov.cn/", meta={TOKEN: "t1"})
    link, document = Request("http://www.a.gov.cn/b"), object()
    flight.made(request, link)
    flight.made(request, document)
    flight.end(request)
    assert server.hexists(keys.inflight(WORKER_ID), "t1")
    flight.arrived(link)
    assert server.hexists(keys.inflight(WORKER_ID), "t1")
    flight.arrived(document)
    assert not server.hexists(keys.inflight(WORKER_ID), "t1")


@needs_redis
@pytest.mark.parametrize("dies", [False, True])
def test_a_request_is_never_seen_without_being_queued(redis_url: str, dies: bool) -> None:
    """scrapy-redis marks a request seen, then queues it: a worker killed in between left it
    seen and never queued, and the page that made it, put back and read again, found it
    seen — the request was lost. The two are one step: a push that dies marks nothing."""
    import redis
    from scrapy import Request, Spider
    from scrapy.utils.test import get_crawler
    from scrapy_redis.dupefilter import RFPDupeFilter

    from crawler.distributed import Keys
    from crawler.distributed.queue import ReliableScheduler

    server = redis.Redis.from_url(redis_url)
    keys = Keys("test")
    crawler = get_crawler(Spider, {"GKNB_REDIS_URL": redis_url, "GKNB_REDIS_PREFIX": "test"})
    spider = crawler._create_spider("worker")
    dupefilter = RFPDupeFilter(server, keys.dupefilter)
    scheduler = ReliableScheduler(
        server,
        persist=True,
        queue_key=keys.requests,
        queue_cls="crawler.distributed.queue.ReliableQueue",
        dupefilter=dupefilter,
    )
    scheduler.open(spider)
    request = Request("http://www.a.gov.cn/nb/2024.html")
    if dies:  # the connection goes in the middle of the push
        scheduler.queue._push = lambda **_: (_ for _ in ()).throw(redis.ConnectionError("gone"))
        with pytest.raises(redis.ConnectionError):
            scheduler.enqueue_request(request)
        assert server.scard(keys.dupefilter) == 0  # not seen: the page read again queues it
        assert server.zcard(keys.requests) == 0
        return
    assert scheduler.enqueue_request(request)
    assert not scheduler.enqueue_request(Request("http://www.a.gov.cn/nb/2024.html"))
    assert server.scard(keys.dupefilter) == 1 and server.zcard(keys.requests) == 1
    retry = Request("http://www.a.gov.cn/nb/2024.html", dont_filter=True)
    assert scheduler.enqueue_request(retry) and server.zcard(keys.requests) == 2


@needs_redis
def test_only_a_dead_workers_requests_and_seeds_are_put_back(redis_url: str) -> None:
    import redis

    from crawler.distributed import _RECLAIM, Keys

    server = redis.Redis.from_url(redis_url)
    keys = Keys("test")
    reclaim = server.register_script(_RECLAIM)
    for worker in ("dead", "alive"):
        server.hset(keys.inflight(worker), "t", b"-5|" + worker.encode() + b"|pickled")
        server.rpush(keys.taken(worker), f'{{"site_id": "{worker}"}}')
    server.set(keys.alive("alive"), 1)

    def put_back(worker: str) -> int:
        args = [keys.inflight(worker), keys.requests, keys.alive(worker), keys.taken(worker)]
        return int(reclaim(keys=[*args, keys.seeds]))

    assert put_back("alive") == -1 and server.hlen(keys.inflight("alive")) == 1
    assert put_back("dead") == 2
    assert server.zrange(keys.requests, 0, -1, withscores=True) == [(b"dead|pickled", -5.0)]
    assert server.lrange(keys.seeds, 0, -1) == [b'{"site_id": "dead"}']
    assert not server.exists(keys.inflight("dead"), keys.taken("dead"))
