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


def build_egg(out: Path) -> Path:
    source = out / "src"
    source.mkdir(parents=True)
    for name in SHIPPED:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
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
