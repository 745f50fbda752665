"""deploy/: the systemd service and timer pass ``systemd-analyze verify``; the service and the
crontab line run the same crawl, and that crawl runs (on the demo, replayed)."""

from __future__ import annotations

import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.crawler.replay import CASSETTES, replay

pytestmark = pytest.mark.crawl

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
CHECKOUT = "/opt/gknb"


def unit_setting(name: str, key: str) -> str:
    for line in (DEPLOY / name).read_text("utf-8").splitlines():
        if line.startswith(f"{key}="):
            return line.split("=", 1)[1]
    raise AssertionError(f"{name} has no {key}=")


def scrapy_args(command: str) -> list[str]:
    """The arguments given to ``scrapy`` in a command line (after flock and the venv path)."""
    words = shlex.split(command)
    start = next(i for i, w in enumerate(words) if w.endswith("/scrapy") or w == "scrapy")
    end = next((i for i, w in enumerate(words) if w in (">>", ">", "2>&1")), len(words))
    return words[start + 1 : end]


def cron_lines() -> list[str]:
    lines = (DEPLOY / "crontab").read_text("utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (.ci/run installs Debian's systemd package)",
)
def test_the_units_verify(tmp_path: Path) -> None:
    """Checked where they would run: the checkout and its scrapy put where the unit says
    (this machine's paths instead of /opt/gknb), the user left out (there is none here)."""
    scrapy = shutil.which("scrapy")
    assert scrapy is not None
    (tmp_path / "data").mkdir()
    for name in ("gknb-crawl.service", "gknb-crawl.timer"):
        text = (DEPLOY / name).read_text("utf-8")
        text = text.replace(f"{CHECKOUT}/.venv/bin/scrapy", scrapy).replace(CHECKOUT, str(tmp_path))
        text = "\n".join(
            line for line in text.splitlines() if not line.startswith(("User=", "Group="))
        )
        (tmp_path / name).write_text(text + "\n", "utf-8")
    done = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            "--man=no",
            *(str(tmp_path / n) for n in ("gknb-crawl.service", "gknb-crawl.timer")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_the_service_and_the_crontab_run_the_same_crawl(tmp_path: Path) -> None:
    service = scrapy_args(unit_setting("gknb-crawl.service", "ExecStart"))
    (cron,) = (line for line in cron_lines() if "scrapy crawl" in line)
    assert scrapy_args(cron) == service
    assert service[:2] == ["crawl", "reports"] and "due=1" in service
    assert "flock" in cron and "flock" in unit_setting("gknb-crawl.service", "ExecStart")
    # That crawl, on the demo portals replayed, into a database of its own.
    replay(tmp_path, CASSETTES, *service[2:]).close()
    with sqlite3.connect(tmp_path / "r.db") as connection:
        (reason, arguments, done) = connection.execute(
            "select finish_reason, arguments, sites_done from crawl_runs"
        ).fetchone()
    assert reason == "finished" and '"due": true' in arguments and done == 7
