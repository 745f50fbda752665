"""A crawl's ``crawl_runs`` row: which settings it keeps, and how it reads as text (the last
lines of the crawl's log, and ``scrapy summary``)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["RUN_SETTINGS", "run_summary"]

# The settings that shape a crawl, kept with its crawl_runs row.
RUN_SETTINGS = (
    "GKNB_SITES",
    "GKNB_DATABASE",
    "GKNB_RAW_DIR",
    "GKNB_FRESH_DAYS",
    "GKNB_CONDITIONAL_GET",
    "GKNB_PARSE_WORKERS",
    "CASSETTE_MODE",
    "ROBOTSTXT_OBEY",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "USER_AGENT",
    "JOBDIR",
)


def run_summary(run: dict[str, Any]) -> list[str]:
    """A ``crawl_runs`` row as the lines that end a crawl's log (and ``scrapy summary``)."""
    lines = [
        f"run {run['run_id']} ({run['finish_reason']}) {run['started_at']} to "
        f"{run['finished_at']}: {run['sites_done']} of {run['sites_total']} sites done, "
        f"{run['requests']} requests",
        f"  {run['pages']} pages, {run['documents']} documents ({run['documents_new']} new, "
        f"{run['not_modified']} not modified)",
        f"  reports: {run['reports_new']} new, {run['reports_updated']} updated",
    ]
    kinds = json.loads(run["failures_by_kind"] or "{}")
    sites = json.loads(run["failures_by_site"] or "{}")
    if kinds:
        lines.append(
            f"  failures: {run['failures']} ("
            + ", ".join(f"{kind} {n}" for kind, n in kinds.items())
            + ")"
        )
        lines.append("  failures by site: " + ", ".join(f"{s} {n}" for s, n in sites.items()))
    else:
        lines.append("  failures: none")
    return lines
