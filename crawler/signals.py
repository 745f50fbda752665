"""The project's own Scrapy signal (``crawler.signals.connect(handler, signal=...)``).

``exchange``: an HTTP exchange that never reaches a spider callback (robots.txt) happened;
its handler receives ``item``, a ``FetchedDocument`` without a body, and records it as a
``fetches`` row (``StorePipeline``), so that every exchange of a crawl is a row.
"""

exchange = object()
request_failed = object()
"""A request of a site's crawl ended in its errback without a response (a timeout, a refused
connection, a request ignored by a middleware): ``request``. With ``response_received`` it
tells ``CrawlProgress`` when a site has nothing left under way."""
