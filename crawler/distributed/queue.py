"""scrapy-redis's scheduler and priority queue, made reliable: a request is marked seen and
queued in one step, and what ``pop`` hands out stays in the worker's in-flight hash until the
request is done (``crawler.distributed.worker``)."""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from . import _POP, _PUSH, TOKEN, WORKER_ID, Keys
from .worker import InFlight

__all__ = ["ReliableQueue", "ReliableScheduler"]


class ReliableScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler whose duplicate check and push are one Redis script: a
    request is never seen without being queued."""

    def enqueue_request(self, request: Request) -> bool:
        seen = "" if request.dont_filter else self.df.request_fingerprint(request)
        if not self.queue.push(request, seen=seen, seen_key=self.df.key):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis", spider=self.spider)
        return True


class ReliableQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's priority queue whose ``pop`` keeps what it hands out in the worker's
    in-flight hash until the request is done (``InFlightDone``, ``Worker``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = Keys(self.key.rsplit(":", 1)[0])
        self._pop = self.server.register_script(_POP)
        self._push = self.server.register_script(_PUSH)

    def push(self, request: Request, seen: str = "", seen_key: str = "") -> bool:
        """Queue ``request``; ``seen``: its fingerprint, added to the duplicate filter's set
        ``seen_key`` in the same step (False, and nothing queued, when it was there)."""
        continued = request.meta.pop(TOKEN, None)  # a redirect or retry of a request in flight
        data = self._encode_request(request)
        queued = self._push(
            keys=[seen_key or self.keys.dupefilter, self.key, self.keys.inflight(WORKER_ID)],
            args=[seen, -request.priority, data, continued or ""],
        )
        if queued:
            InFlight.of(self.spider.crawler).arrived(request)  # a link its page made: queued
        else:
            request.meta[TOKEN] = continued  # not queued: still the request it continues
            if continued is None:
                del request.meta[TOKEN]
        return bool(queued)

    def pop(self, timeout: int = 0) -> Request | None:
        taken = self._pop(keys=[self.key, self.keys.inflight(WORKER_ID)])
        if not taken:
            return None
        data, token = taken
        request = self._decode_request(data)
        request.meta[TOKEN] = token.decode() if isinstance(token, bytes) else token
        return request
