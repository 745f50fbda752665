"""The parse pool: documents read in worker processes, each within a time and memory budget.

The reactor only downloads and hands off. A document is parsed by ``read`` (below) in
one of ``GKNB_PARSE_WORKERS`` processes (pebble's ``ProcessPool``; started by a forkserver,
never forked from the crawl's threads); a parse that runs longer than ``GKNB_PARSE_TIMEOUT``
seconds has its worker killed and is recorded ``too_costly``; a worker's address space is
limited to ``GKNB_PARSE_MEMORY_MB``, so a document that needs more fails with ``MemoryError``
(``too_costly``) instead of taking the machine down; a worker that dies (a crash in a C
library, the OOM killer) costs that document only (``too_costly``) and is replaced.

Workers run at a lower CPU priority (``GKNB_PARSE_NICE``): there are as many as cores, and
two busy parses preempted the reactor thread, whose downloads are the crawl's critical path
(it was off the CPU for a quarter of the crawl; niced workers take what the reactor leaves:
the first crawl of 100 simulated portals went from 25.3 to 23.0 s, medians of 3).

A worker loads only this module, the parsers and pebble (and, for a crawl, whose workers
record what they read, ``crawler.ingest`` with sqlite-utils): the forkserver imports them
once and every worker is forked from it ready to work (it once imported Scrapy and
sqlite-utils through its initializer's module, a second and more of CPU for each worker).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import pickle
import resource
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pebble

from parsers import AnnualReport, ParseError, parse_document

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

__all__ = ["Failure", "ParsePool", "default_workers", "read"]

# Preloaded by the forkserver (see above): no Scrapy, Twisted or SQLite here.
WORKER_MODULES = [__name__]
# Where a job ends without its worker's answer: too long, the worker died, too much memory,
# an answer that could not come back. Anything else a job raises is the job's own error.
POOL_FAILURES = (
    concurrent.futures.TimeoutError,
    pebble.ProcessExpired,
    MemoryError,
    pickle.PicklingError,
)


@dataclass(frozen=True)
class Failure:
    """Why a document yields no report: a parser's error kind, or ``parser_failure``."""

    kind: str
    detail: str


def read(data: bytes, url: str, content_type: str) -> AnnualReport | Failure:
    """The parsers' reading of one document; never raises (a bug is a failure too)."""
    try:
        return parse_document(data, url=url, headers={"Content-Type": content_type or ""})
    except ParseError as exc:
        return Failure(exc.kind, str(exc))
    except MemoryError:  # beyond the pool's memory budget
        return Failure("too_costly", "parsing needed more memory than its budget")
    except Exception as exc:  # a parser bug must not end a crawl; the bytes are kept
        return Failure("parser_failure", repr(exc))


def default_workers() -> int:
    """One worker per core the crawl may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def _worker_setup(megabytes: int, niceness: int) -> None:
    """In each worker: a lower CPU priority, and no more address space than the budget."""
    if niceness > 0:
        os.nice(niceness)
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class ParsePool:
    def __init__(
        self,
        workers: int,
        timeout: float,
        memory_mb: int,
        niceness: int = 0,
        preload: tuple[str, ...] = (),
    ) -> None:
        self.timeout = timeout if timeout > 0 else None
        self.memory_mb = memory_mb
        self.workers = max(workers, 1)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([*WORKER_MODULES, *preload])
        self.pool = pebble.ProcessPool(
            max_workers=self.workers,
            initializer=_worker_setup,
            initargs=(memory_mb, niceness),
            context=context,
        )

    @classmethod
    def from_settings(
        cls, settings: BaseSettings, workers: int = 0, preload: tuple[str, ...] = ()
    ) -> ParsePool:
        """The pool the crawl's settings describe (``workers`` overrides their count;
        ``preload``: modules its jobs need besides the parsers)."""
        return cls(
            workers or settings.getint("GKNB_PARSE_WORKERS") or default_workers(),
            settings.getfloat("GKNB_PARSE_TIMEOUT", 120.0),
            settings.getint("GKNB_PARSE_MEMORY_MB", 2048),
            settings.getint("GKNB_PARSE_NICE", 10),
            preload,
        )

    def call(self, function: Callable[..., Any], *args: Any) -> concurrent.futures.Future:
        """Run ``function(*args)`` in a worker, within the budget: its future raises one of
        ``POOL_FAILURES`` (``failure`` tells why) when the worker gave no answer."""
        return self.pool.schedule(function, args=args, timeout=self.timeout)

    def submit(self, data: bytes, url: str, content_type: str) -> concurrent.futures.Future:
        """Start parsing one document; ``outcome`` (or ``read``) gives its result."""
        return self.pool.schedule(read, args=(data, url, content_type), timeout=self.timeout)

    def outcome(self, future: concurrent.futures.Future) -> AnnualReport | Failure:
        """A submitted document's reading, waited for; never raises."""
        try:
            return future.result()
        except Exception as exc:
            return self.failure(exc)

    def failure(self, exc: Exception) -> Failure:
        """Why a job gave no answer, as a document's failure."""
        if isinstance(exc, concurrent.futures.TimeoutError):
            return Failure("too_costly", f"parsing took longer than {self.timeout:g} s")
        if isinstance(exc, pebble.ProcessExpired):
            return Failure("too_costly", f"the parsing process died (exit code {exc.exitcode})")
        if isinstance(exc, MemoryError):
            return Failure("too_costly", f"parsing needed more than {self.memory_mb} MB")
        # The result could not come back (pickling, a broken pool): the bytes are kept.
        return Failure("parser_failure", repr(exc))

    def close(self) -> None:
        self.pool.stop()
        self.pool.join(timeout=10)

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
