"""The baseline of bench/crawl_bench.py: bare Scrapy fetching a list of URLs, nothing else.

Run outside the project (Scrapy's defaults) with the crawl's proxy, user agent, concurrency
and robots.txt; it reads each body and keeps nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import scrapy

USER_AGENT = "gknb/0.1 (+https://github.com/gknb-project/gknb; annual-report research crawler)"


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {  # noqa: RUF012 (Scrapy reads it as a class attribute)
        "USER_AGENT": USER_AGENT,
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "LOG_LEVEL": "ERROR",
        "TELNETCONSOLE_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
    }

    def __init__(self, urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = json.loads(Path(urls).read_text("utf-8")) if urls else []

    async def start(self) -> Any:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: scrapy.http.Response) -> Iterator[Any]:
        len(response.body)
        return iter(())
