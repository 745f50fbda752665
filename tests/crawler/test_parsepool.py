"""The parse pool (crawler/parsepool.py): what its workers load, and what they answer."""

from __future__ import annotations

import os
import subprocess
import sys

from scrapy.settings import Settings

from crawler.parsepool import WORKER_MODULES, Failure, ParsePool, read
from parsers import AnnualReport
from tests.crawler.replay import ROOT

TEXT = "洪泽区2023年政府信息公开工作年度报告\n一、总体情况\n2023年，本机关主动公开政府信息12条。\n"


def heavy_modules(imports: str, heavy: set[str]) -> str:
    """Which of ``heavy`` a fresh interpreter has loaded after ``imports``."""
    probe = (
        f"import sys, {imports}\n"
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_a_worker_loads_the_parsers_and_neither_scrapy_nor_sqlite() -> None:
    """Each worker imports this module to run ``read``; the forkserver preloads it. Scrapy,
    Twisted or sqlite-utils in it would cost every worker a second of start-up."""
    assert WORKER_MODULES == ["crawler.parsepool"]
    heavy = {"scrapy", "twisted", "sqlite_utils", "numpy", "lxml_html_clean", "pypinyin"}
    assert heavy_modules("crawler.parsepool", heavy) == ""


def test_a_crawls_workers_load_the_storage_but_neither_scrapy_nor_twisted() -> None:
    """A crawl's workers also record what they read: the forkserver preloads
    ``crawler.ingest`` (sqlite-utils with it, and numpy where sqlite-utils finds it), still
    without Scrapy or Twisted."""
    assert heavy_modules("crawler.ingest", {"scrapy", "twisted"}) == ""


def test_the_pool_answers_what_read_answers() -> None:
    data = TEXT.encode("utf-8")
    with ParsePool(workers=1, timeout=60, memory_mb=0) as pool:
        pooled = pool.outcome(pool.submit(data, "http://x.gov.cn/a.txt", "text/plain"))
        broken = pool.outcome(pool.submit(b"%PDF-1.4 broken", "http://x.gov.cn/b.pdf", ""))
    assert pooled == read(data, "http://x.gov.cn/a.txt", "text/plain")
    assert isinstance(pooled, AnnualReport)
    assert pooled.year == 2023
    assert [(v.table, v.value) for v in pooled.values] == [("active_disclosure", 12)]
    assert isinstance(broken, Failure)


def test_workers_yield_the_cpu_to_the_reactor() -> None:
    """Workers are niced: the crawl's own process (downloads) comes first on a busy core."""
    mine = os.nice(0)
    with ParsePool(workers=1, timeout=60, memory_mb=0, niceness=7) as pool:
        theirs = pool.pool.schedule(os.nice, args=(0,)).result(timeout=60)
    assert theirs == min(mine + 7, 19)


def test_the_settings_nice_the_workers_by_default() -> None:
    settings = Settings()
    settings.setmodule("crawler.settings")
    pool = ParsePool.from_settings(settings, workers=1)
    try:
        theirs = pool.pool.schedule(os.nice, args=(0,)).result(timeout=60)
    finally:
        pool.close()
    assert theirs == min(os.nice(0) + settings.getint("GKNB_PARSE_NICE"), 19) > os.nice(0)
