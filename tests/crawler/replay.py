"""Shared by the crawler tests: replay the committed cassettes, and the golden reports."""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from scrapy.cmdline import execute

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "cassettes"
DEAD = "http://127.0.0.1:9"  # nothing listens: any attempt to use the network fails loudly

# Demo-portal reports whose every table cell was read by eye from the real document.
GOLDEN = [
    ("民权县人民政府", 2021, "seeds/002_1802fb2dfce92170.expected.json"),
    ("西工区人民政府", 2020, "seeds/001_7b3c60a2029ed6a7.expected.json"),
    ("洪泽区人民政府", 2023, "pdf/002_hongze_qu_2023.expected.json"),
    ("淮安市洪泽区人民政府", 2024, "pdf/003_hongze_qu_2024.expected.json"),
    ("沭阳县发展和改革局", 2023, "html/002_shuyang_fgj_2023_report_ucap.expected.json"),
]


# Crawl settings for tests: no politeness delays against the local simulator or a cassette.
QUICK = (
    *("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0"),
    *("-s", "LOG_LEVEL=WARNING", "-s", "TELNETCONSOLE_ENABLED=0"),
)


def scrapy(
    *args: str, env: dict[str, str] | None = None, succeed: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run a scrapy command in the project, offline; it must succeed without a traceback
    (``succeed=False``: whatever it does, the caller looks)."""
    environment = {**os.environ, "http_proxy": DEAD, "https_proxy": DEAD, **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if succeed:
        assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result


def command(*args: str) -> str:
    """A gknb ``scrapy`` command run in this process (``scrapy.cmdline.execute``): its output.

    It must end with exit status 0 and without a traceback, as from a shell.
    """
    out = io.StringIO()
    previous = Path.cwd()
    os.chdir(ROOT)  # the project (scrapy.cfg) is found from the working directory
    try:
        with contextlib.redirect_stdout(out):
            try:
                execute(["scrapy", *args])
            except SystemExit as exit_:
                assert exit_.code in (0, None), out.getvalue()[-3000:]
    finally:
        os.chdir(previous)
    return out.getvalue()


def storage_settings(workdir: Path) -> list[str]:
    return ["-s", f"GKNB_DATABASE={workdir / 'r.db'}", "-s", f"GKNB_RAW_DIR={workdir / 'raw'}"]


def replay(
    workdir: Path, cassettes: Path = CASSETTES, *args: str, env: dict[str, str] | None = None
) -> sqlite3.Connection:
    """Crawl every demo portal (or ``-a site=ID``) from the cassettes into ``workdir``."""
    scrapy(
        "crawl",
        "reports",
        "-s",
        "GKNB_SITES=demo",
        "-s",
        "CASSETTE_MODE=replay",
        "-s",
        f"CASSETTE_DIR={cassettes}",
        *storage_settings(workdir),
        *QUICK,
        *args,
        env=env,
    )
    connection = sqlite3.connect(workdir / "r.db")
    connection.row_factory = sqlite3.Row
    return connection
