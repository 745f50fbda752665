"""The parse pool: documents read in worker processes, each within a time and memory budget.

The reactor only downloads and hands off. A document is parsed by ``crawler.ingest.read`` in
one of ``GKNB_PARSE_WORKERS`` processes (pebble's ``ProcessPool``; started by a forkserver,
never forked from the crawl's threads); a parse that runs longer than ``GKNB_PARSE_TIMEOUT``
seconds has its worker killed and is recorded ``too_costly``; a worker's address space is
limited to ``GKNB_PARSE_MEMORY_MB``, so a document that needs more fails with ``MemoryError``
(``too_costly``) instead of taking the machine down; a worker that dies (a crash in a C
library, the OOM killer) costs that document only (``too_costly``) and is replaced.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import resource

import pebble

from parsers import AnnualReport

from .ingest import Failure, read

__all__ = ["ParsePool", "default_workers"]


def default_workers() -> int:
    """One worker per core the crawl may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def _limit_memory(megabytes: int) -> None:
    """In each worker: no more address space than the budget."""
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class ParsePool:
    def __init__(self, workers: int, timeout: float, memory_mb: int) -> None:
        self.timeout = timeout if timeout > 0 else None
        self.memory_mb = memory_mb
        self.pool = pebble.ProcessPool(
            max_workers=max(workers, 1),
            initializer=_limit_memory,
            initargs=(memory_mb,),
            context=multiprocessing.get_context("forkserver"),
        )

    async def read(self, data: bytes, url: str, content_type: str) -> AnnualReport | Failure:
        """The parsers' reading of one document, within the budget; never raises."""
        future = self.pool.schedule(read, args=(data, url, content_type), timeout=self.timeout)
        try:
            return await asyncio.wrap_future(future)
        except concurrent.futures.TimeoutError:
            return Failure("too_costly", f"parsing took longer than {self.timeout:g} s")
        except pebble.ProcessExpired as exc:
            return Failure("too_costly", f"the parsing process died (exit code {exc.exitcode})")
        except MemoryError:
            return Failure("too_costly", f"parsing needed more than {self.memory_mb} MB")
        except Exception as exc:  # the result could not come back (pickling, a broken pool)
            return Failure("parser_failure", repr(exc))

    def close(self) -> None:
        self.pool.stop()
        self.pool.join(timeout=10)
