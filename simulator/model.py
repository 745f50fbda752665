"""What a simulated portal is: resources at paths, and the ground truth about them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl

__all__ = ["EPOCH", "Handler", "ManifestEntry", "Resource", "Site"]

# Every resource has a fixed Last-Modified so that two starts serve identical bytes.
EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class Resource:
    """One URL's answer: bytes with their type, or a redirect (``location``)."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    last_modified: datetime = EPOCH
    status: int = 200
    location: str | None = None
    methods: tuple[str, ...] = ("GET", "HEAD")


# A list API answers by its parameters (query string, and a POST form's fields).
Handler = Callable[[Mapping[str, str]], Resource | None]


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
    readable: bool = True  # False: no text layer (a scan) — found, but not parseable
    figures: Mapping[str, int] | None = None  # synthetic reports: headline figures printed

    def to_dict(self) -> dict[str, object]:
        return {
            "site_id": self.site_id,
            "url": self.url,
            "publisher": self.publisher,
            "year": self.year,
            "kind": self.kind,
            "duplicate_of": self.duplicate_of,
            "synthetic": self.synthetic,
            "readable": self.readable,
            **({"figures": dict(self.figures)} if self.figures else {}),
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
    handlers: dict[tuple[str, str], Handler] = field(default_factory=dict)  # (host, path w/o query)
    manifest: list[ManifestEntry] = field(default_factory=list)
    notes: str = ""

    def add(self, url: str, resource: Resource) -> str:
        """Serve ``resource`` at the absolute ``url``; returns the url."""
        host, path = split_url(url)
        self.resources[(host, path)] = resource
        return url

    def add_handler(self, url: str, handler: Handler) -> None:
        """Answer every query of the path of ``url`` with ``handler(params)``."""
        host, path = split_url(url)
        self.handlers[(host, path.split("?", 1)[0])] = handler

    def lookup(self, host: str, path: str, form: Mapping[str, str]) -> Resource | None:
        """The resource for a request: a static one, else what a handler makes of it."""
        resource = self.resources.get((host, path))
        if resource is not None:
            return resource
        base, _, query = path.partition("?")
        handler = self.handlers.get((host, base))
        if handler is None:
            return None
        params = dict(parse_qsl(query, keep_blank_values=True))
        params.update(form)
        return handler(params)


def split_url(url: str) -> tuple[str, str]:
    """``http://Host:80/a/b?x=1`` → (``host``, ``/a/b?x=1``); fragments dropped."""
    rest = url.split("://", 1)[1] if "://" in url else url
    authority, _, path = rest.partition("/")
    host = authority.rsplit("@", 1)[-1].split(":")[0].lower()
    path = "/" + path.split("#", 1)[0]
    return host, path
