"""Scrapy settings: polite by default (robots.txt, AutoThrottle, per-host limits, a named UA)."""

import os

from scrapy.settings import default_settings as _scrapy_defaults

# Scrapy's cookie middleware builds a tldextract splitter at import time, which would download
# the public-suffix list on first use (a network call during an offline replay). An empty URL
# list makes tldextract use the snapshot bundled with it; a user's own setting wins.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

BOT_NAME = "gknb"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

USER_AGENT = "gknb/0.1 (+https://github.com/gknb-project/gknb; annual-report research crawler)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # per server: a county's hosts share one slot (bounds.py)
# Outputs of one callback processed at once. Scrapy starts this many asyncio tasks for every
# response (default 100: 95 000 tasks for a 50-portal crawl, a tenth of its CPU); a callback
# of ours yields one document or a page's links, and documents are parsed concurrently
# across responses (the parse pool), not within one.
CONCURRENT_ITEMS = 8
# Scrapy reads each callback's source (inspect + ast) to warn of a generator that returns a
# value; its cache is keyed on the bound method, which dies with its request, so it read the
# source again for most responses (~6 % of a second crawl's reactor time). The tests make the
# same check once (tests/crawler/spiders/test_reports_callbacks.py).
WARN_ON_GENERATOR_RETURN_VALUE = False
DOWNLOADER = "crawler.downloader.SlotBoundDownloader"  # the per-slot limit held without delays
# Names that resolve to loopback/private/link-local addresses are refused (proxies exempt).
TWISTED_DNS_RESOLVER = "crawler.resolver.PublicResolver"
GKNB_ALLOW_PRIVATE_ADDRESSES = False
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.extensions.throttle.PoliteThrottle": 0,  # never below a robots.txt Crawl-delay
    # Sites done of the total, pages, documents, reports, failures, requests/s and time left,
    # every LOGSTATS_INTERVAL seconds, in place of LogStats' "Crawled N pages".
    "scrapy.extensions.logstats.LogStats": None,
    "crawler.extensions.progress.CrawlProgress": 0,
}
LOGSTATS_INTERVAL = 30.0
# The run's summary (and its crawl_runs row) ends the log; Scrapy's raw stats dict with
# -s STATS_DUMP=1.
STATS_DUMP = False
# No way into a crawl left running as a service: Scrapy's remote control (an HTTP server that
# runs the Python code posted to it) and telnet console are off. The remote control is taken
# out of Scrapy's base list itself: naming it in EXTENSIONS, even as None, imports it (and
# aiohttp with it, 0.2 s at every start). A user who wants it adds it to EXTENSIONS and sets
# REMOTE_CONTROL_ENABLED.
EXTENSIONS_BASE = {
    path: order
    for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if path != "scrapy.extensions.remote_control.RemoteControl"
}
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
GKNB_MAX_CRAWL_DELAY = 60.0  # a longer Crawl-delay is capped (with a warning)
GKNB_MAX_RETRY_AFTER = 120.0  # a longer Retry-After is left to the next run
GKNB_MAX_LIST_PAGES = 200  # pages read of one list, whatever count it claims (a warning)
DOWNLOAD_TIMEOUT = 60
RETRY_ENABLED = True
RETRY_TIMES = 2

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
# -O reports.csv: one row per report record (crawler/feeds.py); JSON and JSON lines as they are.
FEED_EXPORTERS = {"csv": "crawler.feeds.ReportCsvItemExporter"}

ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
# -s GKNB_REDIS_URL=redis://HOST:PORT/DB: `scrapy crawl reports` is a worker of a crawl shared
# through Redis and `scrapy crawl store` its one writer (crawler/distributed/__init__.py).
ADDONS = {"crawler.distributed.Distributed": 0}
GKNB_REDIS_URL = None
GKNB_REDIS_PREFIX = "gknb"  # the crawl's Redis keys: several crawls may share one server
GKNB_WORKER_TTL = 15.0  # seconds without a heartbeat before a worker's requests are put back
GKNB_WORKER_IDLE = 10.0  # seconds an idle worker waits, nothing queued or in flight, to close

# Where records and raw bytes go (the README's default crawl writes data/reports.db).
GKNB_DATABASE = "data/reports.db"
GKNB_SITES = "china"  # the registry: "china" (every county), "demo" (the simulator) or a path
GKNB_RAW_DIR = "data/raw"
# Documents are parsed in worker processes (crawler/parsepool.py), off the reactor: a parse
# longer than GKNB_PARSE_TIMEOUT seconds, or needing more than GKNB_PARSE_MEMORY_MB of address
# space, has its worker killed and is recorded too_costly.
GKNB_PARSE_WORKERS = 0  # 0: one per core
GKNB_PARSE_TIMEOUT = 120.0
GKNB_PARSE_MEMORY_MB = 2048
GKNB_PARSE_NICE = 10  # workers' niceness: the reactor's downloads come first (0: as the crawl)
# Documents waiting per worker before downloads pause (0: never; see crawler/downloader.py).
GKNB_PARSE_BACKLOG = 4

DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
DEPTH_LIMIT = 12
# Portals answer 404/500 and we keep those as fetches (the spider's errback sees them).
HTTPERROR_ALLOWED_CODES: list[int] = []
LOG_LEVEL = "INFO"

# Cassettes (vcrpy format): off | record | replay; one cassette per site under CASSETTE_DIR.
CASSETTE_MODE = "off"
CASSETTE_DIR = "cassettes"
# Documents fetched before are asked for with their validators (If-None-Match / -Modified-Since).
GKNB_CONDITIONAL_GET = True
# A page or document the server gave or confirmed less than this many days ago is not asked
# for again (not even scheduled: crawler/middlewares/fresh.py; what it leads to is still
# followed); 0: every page and document is asked for, conditionally, on every crawl. 年报
# columns, their next pages and list answers are always asked for.
GKNB_FRESH_DAYS = 1.0
SPIDER_MIDDLEWARES = {
    # Next to the spider, before Scrapy's depth, length and referer middlewares see what it
    # makes: a request for a page or document still fresh becomes the unchanged document,
    # and what the page led on to when last read is followed in its place (no request).
    "crawler.middlewares.fresh.FreshDocumentsMiddleware": 950,
}
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's own, told about sites (crawler/middlewares/bounds.py, robots.py): a request of
    # one site's crawl reaches only that site's hosts, a redirect out of it is refused and
    # recorded, each server (all of a county's hosts) is one downloader slot, and robots.txt
    # is recorded and its Crawl-delay obeyed.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.bounds.SiteOffsiteMiddleware": 50,
    "crawler.middlewares.bounds.ServerSlotMiddleware": 60,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.PoliteRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.bounds.SiteMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.bounds.SiteRedirectMiddleware": 600,
    # Sees a 503/429 before RetryMiddleware (550): the retry waits for its Retry-After.
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 555,
    "crawler.middlewares.conditional.ConditionalGetMiddleware": 560,
    # After decompression and the 304 substitution: the spider reads pages in their real charset.
    "crawler.middlewares.charset.CharsetMiddleware": 550,
    # After the proxy middleware (750) and next to the downloader: it sees raw redirects
    # and raw gzip bodies, and in replay its answers still pass decompression/redirects.
    "crawler.middlewares.cassette.CassetteMiddleware": 950,
}
