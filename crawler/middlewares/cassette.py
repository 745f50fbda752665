"""Record and replay HTTP in vcrpy's cassette format, inside Scrapy.

vcrpy patches requests/urllib3/httpx/aiohttp but not Twisted, so this middleware does for
Scrapy what vcrpy's patches do elsewhere, with vcrpy's own classes: ``vcr.cassette.Cassette``
(its YAML serializer and filesystem persister), ``vcr.request.Request`` and its ``method``
and ``uri`` matchers.  One cassette per site: ``<CASSETTE_DIR>/<site_id>/cassette.yaml``.

* ``CASSETTE_MODE=replay``: every request is answered from the cassette and no socket is
  opened; a request the cassette lacks is refused with an error naming its URL.
* ``CASSETTE_MODE=record``: requests go out (through the proxy, if any) and each raw answer
  is appended — before redirects are followed or gzip undone, since the middleware sits
  next to the downloader — then saved when the spider closes.
* ``CASSETTE_MODE=off`` (default): the middleware is not installed.

Header bytes are decoded as latin-1 (as http.client does); bodies are stored as bytes
(YAML ``!!binary`` for GBK pages and PDFs) and round-trip byte for byte.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

if TYPE_CHECKING:  # vcrpy (0.3 s to import) is loaded only when a cassette is used
    from vcr.cassette import Cassette
    from vcr.request import Request as VcrRequest

from ..discovery.hosts import SitePolicy

__all__ = ["CassetteMiddleware", "MissingRecording"]

logger = logging.getLogger(__name__)
MODES = ("off", "record", "replay")


class MissingRecording(IgnoreRequest):
    """Replay met a request its cassette does not hold."""


def _vcr_request(request: Request) -> VcrRequest:
    headers = {
        k.decode("latin-1"): b",".join(v).decode("latin-1") for k, v in request.headers.items()
    }
    from vcr.request import Request as VcrRequest

    body = request.body or None
    return VcrRequest(request.method, urldefrag(request.url)[0], body, headers)


def _defragment(request: VcrRequest) -> VcrRequest:
    request.uri = urldefrag(request.uri)[0]
    return request


class CassetteMiddleware:
    """Answer from, or record into, per-site vcrpy cassettes."""

    def __init__(self, mode: str, directory: Path, crawler: Crawler) -> None:
        self.mode = mode
        self.directory = directory
        self.crawler = crawler
        self.cassettes: dict[str, Cassette] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CassetteMiddleware:
        mode = crawler.settings.get("CASSETTE_MODE", "off").lower()
        if mode not in MODES:
            raise ValueError(f"CASSETTE_MODE must be one of {MODES}, not {mode!r}")
        if mode == "off":
            raise NotConfigured  # off: nothing to say
        middleware = cls(mode, Path(crawler.settings.get("CASSETTE_DIR", "cassettes")), crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    # --- cassettes ------------------------------------------------------------------------------

    def _site_id(self, request: Request) -> str:
        if request.meta.get("site_id"):
            return str(request.meta["site_id"])
        # robots.txt and redirects carry no site: the site whose hosts (registered, their
        # subdomains, or a platform found on its pages) hold the URL.
        owner = SitePolicy.of(self.crawler).site_of_url(request.url)
        return owner or urlsplit(request.url).hostname or "_unknown"

    def cassette(self, site_id: str) -> Cassette:
        if site_id not in self.cassettes:
            from vcr.cassette import Cassette
            from vcr.matchers import method, uri
            from vcr.record_mode import RecordMode

            # vcrpy logs every interaction it loads or appends at INFO, bodies included (4.5
            # MB for the demo); this middleware says one line per exchange instead.
            logging.getLogger("vcr").setLevel(logging.WARNING)
            path = self.directory / site_id / "cassette.yaml"
            if self.mode == "record":
                path.parent.mkdir(parents=True, exist_ok=True)
            record_mode = RecordMode.NONE if self.mode == "replay" else RecordMode.NEW_EPISODES
            self.cassettes[site_id] = Cassette.load(
                path=str(path),
                record_mode=record_mode,
                match_on=(method, uri),
                before_record_request=_defragment,
                allow_playback_repeats=True,
            )
        return self.cassettes[site_id]

    # --- Scrapy hooks -------------------------------------------------------------------------

    def process_request(self, request: Request, spider: Spider | None = None) -> Response | None:
        if self.mode != "replay":
            return None
        cassette = self.cassette(self._site_id(request))
        recorded = _vcr_request(request)
        if not cassette.can_play_response_for(recorded):
            logger.error("cassette replay: no recording for %s %s", request.method, request.url)
            raise MissingRecording(
                f"the cassette has no recording for {request.method} {request.url}"
            )
        data = cassette.play_response(recorded)
        headers = {name: values for name, values in data["headers"].items()}
        body = data["body"]["string"]
        if isinstance(body, str):
            body = body.encode("utf-8")
        status = data["status"]["code"]
        logger.debug(
            "cassette replay: %s %s -> %s (%d bytes)",
            request.method,
            request.url,
            status,
            len(body),
        )
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(
            url=request.url,
            status=status,
            headers=headers,
            body=body,
            request=request,
            flags=["cassette"],
        )

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if self.mode != "record" or "cassette" in response.flags:
            return response
        cassette = self.cassette(self._site_id(request))
        recorded = _vcr_request(request)
        if recorded in cassette:  # the same request recorded by a concurrent download
            return response
        headers = {
            name.decode("latin-1"): [value.decode("latin-1") for value in values]
            for name, values in response.headers.items()
        }
        cassette.append(
            recorded,
            {
                "status": {"code": response.status, "message": ""},
                "headers": headers,
                "body": {"string": bytes(response.body)},
            },
        )
        logger.debug(
            "cassette record: %s %s -> %s (%d bytes)",
            request.method,
            request.url,
            response.status,
            len(response.body),
        )
        return response

    def spider_closed(self, spider: Spider) -> None:
        for cassette in self.cassettes.values():
            if self.mode == "record":
                cassette._save(force=True)
