"""The project as Scrapyd receives it: an egg built by ``python setup.py bdist_egg`` (what
``scrapyd-deploy`` runs), from a copy of the source tree so the checkout stays clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = (
    "pyproject.toml",
    "setup.py",
    "README.md",
    "scrapy.cfg",
    "crawler",
    "parsers",
    "simulator",
)


def copy_checkout(target: Path) -> Path:
    """What a clone of the repository holds for building the project (no caches)."""
    target.mkdir(parents=True)
    for name in SHIPPED:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, target / name)
    return target


def build_egg(out: Path) -> Path:
    source = copy_checkout(out / "src")
    subprocess.run(
        [sys.executable, "setup.py", "-q", "bdist_egg", "-d", str(out)],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (egg,) = out.glob("*.egg")
    return egg


@pytest.fixture(scope="session")
def egg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_egg(tmp_path_factory.mktemp("egg"))
