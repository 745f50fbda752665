"""StorePipeline: each exchange's rows in one transaction, never held across a parse."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pebble
import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler import ingest, queries
from crawler.downloader import SlotBoundDownloader
from crawler.ingest import Recorded
from crawler.items import FetchedDocument
from crawler.parsepool import Failure
from crawler.pipelines.store import StorePipeline
from crawler.storage import Storage

SITE = "henan_shangqiu_minquan"
PDF = Path(__file__).resolve().parents[2] / "fixtures" / "pdf" / "002_hongze_qu_2023.pdf"


@pytest.fixture
def pipeline(tmp_path: Path) -> Iterator[StorePipeline]:
    crawler = get_crawler(
        settings_dict={
            "GKNB_SITES": "demo",
            "GKNB_DATABASE": str(tmp_path / "r.db"),
            "GKNB_RAW_DIR": str(tmp_path / "raw"),
            "GKNB_PARSE_WORKERS": 1,
        }
    )
    crawler.spider = crawler._create_spider("reports")  # the pipeline logs through it
    made = StorePipeline.from_crawler(crawler)
    made.open_spider()
    yield made
    made.close_spider()


def _commits(storage: Storage) -> list[str]:
    seen: list[str] = []
    storage.db.conn.set_trace_callback(
        lambda sql: seen.append(sql) if sql.strip().lower() == "commit" else None
    )
    return seen


def store(pipeline: StorePipeline, item: FetchedDocument) -> None:
    """The pipeline stores a fetched document and drops it: its bytes never reach a feed."""
    with pytest.raises(DropItem) as dropped:
        asyncio.run(pipeline.process_item(item))
    assert dropped.value.log_level == "DEBUG"  # not a warning per document


def _page(**changes: object) -> FetchedDocument:
    fields: dict[str, object] = {
        "site_id": SITE,
        "url": "http://www.minquan.gov.cn/zwgk/",
        "final_url": "http://www.minquan.gov.cn/zwgk/index.html",
        "status": 200,
        "fetched_at": "2026-12-01T00:00:00+00:00",
        "kind": "disclosure",
        "content_type": "text/html",
        "body": b"<html><body><a href='a.html'>2023</a></body></html>",
        "platform": "trs",
        "redirects": [
            ("http://www.minquan.gov.cn/zwgk/", 302, "http://www.minquan.gov.cn/zwgk/index.html")
        ],
    }
    fields.update(changes)
    return FetchedDocument(**fields)  # type: ignore[arg-type]


def test_a_navigation_page_is_one_commit(pipeline: StorePipeline) -> None:
    assert pipeline.storage is not None
    pipeline._site_row(SITE)
    commits = _commits(pipeline.storage)
    store(pipeline, _page())
    assert len(commits) == 1  # the hop, the page, the platform and the entry point together
    db = pipeline.storage.db
    kinds = sorted(r[0] for r in db.execute("select kind from fetches"))
    assert kinds == ["disclosure", "redirect"]
    assert db.execute("select count(*) from site_entry_points").fetchone()[0] == 1


def test_a_failure_inside_an_exchange_leaves_none_of_its_rows(
    pipeline: StorePipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pipeline.storage is not None
    storage = pipeline.storage

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(storage, "record_entry_point", full_disk)
    with pytest.raises(OSError, match="disk full"):
        store(pipeline, _page())
    assert storage.db.execute("select count(*) from fetches").fetchone()[0] == 0
    monkeypatch.undo()
    store(pipeline, _page())  # the next attempt writes it whole
    assert storage.db.execute("select count(*) from fetches").fetchone()[0] == 2


def _attachment() -> FetchedDocument:
    return _page(
        url="http://www.minquan.gov.cn/a.pdf",
        final_url="http://www.minquan.gov.cn/a.pdf",
        kind="attachment",
        content_type="application/pdf",
        body=PDF.read_bytes(),
        platform=None,
    )


def test_a_document_is_recorded_by_a_worker_not_by_the_reactor(pipeline: StorePipeline) -> None:
    """The reactor's connection commits nothing for a document: a parse worker reads it and
    records it (``ingest.record``: one transaction, see test_ingest); the run still counts
    its report."""
    assert pipeline.storage is not None
    pipeline._site_row(SITE)
    commits = _commits(pipeline.storage)
    store(pipeline, _attachment())
    assert commits == []
    db = pipeline.storage.db
    (report_id,) = (r[0] for r in db.execute("select report_id from reports"))
    assert sorted(r[0] for r in db.execute("select kind from fetches")) == [
        "attachment",
        "redirect",
    ]
    assert pipeline.storage.touched == {report_id}
    assert pipeline.storage.written == {report_id: "new"}


class _DiesAfterItsWork:
    """A pool whose worker does the job, then dies before its answer comes back."""

    def __init__(self, work: bool) -> None:
        self.work = work

    def call(self, function: Any, *args: Any) -> concurrent.futures.Future:
        if self.work:
            function(*args)
        future: concurrent.futures.Future = concurrent.futures.Future()
        future.set_exception(pebble.ProcessExpired("Abnormal termination", code=-9))
        return future

    def failure(self, exc: Exception) -> Failure:
        return Failure("too_costly", f"the parsing process died ({exc})")

    def close(self) -> None:
        pass


@pytest.mark.parametrize("committed", [False, True])
def test_a_worker_that_dies_loses_nothing_and_doubles_nothing(
    pipeline: StorePipeline, committed: bool
) -> None:
    """A worker that dies before its transaction commits: the document is recorded here,
    too_costly. One that dies after: what it recorded stands, once (one fetch row)."""
    assert pipeline.storage is not None and pipeline.pool is not None
    pipeline.pool.close()
    pipeline.pool = _DiesAfterItsWork(committed)  # type: ignore[assignment]
    try:
        store(pipeline, _attachment())
    finally:
        worker = ingest._STORES.pop((pipeline.database, pipeline.raw_dir), None)
        if worker is not None:
            worker.close()
    db = pipeline.storage.db
    fetches = [tuple(r) for r in db.execute("select kind, sha256 is not null from fetches")]
    assert sorted(fetches) == [("attachment", 1), ("redirect", 0)]
    error = db.execute("select error_kind from documents").fetchone()[0]
    reports = db.execute("select count(*) from reports").fetchone()[0]
    if committed:
        assert (error, reports) == (None, 1)
        assert len(pipeline.storage.touched) == 1
    else:
        assert (error, reports) == ("too_costly", 0)
        assert pipeline.storage.touched == set()


def test_the_first_copy_of_a_report_counts_it_new_whatever_order_the_answers_come_in(
    pipeline: StorePipeline,
) -> None:
    assert pipeline.storage is not None
    first = Recorded("a" * 64, "r1", "new", "某县", 2023, None)
    second = Recorded("b" * 64, "r1", "updated", "某县", 2023, None)
    lesser = Recorded("c" * 64, "r1", None, "某县", 2023, None)
    for order in ([first, second, lesser], [lesser, second, first]):
        pipeline.storage.written.clear()
        pipeline.storage.touched.clear()
        for done in order:
            pipeline._count_report(done)
        assert pipeline.storage.written == {"r1": "new"}
        assert pipeline.storage.touched == {"r1"}


@pytest.mark.parametrize("how", ["new", "not_modified", "fresh"])
def test_the_links_of_every_report_page_read_are_kept(pipeline: StorePipeline, how: str) -> None:
    """Downloaded (stored and parsed), confirmed by a 304 or served fresh from the store: a
    report page's attachment links are kept under its bytes' sha256 and the URL they were
    read at (``FreshDocumentsMiddleware`` follows them while the page is fresh)."""
    assert pipeline.storage is not None
    body = "<html><body><a href='/nb.pdf'>2023年报.pdf</a></body></html>".encode()
    sha256 = pipeline.storage.store_bytes(body).sha256
    url = "http://www.minquan.gov.cn/zwgk/nb/2023.html"
    links = (("http://www.minquan.gov.cn/nb.pdf", "2023年报.pdf"),)
    item = _page(
        url=url,
        final_url=url,
        kind="report_page",
        status=200 if how == "new" else 304,
        body=body if how == "new" else b"",
        not_modified=how != "new",
        fresh=how == "fresh",
        links=links,
        sha256=None if how == "new" else sha256,
        redirects=[],
    )
    store(pipeline, item)
    assert queries.page_links(pipeline.storage.db, sha256, url) == queries.PageLinks(
        list(links), []
    )
    assert queries.page_links(pipeline.storage.db, sha256, url + "?other") is None


class _Held:
    """A pool whose jobs wait until the test answers them."""

    def __init__(self) -> None:
        self.jobs: list[concurrent.futures.Future] = []

    def call(self, function: Any, *args: Any) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self.jobs.append(future)
        return future

    def failure(self, exc: Exception) -> Failure:
        return Failure("too_costly", repr(exc))

    def close(self) -> None:
        pass


def test_downloads_pause_while_enough_documents_wait_for_the_workers(
    pipeline: StorePipeline,
) -> None:
    """Each document handed to the workers is counted until its answer (or its failure)
    comes back; at GKNB_PARSE_BACKLOG per worker the downloader backs out, and the next
    answer lets it go on (a waiting document holds its response in Scrapy's scraper)."""
    assert pipeline.pool is not None
    per_worker = pipeline.crawler.settings.getint("GKNB_PARSE_BACKLOG", 4)
    assert per_worker > 0 and pipeline.backlog.limit == pipeline.pool.workers * per_worker
    pipeline.pool.close()
    held = _Held()
    pipeline.pool = held  # type: ignore[assignment]
    downloader = SlotBoundDownloader(pipeline.crawler)
    assert downloader.backlog is pipeline.backlog
    limit = pipeline.backlog.limit
    answer = Recorded("a" * 64, None, None, None, None, Failure("not_a_report", "a page"))

    async def crawl() -> None:
        tasks = []
        for n in range(limit + 1):
            item = _attachment()
            tasks.append(asyncio.ensure_future(pipeline.process_item(item)))
            await asyncio.sleep(0.01)
            assert pipeline.backlog.waiting == n + 1
            assert downloader.needs_backout() == (n + 1 >= limit)
        held.jobs[0].set_result(answer)
        held.jobs[1].set_exception(pebble.ProcessExpired("Abnormal termination", code=-9))
        await asyncio.sleep(0.05)
        assert pipeline.backlog.waiting == limit - 1
        assert not downloader.needs_backout()
        for job in held.jobs[2:]:
            job.set_result(answer)
        for outcome in await asyncio.gather(*tasks, return_exceptions=True):
            assert isinstance(outcome, DropItem)

    asyncio.run(crawl())
    assert pipeline.backlog.waiting == 0
    assert pipeline.crawler.stats is not None
    assert pipeline.crawler.stats.get_value("gknb/parse/waiting_max") == limit + 1
