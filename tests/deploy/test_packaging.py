"""Run from a zipped egg, the project finds everything it ships: the bundled registries, the
coverage page and the simulator's content are package data read through importlib.resources
(a file path into an egg is "Not a directory")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.crawl

PROBE = """
import json, crawler
from crawler.coverage import coverage_page
from crawler.registry import SOURCES, read_csv
from crawler.sites import load_sites, registry_path
from crawler.storage import Storage
from simulator import demo_sites
demo = load_sites(registry_path("demo"))
page = coverage_page(Storage("r.db", "raw").db, demo)
print(json.dumps({
    "crawler": crawler.__file__,
    "demo": len(demo),
    "china": len(load_sites(registry_path("china"))),
    "sources": len(read_csv(SOURCES / "counties.csv")),
    "simulator": len(demo_sites()),
    "page": "<script>" in page and "</style>" in page,
}))
"""


def test_the_egg_carries_every_data_file(egg: Path) -> None:
    names = set(zipfile.ZipFile(egg).namelist())
    root = Path(__file__).resolve().parents[2]
    for package in ("crawler", "simulator"):
        shipped = {
            path.relative_to(root).as_posix()
            for path in (root / package).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".py"
        }
        assert shipped <= names, sorted(shipped - names)
    assert "scrapy" in zipfile.ZipFile(egg).read("EGG-INFO/entry_points.txt").decode()


def test_the_project_runs_from_a_zipped_egg(egg: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(egg)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["crawler"].startswith(str(egg) + os.sep)  # imported from the zip
    assert found["demo"] == 7 and found["china"] > 2800
    assert found["sources"] > 2800 and found["simulator"] == 7 and found["page"]
