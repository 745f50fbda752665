"""HTTP/1.1 as portals speak it: conditional requests, gzip, HEAD, redirects, lengths."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from .model import Resource

__all__ = ["Request", "Response", "answer", "read_request"]

_MAX_HEADER_LINES = 200
_MAX_BODY = 10 * 1024 * 1024
_COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/javascript")
_REASONS = {
    200: "OK",
    206: "Partial Content",
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class Request:
    method: str
    target: str
    version: str
    headers: dict[str, str]
    body: bytes = b""

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def encode(self, *, head: bool = False) -> bytes:
        reason = _REASONS.get(self.status, "Status")
        lines = [f"HTTP/1.1 {self.status} {reason}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return head_bytes if head else head_bytes + self.body


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """One request from the stream, or None at a clean end of the connection."""
    line = await reader.readline()
    if not line:
        return None
    try:
        method, target, version = line.decode("latin-1").strip().split(" ", 2)
    except ValueError:
        return Request("BAD", "", "HTTP/1.1", {})
    headers: dict[str, str] = {}
    for _ in range(_MAX_HEADER_LINES):
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    length = int(headers.get("content-length", "0") or 0)
    if 0 < length <= _MAX_BODY:
        body = await reader.readexactly(length)
    return Request(method.upper(), target, version, headers, body)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def _not_modified(request: Request, etag: str, last_modified: datetime) -> bool:
    if_none_match = request.header("if-none-match")
    if if_none_match:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
    if_modified_since = request.header("if-modified-since")
    if if_modified_since:
        try:
            return last_modified.replace(microsecond=0) <= parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
    return False


def answer(request: Request, resource: Resource | None, *, now: datetime) -> Response:
    """The response a careful server gives for ``resource`` (None: not found)."""
    date = ("Date", format_datetime(now, usegmt=True))
    server = ("Server", "gknb-portal-simulator")
    if resource is None:
        body = "<html><head><title>404 Not Found</title></head><body>404 Not Found</body></html>"
        data = body.encode()
        headers = [date, server, ("Content-Type", "text/html; charset=utf-8")]
        return Response(404, [*headers, ("Content-Length", str(len(data)))], data)
    if request.method not in resource.methods:
        allow = ", ".join(resource.methods)
        return Response(405, [date, server, ("Allow", allow), ("Content-Length", "0")])
    if resource.location is not None:
        headers = [date, server, ("Location", resource.location), ("Content-Length", "0")]
        return Response(resource.status, headers)
    etag = etag_of(resource.body)
    last_modified = format_datetime(resource.last_modified, usegmt=True)
    validators = [("ETag", etag), ("Last-Modified", last_modified)]
    if request.method in ("GET", "HEAD") and _not_modified(request, etag, resource.last_modified):
        return Response(304, [date, server, *validators])
    body = resource.body
    headers = [date, server, ("Content-Type", resource.content_type), *validators]
    compressible = resource.content_type.startswith(_COMPRESSIBLE)
    if compressible and "gzip" in request.header("accept-encoding") and len(body) > 256:
        body = gzip.compress(body, mtime=0)
        headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
    headers.append(("Content-Length", str(len(body))))
    return Response(resource.status, headers, body)
