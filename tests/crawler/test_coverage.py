"""``scrapy coverage --html``: one self-contained page, loaded in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.crawler.replay import command, storage_settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)


@pytest.fixture(scope="module")
def page(crawled: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("coverage") / "coverage.html"
    out = command(
        "coverage", *storage_settings(crawled), "-s", "GKNB_SITES=demo", "--html", str(target)
    )
    assert f"{target}: coverage page" in out
    return target


def test_the_page_needs_nothing_from_elsewhere(page: Path) -> None:
    text = page.read_text("utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", text)
    assert "@import" not in text and "fetch(" not in text


def browse(page: Path, tmp_path: Path) -> tuple[str, list[str]]:
    """The page's DOM after its script ran, and what it said on the console."""
    if CHROMIUM is None:
        pytest.skip("no Chromium: apt-get install chromium (.ci/run installs it)")
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


def test_the_page_loads_in_chromium_with_its_heat_map_tables_and_chart(
    page: Path, tmp_path: Path
) -> None:
    dom, console = browse(page, tmp_path)
    assert console == []  # no error, no warning, nothing
    # The heat map: one row per province of the registry, a cell per covered year.
    assert len(re.findall(r'<th class="province">', dom)) == 3  # the demo's provinces
    assert len(re.findall(r'class="cell"', dom)) == 3 * 8  # 2016–2021, 2023, 2024
    assert ">河南省<" in dom
    # A table per province, and the chart of one county's figures across years.
    assert len(re.findall(r'<details class="province">', dom)) == 3
    assert re.search(r'<polyline class="series" data-key="new_requests"', dom)
    assert len(re.findall(r'class="point"', dom)) >= 2


def test_a_script_error_would_be_seen(page: Path, tmp_path: Path) -> None:
    """The console check can fail: the same page with its script broken."""
    broken = tmp_path / "broken.html"
    broken.write_text(page.read_text("utf-8").replace("heatmap();", "heatmap(); nothing();"))
    _, console = browse(broken, tmp_path)
    assert any("nothing is not defined" in line for line in console)
