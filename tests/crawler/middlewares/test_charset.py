"""The spider reads pages in their real charset, whatever the server declares."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.charset import CharsetMiddleware
from crawler.spiders.reports import ReportsSpider

PAGE = '<html><body><a href="/a.html">祥符区2021年政府信息公开工作年度报告</a></body></html>'
URL = "https://www.xiangfuqu.gov.cn/zwgk/zfxxgk/zfxxgknb/"


def answer(body: bytes, content_type: str) -> HtmlResponse:
    return HtmlResponse(
        URL, body=body, headers={"Content-Type": content_type}, request=Request(URL)
    )


@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
def test_a_wrong_latin_declaration_is_corrected(codec: str) -> None:
    crawler = get_crawler(ReportsSpider)
    crawler.stats.open_spider()
    middleware = CharsetMiddleware.from_crawler(crawler)
    wrong = answer(PAGE.encode(codec), "text/html; charset=iso-8859-1")
    assert "年度报告" not in wrong.text  # what Scrapy alone reads
    fixed = middleware.process_response(wrong.request, wrong)
    assert "祥符区2021年政府信息公开工作年度报告" in fixed.text
    assert crawler.stats.get_value("gknb/charset/corrected") == 1


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (PAGE.encode("utf-8"), "text/html; charset=utf-8"),
        (PAGE.encode("gbk"), "text/html; charset=gbk"),
        ("<p>café</p>".encode("latin-1"), "text/html; charset=iso-8859-1"),
    ],
)
def test_a_right_declaration_is_left_alone(body: bytes, content_type: str) -> None:
    middleware = CharsetMiddleware.from_crawler(get_crawler(ReportsSpider))
    response = answer(body, content_type)
    assert middleware.process_response(response.request, response) is response
