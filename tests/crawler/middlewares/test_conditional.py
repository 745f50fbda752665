"""Conditional GETs: validators from the store, a meta opt-out, counted in the crawl's stats."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.middlewares.conditional import ConditionalGetMiddleware
from crawler.spiders.reports import ReportsSpider
from crawler.storage import Storage

URL = "http://www.hongze.gov.cn/uploadfiles/202502/20510.pdf"
BODY = b"%PDF-1.4 stored"


def _store(tmp_path: Path) -> Storage:
    """A store in ``tmp_path`` with the one site its fetches belong to."""
    storage = Storage(tmp_path / "r.db", tmp_path / "raw")
    storage.upsert_sites([{"site_id": "s", "name": "洪泽区人民政府", "division_code": "320813"}])
    return storage


def _over(tmp_path: Path, fresh_days: float = 1) -> ConditionalGetMiddleware:
    """The middleware of a crawl over the store in ``tmp_path``."""
    settings = {
        "GKNB_DATABASE": str(tmp_path / "r.db"),
        "GKNB_RAW_DIR": str(tmp_path / "raw"),
        "GKNB_FRESH_DAYS": fresh_days,
    }
    crawler = get_crawler(ReportsSpider, settings)
    crawler.stats.open_spider()
    return ConditionalGetMiddleware.from_crawler(crawler)


@pytest.fixture
def middleware(tmp_path: Path) -> ConditionalGetMiddleware:
    storage = _store(tmp_path)
    stored = storage.store_bytes(BODY)
    storage.record_document(stored.sha256, "application/pdf", len(BODY), "pdf")
    storage.record_read(stored.sha256, "0.2.0")
    storage.record_fetch(
        {
            "url": URL,
            "final_url": URL,
            "status": 200,
            "site_id": "s",
            "sha256": hashlib.sha256(BODY).hexdigest(),
            "etag": '"5e1-abc"',
            "last_modified": "Mon, 10 Feb 2025 08:00:00 GMT",
        }
    )
    storage.close()
    return _over(tmp_path, fresh_days=0)


def stats(middleware: ConditionalGetMiddleware) -> dict[str, int]:
    values = middleware.crawler.stats.get_stats()
    return {k.removeprefix("gknb/conditional/"): v for k, v in values.items() if "conditional" in k}


def test_a_known_document_is_asked_for_conditionally(middleware: ConditionalGetMiddleware) -> None:
    request = Request(URL, meta={"document": "attachment"})
    assert middleware.process_request(request) is None
    assert request.headers["If-None-Match"] == b'"5e1-abc"'
    assert request.headers["If-Modified-Since"] == b"Mon, 10 Feb 2025 08:00:00 GMT"
    assert request.meta["conditional"] and 304 in request.meta["handle_httpstatus_list"]
    answer = middleware.process_response(request, Response(URL, status=304, request=request))
    assert stats(middleware) == {"requests": 1, "not_modified": 1}
    # The spider gets the stored bytes, flagged: a report page's attachments are still found.
    assert (answer.status, answer.body, "not_modified" in answer.flags) == (200, BODY, True)


@pytest.mark.parametrize(
    ("kind", "conditional"),
    [
        (None, True),
        ("not_a_report", True),  # a page linking to its report: the same next time
        ("scanned_pdf", True),
        ("challenge_page", False),  # a gateway's page: download again
        ("wrong_format", False),  # a PDF served as text/html, a wrong charset
        ("corrupt_document", False),  # a truncated body
        ("parser_failure", False),
    ],
)
def test_only_a_document_read_for_good_is_revalidated(
    middleware: ConditionalGetMiddleware, kind: str | None, conditional: bool
) -> None:
    storage = Storage(middleware.database, middleware.raw_dir)
    sha256 = hashlib.sha256(BODY).hexdigest()
    storage.record_read(sha256, "0.2.0", kind, "as stored" if kind else None)
    storage.close()
    request = Request(URL, meta={"document": "attachment"})
    middleware.process_request(request)
    assert bool(request.meta.get("conditional")) is conditional


def test_a_changed_and_an_unchanged_answer_are_told_apart(
    middleware: ConditionalGetMiddleware,
) -> None:
    for body in (b"%PDF-1.4 new", BODY):
        request = Request(URL, meta={"document": "attachment"})
        middleware.process_request(request)
        middleware.process_response(request, Response(URL, status=200, body=body, request=request))
    assert stats(middleware) == {"requests": 2, "changed": 1, "unchanged": 1}


@pytest.mark.parametrize(
    "meta",
    [
        {"document": "attachment", "dont_revalidate": True},  # -a full=1
        {},  # a navigation page
        {"document": "report_page"},  # another URL, never fetched
    ],
)
def test_no_validators_where_none_belong(middleware: ConditionalGetMiddleware, meta: dict) -> None:  # type: ignore[type-arg]
    url = URL if meta.get("document") == "attachment" or not meta else URL + "?other"
    request = Request(url, meta=dict(meta))
    middleware.process_request(request)
    assert b"If-None-Match" not in request.headers and not request.meta.get("conditional")
    assert stats(middleware) == {}


def test_no_database_yet_means_no_validators(tmp_path: Path) -> None:
    crawler = get_crawler(ReportsSpider, {"GKNB_DATABASE": str(tmp_path / "none.db")})
    middleware = ConditionalGetMiddleware.from_crawler(crawler)
    request = Request(URL, meta={"document": "attachment"})
    middleware.process_request(request)
    assert b"If-None-Match" not in request.headers
    assert not (tmp_path / "none.db").exists()  # read only: it never creates the database


def test_it_can_be_switched_off() -> None:
    with pytest.raises(NotConfigured):
        ConditionalGetMiddleware.from_crawler(
            get_crawler(ReportsSpider, {"GKNB_CONDITIONAL_GET": False})
        )


@pytest.mark.parametrize(("full", "opted_out"), [("1", True), ("0", False)])
def test_a_full_crawl_opts_every_request_out(
    middleware: ConditionalGetMiddleware, full: str, opted_out: bool
) -> None:
    from crawler.sites import Site

    site = Site("jiangsu_huaian_hongze", "320813", "洪泽区", "http://www.hongze.gov.cn/", "generic")
    spider = ReportsSpider(full=full)
    request = spider._request(site, URL, spider.parse_attachment, hops=2, document="attachment")
    assert request.meta["dont_revalidate"] is opted_out
    middleware.process_request(request)
    assert (b"If-None-Match" in request.headers) is not opted_out


# --- GKNB_FRESH_DAYS: documents given or confirmed lately are not asked for at all ----------


def _fresh_middleware(tmp_path: Path, *fetches: tuple[int, float]) -> ConditionalGetMiddleware:
    """A store holding BODY for URL (served from FINAL), with fetches of (status, hours ago)."""
    storage = _store(tmp_path)
    stored = storage.store_bytes(BODY)
    storage.record_document(stored.sha256, "application/pdf", len(BODY), "pdf")
    storage.record_read(stored.sha256, "0.2.0")
    now = datetime.now(UTC)
    for status, hours in fetches:
        storage.record_fetch(
            {
                "url": URL,
                "final_url": FINAL,
                "status": status,
                "site_id": "s",
                "sha256": stored.sha256 if status == 200 else None,
                "content_type": "application/pdf",
                "etag": '"5e1-abc"',
                "fetched_at": (now - timedelta(hours=hours)).isoformat(timespec="seconds"),
            }
        )
    storage.close()
    return _over(tmp_path)


FINAL = "http://www.hongze.gov.cn/uploadfiles/202502/20510-final.pdf"


def test_a_document_given_today_is_answered_from_the_store(tmp_path: Path) -> None:
    middleware = _fresh_middleware(tmp_path, (200, 2))
    request = Request(URL, meta={"document": "attachment"})
    answer = middleware.process_request(request)
    assert isinstance(answer, Response)  # no download at all
    assert (answer.status, answer.body, answer.url) == (200, BODY, FINAL)
    assert {"fresh", "not_modified"} <= set(answer.flags)
    assert answer.headers["Content-Type"] == b"application/pdf"
    assert stats(middleware) == {"fresh": 1}


@pytest.mark.parametrize(
    ("fetches", "fresh"),
    [
        (((200, 30),), False),  # given more than a day ago: asked for, conditionally
        (((200, 72), (304, 3)), True),  # confirmed by a 304 today
        (((200, 72), (304, 30)), False),
        (((200, 72), (500, 1)), False),  # a failure today confirms nothing
    ],
)
def test_freshness_counts_from_the_last_answer_that_gave_or_confirmed_the_bytes(
    tmp_path: Path, fetches: tuple[tuple[int, float], ...], fresh: bool
) -> None:
    middleware = _fresh_middleware(tmp_path, *fetches)
    request = Request(URL, meta={"document": "attachment"})
    answer = middleware.process_request(request)
    assert isinstance(answer, Response) is fresh
    if not fresh:
        assert request.headers["If-None-Match"] == b'"5e1-abc"'


def test_a_fresh_document_whose_bytes_are_lost_is_downloaded(tmp_path: Path) -> None:
    middleware = _fresh_middleware(tmp_path, (200, 2))
    for path in (tmp_path / "raw").rglob("*"):
        if path.is_file():
            path.unlink()
    request = Request(URL, meta={"document": "attachment"})
    assert middleware.process_request(request) is None
    assert "fresh" not in stats(middleware)


def test_a_fresh_document_that_failed_is_downloaded_again(tmp_path: Path) -> None:
    middleware = _fresh_middleware(tmp_path, (200, 2))
    storage = Storage(middleware.database, middleware.raw_dir)
    storage.record_read(hashlib.sha256(BODY).hexdigest(), "0.2.0", "corrupt_document", "cut")
    storage.close()
    request = Request(URL, meta={"document": "attachment"})
    assert middleware.process_request(request) is None
    assert b"If-None-Match" not in request.headers  # downloaded whole


def _page_middleware(tmp_path: Path, kind: str, hours: float) -> ConditionalGetMiddleware:
    """A store holding a navigation page of ``kind`` kept whole, fetched ``hours`` ago."""
    storage = _store(tmp_path)
    stored = storage.store_bytes(PAGE)
    fetched = datetime.now(UTC) - timedelta(hours=hours)
    storage.record_fetch(
        {
            "url": PAGE_URL,
            "final_url": PAGE_URL,
            "status": 200,
            "site_id": "s",
            "kind": kind,
            "sha256": stored.sha256,
            "content_type": "text/html; charset=utf-8",
            "etag": '"p-1"',
            "fetched_at": fetched.isoformat(timespec="seconds"),
        }
    )
    storage.close()
    return _over(tmp_path)


PAGE_URL = "http://www.hongze.gov.cn/zwgk/"
PAGE = "<html><body><a href='ndbg/'>政府信息公开年报</a></body></html>".encode()


@pytest.mark.parametrize(
    ("kind", "hours", "listing", "fresh"),
    [
        ("home", 2, False, True),  # a navigation page confirmed today: from the store
        ("page", 2, False, True),
        ("page", 30, False, False),  # yesterday's: asked for, conditionally
        ("column", 2, True, False),  # a listing: always asked for (new reports appear there)
        ("page", 2, True, False),  # a column's next page
    ],
)
def test_navigation_pages_are_fresh_but_listings_are_always_asked_for(
    tmp_path: Path, kind: str, hours: float, listing: bool, fresh: bool
) -> None:
    middleware = _page_middleware(tmp_path, kind, hours)
    request = Request(PAGE_URL, meta={"site_id": "s", "listing": listing})
    answer = middleware.process_request(request)
    assert isinstance(answer, Response) is fresh
    if fresh:
        assert answer is not None and (answer.body, answer.status) == (PAGE, 200)
        assert {"fresh", "not_modified"} <= set(answer.flags)
    else:
        assert request.headers["If-None-Match"] == b'"p-1"'  # asked for, conditionally


@pytest.mark.parametrize(
    ("meta", "listing"),
    [
        ({"role": "column"}, True),
        ({"list_kind": "jcms"}, True),
        ({"listing": True}, True),  # a column's next page, a family's list page
        ({"role": "home"}, False),
        ({"role": "disclosure"}, False),
        ({}, False),  # a navigation link
        ({"document": "report_page"}, False),
    ],
)
def test_the_spider_marks_its_listings(meta: dict, listing: bool) -> None:  # type: ignore[type-arg]
    from crawler.sites import Site

    site = Site("jiangsu_huaian_hongze", "320813", "洪泽区", "http://www.hongze.gov.cn/", "generic")
    spider = ReportsSpider()
    request = spider._request(site, PAGE_URL, spider.parse_page, hops=1, **meta)
    assert request.meta["listing"] is listing


# --- robots.txt (RFC 9309 §2.4: cached a day at most) and links that are gone ---------------

ROBOTS_URL = "http://www.hongze.gov.cn/robots.txt"


def _answers_middleware(
    tmp_path: Path, url: str, kind: str, status: int, hours: float, fresh_days: float = 1
) -> ConditionalGetMiddleware:
    """A store whose last answer of ``url`` (fetched as ``kind``) was ``status``."""
    storage = _store(tmp_path)
    body = b"User-agent: *\nDisallow: /admin/\nCrawl-delay: 2\n"
    sha256 = storage.store_bytes(body).sha256 if status == 200 else None
    fetched = datetime.now(UTC) - timedelta(hours=hours)
    storage.record_fetch(
        {
            "url": url,
            "final_url": url,
            "status": status,
            "site_id": "s",
            "kind": kind,
            "sha256": sha256,
            "content_type": "text/plain" if status == 200 else None,
            "fetched_at": fetched.isoformat(timespec="seconds"),
            "error": None if status == 200 else f"HttpError: {status}",
        }
    )
    storage.close()
    return _over(tmp_path, fresh_days)


@pytest.mark.parametrize(
    ("status", "hours", "fresh_days", "fresh"),
    [
        (200, 2, 1, True),  # its text, from the store
        (404, 2, 1, True),  # no robots.txt: everything allowed, for the day
        (403, 2, 1, True),
        (429, 2, 1, False),  # "too many requests" says nothing about the file
        (503, 2, 1, False),  # a failing server: asked again
        (200, 30, 3, False),  # never older than a day, whatever GKNB_FRESH_DAYS says
        (200, 2, 0, False),  # GKNB_FRESH_DAYS=0: always asked for
    ],
)
def test_a_robots_txt_of_today_is_answered_from_the_store(
    tmp_path: Path, status: int, hours: float, fresh_days: float, fresh: bool
) -> None:
    middleware = _answers_middleware(tmp_path, ROBOTS_URL, "robots", status, hours, fresh_days)
    request = Request(ROBOTS_URL, meta={"dont_obey_robotstxt": True})
    answer = middleware.process_request(request)
    assert isinstance(answer, Response) is fresh
    if answer is not None:
        assert answer.status == status and "fresh" in answer.flags
        assert (b"Crawl-delay: 2" in answer.body) is (status == 200)


@pytest.mark.parametrize(
    ("meta", "status", "hours", "fresh"),
    [
        ({"site_id": "s"}, 404, 2, True),  # a dead navigation link, seen dead today
        ({"site_id": "s"}, 410, 2, True),
        ({"site_id": "s"}, 404, 30, False),  # yesterday's: asked again
        ({"site_id": "s"}, 500, 2, False),  # a server error is retried
        ({"site_id": "s", "listing": True}, 404, 2, False),  # a listing is always asked for
        ({"site_id": "s", "document": "attachment"}, 404, 2, False),  # a failed document too
    ],
)
def test_a_link_gone_today_is_not_asked_for_again_today(
    tmp_path: Path,
    meta: dict,
    status: int,
    hours: float,
    fresh: bool,  # type: ignore[type-arg]
) -> None:
    kind = meta.get("document", "page")
    middleware = _answers_middleware(tmp_path, PAGE_URL, kind, status, hours)
    request = Request(PAGE_URL, meta=dict(meta))
    answer = middleware.process_request(request)
    assert isinstance(answer, Response) is fresh
    if answer is not None:
        assert (answer.status, answer.flags) == (status, ["fresh"])
