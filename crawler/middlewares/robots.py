"""Scrapy's robots.txt middleware, with each robots.txt fetch recorded and Crawl-delay obeyed.

robots.txt is fetched once per host per run (Scrapy caches the parser per netloc). Each fetch,
or its failure, is sent as a ``crawler.signals.exchange`` so that it becomes a ``fetches``
row. A ``Crawl-delay`` for our user agent becomes the minimum delay of the host's downloader
slot (its server's, see ``ServerSlotMiddleware``), without jitter; ``PoliteThrottle`` never
lowers a slot below it. A delay beyond ``GKNB_MAX_CRAWL_DELAY`` is capped with a warning (a
site asking for a day between requests would otherwise never be crawled).
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached

from .. import signals
from ..discovery.hosts import SitePolicy, host_of
from ..items import FetchedDocument, fetched_now

__all__ = ["PoliteRobotsTxtMiddleware", "crawl_delay_floor"]

logger = logging.getLogger(__name__)


def crawl_delay_floor(downloader: object, key: str) -> float:
    """The Crawl-delay a slot must keep (0 when its robots.txt asks for none)."""
    settings = getattr(downloader, "per_slot_settings", {}).get(key, {})
    return float(settings.get("crawl_delay", 0.0))


class PoliteRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._schemes: dict[str, str] = {}  # netloc → the scheme its robots.txt is asked on

    async def robot_parser(self, request: Request) -> RobotParser | None:
        url = urlparse_cached(request)
        self._schemes.setdefault(url.netloc, url.scheme)
        return await super().robot_parser(request)

    def _useragent(self, request: Request) -> str:
        agent = self._robotstxt_useragent or request.headers.get(
            b"User-Agent", self._default_useragent
        )
        return agent.decode("latin-1") if isinstance(agent, bytes) else str(agent)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        await super()._parse_robots(response, netloc, request)
        error = None
        if response.status >= 400:  # no robots.txt (4xx: all allowed) or a failing server
            error = f"HttpError: robots.txt answered {response.status}"
        if "fresh" not in response.flags:  # a fresh answer is the stored one: no exchange
            self._record(response.url, response.status, error, response)
        parser = self._parsers.get(netloc)
        delay = parser.crawl_delay(self._useragent(request)) if parser is not None else None
        if delay:
            self._obey(host_of(request.url), float(delay))

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        super()._robots_error(exc, netloc)
        if not isinstance(exc, IgnoreRequest):
            reason = f"{type(exc).__name__}: {exc}"[:500]
            scheme = self._schemes.get(netloc, "http")
            self._record(f"{scheme}://{netloc}/robots.txt", 0, reason, None)

    def _record(self, url: str, status: int, error: str | None, response: Response | None) -> None:
        policy = SitePolicy.of(self.crawler)
        site_id = policy.site_of_url(url)
        if site_id is None:
            return
        headers = response.headers if response is not None else {}
        item = FetchedDocument(
            site_id=site_id,
            url=url,
            final_url=url,
            status=status,
            fetched_at=fetched_now(),
            kind="robots",
            content_type=(headers.get("Content-Type") or b"").decode("latin-1"),
            error=error,
            # Kept (small) for the next run within a day: see ConditionalGetMiddleware.
            body=response.body if response is not None and status == 200 else b"",
        )
        self.crawler.signals.send_catch_log(signal=signals.exchange, item=item)

    def _obey(self, host: str, delay: float) -> None:
        limit = self.crawler.settings.getfloat("GKNB_MAX_CRAWL_DELAY", 60.0)
        if delay > limit:
            logger.warning("%s asks for Crawl-delay %g s: capped at %g s", host, delay, limit)
            delay = limit
        key = SitePolicy.of(self.crawler).server_key(host)
        downloader = self.crawler.engine.downloader  # type: ignore[union-attr]
        settings = downloader.per_slot_settings.setdefault(key, {})
        delay = max(delay, float(settings.get("crawl_delay", 0.0)))
        settings.update(crawl_delay=delay, delay=max(delay, downloader._delay), jitter=0.0)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0
        if self.crawler.stats is not None:
            self.crawler.stats.max_value(f"gknb/crawl_delay/{key}", delay)
        logger.info("%s: Crawl-delay %g s for its server (%s)", host, delay, key)
