"""Fresh pages and documents are not requested: their requests become the unchanged documents,
and what a page led on to when it was last read is followed in its place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scrapy import FormRequest, Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.discovery.hosts import SitePolicy
from crawler.items import FetchedDocument
from crawler.middlewares.fresh import FreshDocumentsMiddleware
from crawler.spiders.reports import ReportsSpider
from crawler.storage import Storage
from tests.crawler.spiders.test_reports_hosts import HONGZE

SITE = HONGZE
LIST = "http://www.hongze.gov.cn/zwgk/ndbg/"
PAGE = "http://www.hongze.gov.cn/zwgk/ndbg/2025/0120/1.html"
PDF = "http://www.hongze.gov.cn/uploadfiles/202501/2024nb.pdf"
XLS = "http://www.hongze.gov.cn/uploadfiles/202501/2024nb-tables.xls"
AWAY = "http://www.example.com/2024nb.pdf"  # another host: never followed
PAGE_HTML = (
    "<html><body><h1>洪泽区2024年政府信息公开工作年度报告</h1>"
    f"<a href='{PDF}'>2024年报告全文.pdf</a><a href='{XLS}'>附表.xls</a>"
    f"<a href='{AWAY}'>转载.pdf</a><a href='/zwgk/'>返回</a></body></html>"
).encode()


def _fetch(storage: Storage, url: str, body: bytes, hours: float, status: int = 200) -> str:
    stored = storage.store_bytes(body)
    storage.record_document(stored.sha256, "text/html", len(body), "html")
    storage.record_read(stored.sha256, "0.2.0")
    fetched = (datetime.now(UTC) - timedelta(hours=hours)).isoformat(timespec="seconds")
    storage.record_fetch(
        {
            "url": url,
            "final_url": url,
            "status": status,
            "site_id": SITE.site_id,
            "sha256": stored.sha256 if status == 200 else None,
            "content_type": "text/html; charset=utf-8",
            "etag": '"e"',
            "fetched_at": fetched,
            "kind": "report_page" if url == PAGE else "attachment",
        }
    )
    return stored.sha256


def _crawl(tmp_path: Path, fresh_days: float = 1, conditional: bool = True) -> Any:
    settings = {
        "GKNB_DATABASE": str(tmp_path / "r.db"),
        "GKNB_RAW_DIR": str(tmp_path / "raw"),
        "GKNB_FRESH_DAYS": fresh_days,
        "GKNB_CONDITIONAL_GET": conditional,
    }
    crawler = get_crawler(ReportsSpider, settings)
    crawler.stats.open_spider()
    spider = ReportsSpider.from_crawler(crawler)
    spider.use_policy(SitePolicy([SITE]))
    crawler.spider = spider
    return crawler


@pytest.fixture
def store(tmp_path: Path) -> Storage:
    storage = Storage(tmp_path / "r.db", tmp_path / "raw")
    storage.upsert_sites([SITE.to_row()])
    yield storage
    storage.close()


def _list_response(spider: ReportsSpider) -> HtmlResponse:
    request = Request(LIST, meta={"site_id": SITE.site_id, "hops": 2})
    return HtmlResponse(LIST, body=b"<html></html>", encoding="utf-8", request=request)


def _outputs(crawler: Any, *requests: Request) -> list[Any]:
    middleware = FreshDocumentsMiddleware.from_crawler(crawler)
    return list(middleware.process_spider_output(_list_response(crawler.spider), iter(requests)))


def _report_link(spider: ReportsSpider, url: str = PAGE) -> Request:
    return spider._request(
        SITE, url, spider.parse_report_page, hops=3, document="report_page", link_text="2024年报"
    )


def _attachment_link(spider: ReportsSpider, url: str = PDF) -> Request:
    return spider._request(
        SITE, url, spider.parse_attachment, hops=3, document="attachment", link_text="年报.pdf"
    )


def _read_page(store: Storage, sha256: str) -> None:
    """What the crawl records when it reads the report page: its attachment links."""
    links = ((PDF, "2024年报告全文.pdf"), (XLS, "附表.xls"), (AWAY, "转载.pdf"))
    store.record_links(sha256, PAGE, links, (), "2025-01-20T00:00:00+00:00")


def test_a_fresh_attachment_is_not_requested(tmp_path: Path, store: Storage) -> None:
    sha256 = _fetch(store, PDF, b"%PDF-1.4 a", hours=2)
    crawler = _crawl(tmp_path)
    [document] = _outputs(crawler, _attachment_link(crawler.spider))
    assert isinstance(document, FetchedDocument)
    assert (document.url, document.kind, document.status) == (PDF, "attachment", 304)
    assert document.fresh and document.not_modified and not document.body
    assert (document.sha256, document.link_text, document.referer) == (sha256, "年报.pdf", LIST)
    stats = crawler.stats.get_stats()
    assert stats["gknb/conditional/fresh"] == stats["gknb/conditional/not_requested"] == 1


def test_a_fresh_report_page_is_replaced_by_its_known_attachments(
    tmp_path: Path, store: Storage
) -> None:
    _read_page(store, _fetch(store, PAGE, PAGE_HTML, hours=2))
    _fetch(store, PDF, b"%PDF-1.4 a", hours=2)  # fresh: answered too
    _fetch(store, XLS, b"xls", hours=40)  # yesterday's: asked for (conditionally)
    crawler = _crawl(tmp_path)
    outputs = _outputs(crawler, _report_link(crawler.spider))
    page, pdf, xls = outputs  # the link to another host is not followed
    assert isinstance(page, FetchedDocument) and page.kind == "report_page" and page.fresh
    assert isinstance(pdf, FetchedDocument) and pdf.url == PDF and pdf.fresh
    assert pdf.referer == LIST  # the response whose callback asked for the page
    assert isinstance(xls, Request) and xls.url == XLS
    assert xls.callback == crawler.spider.parse_attachment
    assert (xls.meta["document"], xls.meta["hops"], xls.meta["link_text"]) == (
        "attachment",
        4,
        "附表.xls",
    )
    assert xls.headers["Referer"] == PAGE.encode()  # from the page that links to it


def test_a_report_page_never_read_for_its_links_is_requested(
    tmp_path: Path, store: Storage
) -> None:
    _fetch(store, PAGE, PAGE_HTML, hours=2)  # fresh, but its links were never recorded
    crawler = _crawl(tmp_path)
    link = _report_link(crawler.spider)
    assert _outputs(crawler, link) == [link]  # the store answers it (ConditionalGetMiddleware)


def test_links_of_other_bytes_do_not_stand_in(tmp_path: Path, store: Storage) -> None:
    _read_page(store, _fetch(store, PAGE, PAGE_HTML, hours=50))
    _fetch(store, PAGE, PAGE_HTML + b"<!-- changed -->", hours=2)  # the page changed since
    crawler = _crawl(tmp_path)
    link = _report_link(crawler.spider)
    assert _outputs(crawler, link) == [link]


@pytest.mark.parametrize(
    ("hours", "status"),
    [
        (30, 200),  # given yesterday: asked for (conditionally)
        (2, 500),  # a failure today confirms nothing (and stores no bytes)
    ],
)
def test_a_document_not_fresh_is_requested(
    tmp_path: Path, store: Storage, hours: float, status: int
) -> None:
    _fetch(store, PDF, b"%PDF-1.4 a", hours=hours, status=status)
    crawler = _crawl(tmp_path)
    link = _attachment_link(crawler.spider)
    assert _outputs(crawler, link) == [link]


def test_a_document_that_failed_to_read_is_requested(tmp_path: Path, store: Storage) -> None:
    sha256 = _fetch(store, PDF, b"%PDF-1.4 a", hours=2)
    store.record_read(sha256, "0.2.0", "corrupt_document", "cut short")
    crawler = _crawl(tmp_path)
    link = _attachment_link(crawler.spider)
    assert _outputs(crawler, link) == [link]


def test_what_this_crawl_fetched_itself_is_no_fresh_answer(tmp_path: Path, store: Storage) -> None:
    """A document this crawl fetched already, linked to again: a duplicate for Scrapy's
    duplicate filter to drop, not a fresh page answered (and counted) a second time."""
    crawler = _crawl(tmp_path)
    middleware = FreshDocumentsMiddleware.from_crawler(crawler)  # the crawl starts
    _fetch(store, PDF, b"%PDF-1.4 a", hours=-1 / 3600)  # fetched a second later
    link = _attachment_link(crawler.spider)
    response = _list_response(crawler.spider)
    assert list(middleware.process_spider_output(response, iter([link]))) == [link]


def test_off_in_the_workers_of_a_distributed_crawl(tmp_path: Path) -> None:
    crawler = _crawl(tmp_path)
    crawler.settings.frozen = False
    crawler.settings.set("GKNB_REDIS_URL", "redis://127.0.0.1:6379/0")
    with pytest.raises(NotConfigured):
        FreshDocumentsMiddleware.from_crawler(crawler)


def test_a_url_is_answered_once_per_run(tmp_path: Path, store: Storage) -> None:
    _fetch(store, PDF, b"%PDF-1.4 a", hours=2)
    crawler = _crawl(tmp_path)
    spider = crawler.spider
    outputs = _outputs(crawler, _attachment_link(spider), _attachment_link(spider))
    assert len(outputs) == 1


@pytest.mark.parametrize("opt_out", ["full", "post", "validators", "listing", "list_api"])
def test_what_is_not_a_plain_document_request_passes(
    tmp_path: Path, store: Storage, opt_out: str
) -> None:
    _fetch(store, PDF, b"%PDF-1.4 a", hours=2)
    crawler = _crawl(tmp_path)
    spider = crawler.spider
    link = _attachment_link(spider)
    if opt_out == "full":  # -a full=1
        link.meta["dont_revalidate"] = True
    elif opt_out == "post":
        link = FormRequest(PDF, formdata={"a": "1"}, meta=dict(link.meta))
    elif opt_out == "validators":  # set by hand
        link.headers["If-None-Match"] = '"e"'
    elif opt_out == "listing":  # a 年报 column, a next page: new reports appear there
        link.meta["listing"] = True
    else:
        link.meta["list_kind"] = "jcms"
    assert _outputs(crawler, link) == [link]


@pytest.mark.parametrize(
    ("fresh_days", "conditional"), [(0, True), (1, False)], ids=["no-fresh-days", "no-conditional"]
)
def test_off_without_fresh_days_or_conditional_requests(
    tmp_path: Path, fresh_days: float, conditional: bool
) -> None:
    with pytest.raises(NotConfigured):
        FreshDocumentsMiddleware.from_crawler(_crawl(tmp_path, fresh_days, conditional))


# --- navigation pages: what they led to is followed in their place ----------------------

HOME = "http://www.hongze.gov.cn/"
ZWGK = "http://www.hongze.gov.cn/zwgk/"
COLUMN = "http://www.hongze.gov.cn/zwgk/ndbg/"
API = "http://www.hongze.gov.cn/api/list?col=12"


def _nav_fetch(storage: Storage, url: str, kind: str, hours: float) -> str:
    body = f"<html><body>{url}</body></html>".encode()
    stored = storage.store_bytes(body)
    fetched = (datetime.now(UTC) - timedelta(hours=hours)).isoformat(timespec="seconds")
    storage.record_fetch(
        {
            "url": url,
            "final_url": url,
            "status": 200,
            "site_id": SITE.site_id,
            "sha256": stored.sha256,
            "content_type": "text/html; charset=utf-8",
            "fetched_at": fetched,
            "kind": kind,
        }
    )
    return stored.sha256


def _read_home(store: Storage) -> None:
    """The home page, read 2 hours ago: it led to the disclosure area."""
    sha256 = _nav_fetch(store, HOME, "home", hours=2)
    store.record_links(sha256, HOME, [(ZWGK, "政务公开")], [], "2025-01-20T00:00:00+00:00")


def _read_zwgk(store: Storage, hours: float = 2) -> None:
    """The disclosure area: a 年报 column, a report, and a list API its family revealed."""
    sha256 = _nav_fetch(store, ZWGK, "disclosure", hours=hours)
    store.record_links(
        sha256,
        ZWGK,
        [(COLUMN, "年度报告"), (PAGE, "洪泽区2024年政府信息公开工作年度报告")],
        [(API, "jcms", None)],
        "2025-01-20T00:00:00+00:00",
    )


def test_a_fresh_navigation_page_is_replaced_by_what_it_led_to(
    tmp_path: Path, store: Storage
) -> None:
    _read_zwgk(store)
    crawler = _crawl(tmp_path)
    spider = crawler.spider
    link = spider._request(SITE, ZWGK, spider.parse_page, hops=1, role="disclosure")
    page, *requests = _outputs(crawler, link)
    assert isinstance(page, FetchedDocument)
    assert (page.kind, page.url, page.fresh, page.status) == ("disclosure", ZWGK, True, 304)
    # As parse_page would follow them: the list API, the column (always asked for: a
    # listing), the report page (never fetched: asked for).
    assert [(r.url, r.callback) for r in requests] == [
        (API, spider.parse_list),
        (COLUMN, spider.parse_page),
        (PAGE, spider.parse_report_page),
    ]
    assert all(r.meta["hops"] == 2 and r.headers["Referer"] == ZWGK.encode() for r in requests)
    assert requests[1].meta["role"] == "column" and requests[1].meta["listing"]


def test_a_fresh_start_is_answered_in_turn_down_to_what_must_be_asked_for(
    tmp_path: Path, store: Storage
) -> None:
    """The home page (a start request) and the disclosure area behind it, both fresh: neither
    is requested; what the disclosure area leads to is."""
    import asyncio

    _read_home(store)
    _read_zwgk(store)
    crawler = _crawl(tmp_path)
    spider = crawler.spider
    middleware = FreshDocumentsMiddleware.from_crawler(crawler)

    async def start() -> list[Any]:
        async def requests() -> Any:
            for request in spider.site_starts(None, SITE):
                yield request

        return [output async for output in middleware.process_start(requests())]

    outputs = asyncio.run(start())
    documents = [o for o in outputs if isinstance(o, FetchedDocument)]
    # The disclosure area as the home page links to it: a navigation page of the site's own.
    assert [(d.kind, d.url) for d in documents] == [("home", HOME), ("page", ZWGK)]
    assert documents[0].referer is None
    assert [o.url for o in outputs if isinstance(o, Request)] == [API, COLUMN, PAGE]
    assert crawler.stats.get_value("gknb/conditional/not_requested") == 2


@pytest.mark.parametrize("case", ["never_read", "yesterday", "no_bytes_kept"])
def test_a_navigation_page_not_fresh_or_never_read_is_requested(
    tmp_path: Path, store: Storage, case: str
) -> None:
    if case == "never_read":
        _nav_fetch(store, ZWGK, "disclosure", hours=2)
    elif case == "yesterday":
        _read_zwgk(store, hours=30)
    else:  # read, but its bytes were not kept: never answered from the store
        _read_zwgk(store)
        store.db.execute("update fetches set sha256 = null")
    crawler = _crawl(tmp_path)
    spider = crawler.spider
    link = spider._request(SITE, ZWGK, spider.parse_page, hops=1, role="disclosure")
    assert _outputs(crawler, link) == [link]
