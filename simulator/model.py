"""What a simulated portal is: resources at paths, and the ground truth about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

__all__ = ["EPOCH", "ManifestEntry", "Resource", "Site"]

# Every resource has a fixed Last-Modified so that two starts serve identical bytes.
EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)


@dataclass
class Resource:
    """One URL's answer: bytes with their type, or a redirect (``location``)."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    last_modified: datetime = EPOCH
    status: int = 200
    location: str | None = None
    methods: tuple[str, ...] = ("GET", "HEAD")


@dataclass(frozen=True)
class ManifestEntry:
    """Ground truth: this URL carries this publisher's report for this year."""

    site_id: str
    url: str
    publisher: str
    year: int
    kind: str  # "report_page" | "attachment"
    duplicate_of: str | None = None
    synthetic: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "site_id": self.site_id,
            "url": self.url,
            "publisher": self.publisher,
            "year": self.year,
            "kind": self.kind,
            "duplicate_of": self.duplicate_of,
            "synthetic": self.synthetic,
        }


@dataclass
class Site:
    """A portal: the hosts it answers for, its resources by path, and its manifest."""

    site_id: str
    name: str
    division_code: str
    base_url: str
    family: str
    hosts: tuple[str, ...]
    resources: dict[tuple[str, str], Resource] = field(default_factory=dict)  # (host, path)
    manifest: list[ManifestEntry] = field(default_factory=list)
    notes: str = ""

    def add(self, url: str, resource: Resource) -> str:
        """Serve ``resource`` at the absolute ``url``; returns the url."""
        host, path = split_url(url)
        self.resources[(host, path)] = resource
        return url


def split_url(url: str) -> tuple[str, str]:
    """``http://Host:80/a/b?x=1`` → (``host``, ``/a/b?x=1``); fragments dropped."""
    rest = url.split("://", 1)[1] if "://" in url else url
    authority, _, path = rest.partition("/")
    host = authority.rsplit("@", 1)[-1].split(":")[0].lower()
    path = "/" + path.split("#", 1)[0]
    return host, path
