"""scrapy-redis's priority queue, made reliable: what ``pop`` hands out stays in the
worker's in-flight hash until the request is done (``crawler.distributed.worker``)."""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy_redis.queue import PriorityQueue

from . import _POP, TOKEN, WORKER_ID, Keys
from .worker import InFlight

__all__ = ["ReliableQueue"]


class ReliableQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's priority queue whose ``pop`` keeps what it hands out in the worker's
    in-flight hash until the request is done (``InFlightDone``, ``Worker``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = Keys(self.key.rsplit(":", 1)[0])
        self._pop = self.server.register_script(_POP)

    def push(self, request: Request) -> None:
        continued = request.meta.pop(TOKEN, None)  # a redirect or retry of a request in flight
        data = self._encode_request(request)
        with self.server.pipeline() as pipe:
            pipe.execute_command("ZADD", self.key, -request.priority, data)
            if continued:
                pipe.hdel(self.keys.inflight(WORKER_ID), continued)
            pipe.execute()
        InFlight.of(self.spider.crawler).arrived(request)  # a link its page made: queued

    def pop(self, timeout: int = 0) -> Request | None:
        taken = self._pop(keys=[self.key, self.keys.inflight(WORKER_ID)])
        if not taken:
            return None
        data, token = taken
        request = self._decode_request(data)
        request.meta[TOKEN] = token.decode() if isinstance(token, bytes) else token
        return request
