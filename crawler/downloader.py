"""Scrapy's downloader, with its per-slot concurrency held when there is no download delay.

Scrapy 2.19 hands each download to an asyncio task and counts the request in
``slot.transferring`` only when that task starts; with no delay, ``_process_queue`` empties
the slot's whole queue before any task has started, so a server got 13 requests at once with
``CONCURRENT_REQUESTS_PER_DOMAIN = 2`` (measured on the simulator). Counting a request as
transferring when its task is created keeps the limit; ``_download`` removes it as before.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader, Slot
from scrapy.http import Response
from twisted.internet.defer import Deferred

__all__ = ["SlotBoundDownloader"]


class SlotBoundDownloader(Downloader):
    def _wait_for_download(  # type: ignore[override]
        self, slot: Slot, request: Request, queue_dfd: Deferred[Response]
    ) -> Coroutine[Any, Any, None]:
        slot.transferring.add(request)  # counted from now, not from when its task starts
        return super()._wait_for_download(slot, request, queue_dfd)
