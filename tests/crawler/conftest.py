"""The crawler tier: one replay of the committed cassettes per test session, shared."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.crawler.replay import replay


@pytest.fixture(scope="session")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the replayed crawl of every demo portal (r.db, raw/); read only."""
    workdir = tmp_path_factory.mktemp("crawled")
    replay(workdir).close()
    return workdir


@pytest.fixture
def workdir(crawled: Path, tmp_path: Path) -> Path:
    """A private copy of the replayed crawl, for tests that write."""
    shutil.copytree(crawled, tmp_path / "w")
    return tmp_path / "w"


@pytest.fixture(scope="session")
def replayed(crawled: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{crawled / 'r.db'}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection
