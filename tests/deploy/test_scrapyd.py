"""The project on a real Scrapyd: started on loopback, the project deployed with scrapyd-client
(``scrapyd-deploy``, which builds the egg with setup.py and uploads it), a crawl of the demo
portals scheduled through Scrapyd's HTTP API, run from the egg, and the database read after."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from simulator import Simulator, demo_sites
from tests.deploy.conftest import ROOT, copy_checkout

pytestmark = pytest.mark.crawl
scrapyd = pytest.importorskip(
    "scrapyd", reason="scrapyd is in the dev extra: pip install -e '.[dev]'"
)
pytest.importorskip("scrapyd_client", reason="scrapyd-client is in the dev extra")

DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api(base: str, path: str, data: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with DIRECT.open(f"{base}/{path}", data=body, timeout=10) as answer:
        return json.loads(answer.read())


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, Simulator]]:
    """Scrapyd on 127.0.0.1 (its jobs reach the portals through the simulator, as the proxy
    in their environment), stopped after the test."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\npoll_interval = 0.2\nmax_proc = 2\n"
        "eggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\nitems_dir =\n",
        "utf-8",
    )
    with Simulator(demo_sites()) as sim:
        env = {**os.environ, "http_proxy": sim.proxy_url, "https_proxy": sim.proxy_url}
        env.pop("no_proxy", None)
        output = (home / "scrapyd.out").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "scrapyd"],
            cwd=home,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    assert api(base, "daemonstatus.json")["status"] == "ok"
                    break
                except OSError:
                    assert process.poll() is None, (home / "scrapyd.out").read_text("utf-8")
                    assert time.monotonic() < deadline, "Scrapyd did not start"
                    time.sleep(0.1)
            yield base, home, sim
        finally:
            process.terminate()
            process.wait(timeout=30)
            output.close()


def deploy(base: str, tmp_path: Path) -> str:
    """``scrapyd-deploy`` from a copy of the checkout whose scrapy.cfg names this server."""
    project = copy_checkout(tmp_path / "checkout")
    config = (ROOT / "scrapy.cfg").read_text("utf-8")
    assert "[deploy]" in config and "url = http://localhost:6800/" in config
    (project / "scrapy.cfg").write_text(
        config.replace("url = http://localhost:6800/", f"url = {base}/"), "utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    done = subprocess.run(
        [sys.executable, "-m", "scrapyd_client.deploy", "--version", "r1"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert '"status": "ok"' in done.stdout, done.stdout + done.stderr
    return "r1"


def test_a_crawl_scheduled_through_scrapyd(
    server: tuple[str, Path, Simulator], tmp_path: Path
) -> None:
    base, home, sim = server
    version = deploy(base, tmp_path)
    assert api(base, "listprojects.json")["projects"] == ["gknb"]
    assert api(base, "listspiders.json?project=gknb")["spiders"] == ["reports", "store"]
    data = tmp_path / "data"
    settings = {
        "GKNB_SITES": "demo",
        "GKNB_DATABASE": str(data / "reports.db"),
        "GKNB_RAW_DIR": str(data / "raw"),
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "0",
    }
    job = api(
        base,
        "schedule.json",
        [("project", "gknb"), ("spider", "reports"), ("due", "1")]
        + [("setting", f"{k}={v}") for k, v in settings.items()],
    )
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 300
    while True:
        jobs = api(base, "listjobs.json?project=gknb")
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(0.5)
    log_file = home / "logs" / "gknb" / "reports" / f"{job['jobid']}.log"
    assert log_file.exists(), (home / "scrapyd.out").read_text("utf-8")[-3000:]
    log = log_file.read_text("utf-8")
    assert "Traceback" not in log, log[-3000:]
    # Run from the uploaded egg: the bundled registry was read out of it.
    egg = home / "eggs" / "gknb" / f"{version}.egg"
    assert egg.is_file() and f"registry demo ({egg}/crawler/sites.toml)" in log
    with sqlite3.connect(data / "reports.db") as connection:
        stored = set(connection.execute("select site_id, publisher, year from reports"))
        (reason, arguments, done) = connection.execute(
            "select finish_reason, arguments, sites_done from crawl_runs"
        ).fetchone()
    expected = {
        (e.site_id, e.publisher, e.year) for s in sim.sites for e in s.manifest if e.readable
    }
    assert stored == expected and len(expected) == 11
    assert reason == "finished" and done == 7
    assert json.loads(arguments)["due"] is True and json.loads(arguments)["job"] == job["jobid"]
