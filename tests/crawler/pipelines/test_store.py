"""StorePipeline: each exchange's rows in one transaction, never held across a parse."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler import queries
from crawler.items import FetchedDocument
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


def test_a_document_is_one_commit_after_its_parse(pipeline: StorePipeline) -> None:
    assert pipeline.storage is not None
    pipeline._site_row(SITE)
    commits = _commits(pipeline.storage)
    item = _page(
        url="http://www.minquan.gov.cn/a.pdf",
        final_url="http://www.minquan.gov.cn/a.pdf",
        kind="attachment",
        content_type="application/pdf",
        body=PDF.read_bytes(),
        platform=None,
    )
    store(pipeline, item)
    assert len(commits) == 1
    db = pipeline.storage.db
    assert db.execute("select count(*) from reports").fetchone()[0] == 1
    assert sorted(r[0] for r in db.execute("select kind from fetches")) == [
        "attachment",
        "redirect",
    ]


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
