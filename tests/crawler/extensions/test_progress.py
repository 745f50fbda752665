"""CrawlProgress: a site is done when nothing of it is waiting or being fetched."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.extensions.progress import CrawlProgress, stamp
from crawler.spiders.reports import ReportsSpider

SITE = "henan_shangqiu_minquan"


@pytest.fixture
def progress() -> CrawlProgress:
    crawler = get_crawler(ReportsSpider, {"LOGSTATS_INTERVAL": 30.0})
    return CrawlProgress.from_crawler(crawler)


def request(url: str = "http://www.minquan.gov.cn/") -> Request:
    return stamp(Request(url, meta={"site_id": SITE}))


def answered(progress: CrawlProgress, req: Request) -> None:
    progress.response_received(Response(req.url, request=req), req, None)  # type: ignore[arg-type]


def test_a_site_is_done_once_every_request_is_answered(progress: CrawlProgress) -> None:
    home, page = request(), request("http://www.minquan.gov.cn/zwgk/")
    progress.request_scheduled(home, None)  # type: ignore[arg-type]
    assert progress.done == 0
    answered(progress, home)
    progress.request_scheduled(page, None)  # type: ignore[arg-type]
    assert progress.done == 0
    answered(progress, page)
    assert progress.done == 1


def test_a_request_the_duplicate_filter_refuses_ends_there(progress: CrawlProgress) -> None:
    home, again = request(), request()
    progress.request_scheduled(home, None)  # type: ignore[arg-type]
    progress.request_scheduled(again, None)  # type: ignore[arg-type]
    progress.request_dropped(again, None)  # type: ignore[arg-type]
    answered(progress, home)
    assert progress.done == 1


@pytest.mark.parametrize("counter", ["redirect_times", "retry_times"])
def test_a_redirect_or_retry_continues_its_request(progress: CrawlProgress, counter: str) -> None:
    first = request()
    progress.request_scheduled(first, None)  # type: ignore[arg-type]
    # The downloader's redirect (or retry) of it: the same meta, a count moved on.
    follow = first.replace(url="http://www.minquan.gov.cn/index.html")
    follow.meta[counter] = 1
    progress.request_scheduled(follow, None)  # type: ignore[arg-type]
    answered(progress, follow)
    assert progress.done == 1 and progress.pending[SITE] == 0


def test_a_retry_the_spider_makes_is_a_request_of_its_own(progress: CrawlProgress) -> None:
    """The spider asks again for a challenged page (Scrapy's get_retry_request copies the meta
    with retry_times moved on); stamped by the spider, it counts as a new request."""
    first = request()
    progress.request_scheduled(first, None)  # type: ignore[arg-type]
    answered(progress, first)
    retry = first.replace()
    retry.meta["retry_times"] = 1
    stamp(retry)
    progress.request_scheduled(retry, None)  # type: ignore[arg-type]
    assert progress.done == 0
    answered(progress, retry)
    assert progress.done == 1


def test_a_failure_without_a_response_ends_its_request(progress: CrawlProgress) -> None:
    home = request()
    progress.request_scheduled(home, None)  # type: ignore[arg-type]
    progress.request_failed(home)
    assert progress.done == 1
