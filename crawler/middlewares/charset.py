"""The page's real charset for the spider, decided by the parsers' one rule (``decode_html``).

Scrapy believes the ``Content-Type`` charset; misconfigured portals declare ISO-8859-1 over
GBK or UTF-8 bytes, and every link label then reads as mojibake (a report link taken for a
column, a report missed).  This middleware re-reads each text answer (HTML, and the JSON
or XML of list APIs) with
``parsers.html.decode_html`` (BOM, declarations it can trust, detection) and, where that
disagrees with Scrapy's choice, hands the spider the response in the right encoding.
Counted as ``gknb/charset/corrected``.
"""

from __future__ import annotations

import codecs

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from parsers.html import decode_html

__all__ = ["CharsetMiddleware"]

# What a Latin declaration may really be on a Chinese portal.
_CORRECTIONS = frozenset({"utf-8", "gb18030", "big5", "big5hkscs"})


def _same(a: str, b: str) -> bool:
    try:
        return codecs.lookup(a).name == codecs.lookup(b).name
    except LookupError:
        return False


class CharsetMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: object = None
    ) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        headers = {"Content-Type": (response.headers.get("Content-Type") or b"").decode("latin-1")}
        _, codec, _ = decode_html(response.body, headers)
        if _same(codec, response.encoding) or codec not in _CORRECTIONS:
            return response  # agreed, or only a Latin variant (Scrapy reads Latin-1 as cp1252)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("gknb/charset/corrected")
        return response.replace(encoding=codec)
