"""FetchedDocument: the only thing spiders yield — what was fetched, from where, and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = ["FetchedDocument", "Link", "ListPage", "fetched_now"]

Link = tuple[str, str]  # a link a page shows: (URL, label)
ListPage = tuple[str, str, dict[str, str] | None]  # a list page or API: (URL, kind, POST form)


def fetched_now() -> str:
    """A fetch time as every record carries it: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class FetchedDocument:
    """One HTTP exchange for a report page or attachment (failures included)."""

    site_id: str
    url: str
    final_url: str
    status: int
    fetched_at: str  # UTC, ISO 8601
    # "report_page" | "attachment" | an entry point: "home", "entry", "disclosure", "column" |
    # another navigation page: "page" | a list API's answer: "list" | "robots" | "redirect"
    kind: str
    content_type: str = ""
    body: bytes = field(default=b"", repr=False)
    referer: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    link_text: str = ""
    conditional: bool = False
    not_modified: bool = False  # a 304 to a conditional request: nothing new to store
    fresh: bool = False  # served from the store, no request made (GKNB_FRESH_DAYS): no row
    error: str | None = None  # the download failed: timeout, reset, 5xx …
    platform: str | None = None  # the CMS family the page's markup shows, when one does
    # The redirects that led here: (hop URL, its status or "meta refresh", its target).
    redirects: list[tuple[str, int | str, str]] = field(default_factory=list)
    note: str | None = None  # what was wrong with a page that was read anyway (a capped list)
    attempts: int = 1  # downloads of this URL in this run (Scrapy's retries included)
    # A page read: the links (URL, label) it may lead on to — a report page's attachments, a
    # navigation page's reports, columns, next pages and ways in — and the list pages or
    # APIs its CMS family reveals (URL, kind, form); None when it was not read.
    links: tuple[Link, ...] | None = None
    lists: tuple[ListPage, ...] = ()
    sha256: str | None = None  # the stored bytes an unchanged answer is (not modified, fresh)
