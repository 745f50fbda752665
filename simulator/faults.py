"""Faults on demand: a declarative plan of what goes wrong where, deterministic by seed.

A plan is a TOML file::

    seed = 7

    [[fault]]
    site = "henan_shangqiu_minquan"   # optional: every site when absent
    path = "/zwgk/ndbg/*"             # optional glob on the path (with query)
    attempts = [1, 2]                 # optional: which requests of a URL (1 = the first)
    scheme = "https"                  # optional: only requests over https (or http)
    probability = 1.0                 # optional: a seeded, repeatable draw
    kind = "status"                   # see KINDS
    status = 503
    retry_after = 2

Kinds: ``status`` (any code; ``retry_after`` adds the header), ``delay`` (slow first
byte, ``seconds``), ``stall`` (headers, part of the body, then silence for ``seconds``),
``reset`` (connection reset), ``truncate`` (body cut short of its Content-Length),
``challenge`` (an anti-bot JavaScript cookie page served with 200), ``redirect_offsite``
(302 to ``location`` on another host), ``oversize`` (``bytes`` of body), ``wrong_type``
(``content_type``, e.g. a PDF as text/html), ``wrong_charset`` (``charset`` declared
instead of the real one), ``calendar_trap`` (the site grows an endless 活动日历 whose
months link onwards forever).
"""

from __future__ import annotations

import fnmatch
import hashlib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .http import Response
from .model import Resource, Site

__all__ = ["KINDS", "Fault", "FaultPlan", "challenge_page"]

KINDS = frozenset(
    {
        "status",
        "delay",
        "stall",
        "reset",
        "truncate",
        "challenge",
        "redirect_offsite",
        "oversize",
        "wrong_type",
        "wrong_charset",
        "calendar_trap",
    }
)


@dataclass(frozen=True)
class Fault:
    """One rule of a plan."""

    kind: str
    site: str | None = None
    path: str | None = None
    attempts: tuple[int, ...] | None = None
    probability: float = 1.0
    params: Mapping[str, Any] = field(default_factory=dict)
    scheme: str | None = None  # only requests made over http or over https

    def matches(self, site_id: str | None, path: str, attempt: int) -> bool:
        if self.site is not None and self.site != site_id:
            return False
        if self.path is not None and not fnmatch.fnmatchcase(path, self.path):
            return False
        return self.attempts is None or attempt in self.attempts


@dataclass(frozen=True)
class FaultPlan:
    """Rules in order; the first that matches (and whose seeded draw succeeds) applies."""

    faults: tuple[Fault, ...] = ()
    seed: int = 0

    @classmethod
    def load(cls, path: Path) -> FaultPlan:
        with path.open("rb") as handle:
            return cls.from_dict(tomllib.load(handle))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaultPlan:
        faults = []
        for index, raw in enumerate(data.get("fault", [])):
            rule = dict(raw)
            kind = rule.pop("kind", None)
            if kind not in KINDS:
                raise ValueError(
                    f"fault {index + 1}: unknown kind {kind!r} (one of {sorted(KINDS)})"
                )
            attempts = rule.pop("attempts", None)
            faults.append(
                Fault(
                    kind=kind,
                    site=rule.pop("site", None),
                    path=rule.pop("path", None),
                    attempts=tuple(int(a) for a in attempts) if attempts is not None else None,
                    probability=float(rule.pop("probability", 1.0)),
                    scheme=rule.pop("scheme", None),
                    params=rule,
                )
            )
        return cls(tuple(faults), int(data.get("seed", 0)))

    def pick(self, site_id: str | None, url: str, path: str, attempt: int) -> Fault | None:
        for index, fault in enumerate(self.faults):
            if fault.kind == "calendar_trap" or not fault.matches(site_id, path, attempt):
                continue
            if fault.scheme is not None and not url.startswith(f"{fault.scheme}://"):
                continue
            if fault.probability < 1.0:
                digest = hashlib.sha256(f"{self.seed}|{index}|{url}|{attempt}".encode()).digest()
                if int.from_bytes(digest[:8], "big") / 2**64 >= fault.probability:
                    continue
            return fault
        return None

    def install(self, sites: Iterable[Site]) -> None:
        """Give the sites named by ``calendar_trap`` rules their endless calendar."""
        for fault in self.faults:
            if fault.kind != "calendar_trap":
                continue
            for site in sites:
                if fault.site in (None, site.site_id):
                    _install_calendar(site)


def challenge_page() -> bytes:
    """What anti-bot gateways (加速乐, 云锁 …) answer with, status 200, before a cookie is set."""
    return (
        '<html><head><meta charset="utf-8"><title>安全验证</title></head><body>'
        "<noscript>请开启JavaScript并刷新该页。</noscript>"
        "<script>document.cookie='__jsl_clearance_s=1700000000.123|0|abc; max-age=3600; path=/';"
        "location.href=location.pathname+location.search;</script>"
        "</body></html>"
    ).encode()


def apply(fault: Fault, response: Response) -> Response:
    """Faults that only change what is answered (the others the server acts out)."""
    params = fault.params
    headers = [(k, v) for k, v in response.headers if k.lower() != "content-length"]
    if fault.kind == "status":
        status = int(params.get("status", 500))
        body = f"<html><body><h1>{status}</h1></body></html>".encode()
        extra = [("Retry-After", str(params["retry_after"]))] if "retry_after" in params else []
        keep = [(k, v) for k, v in headers if k.lower() in ("date", "server")]
        kind = [("Content-Type", "text/html; charset=utf-8")]
        return Response(status, [*keep, *kind, *extra, ("Content-Length", str(len(body)))], body)
    if fault.kind == "challenge":
        body = challenge_page()
        keep = [(k, v) for k, v in headers if k.lower() in ("date", "server")]
        return Response(
            200,
            [
                *keep,
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
            body,
        )
    if fault.kind == "redirect_offsite":
        location = str(params.get("location", "http://www.example-mirror.com/"))
        keep = [(k, v) for k, v in headers if k.lower() in ("date", "server")]
        return Response(302, [*keep, ("Location", location), ("Content-Length", "0")])
    if fault.kind == "oversize":
        size = int(params.get("bytes", 30 * 1024 * 1024))
        body = (b"<p>" + "政府信息公开".encode() * 100 + b"</p>\n") * (size // 1806 + 1)
        body = body[:size]
        return Response(
            200,
            [
                *[(k, v) for k, v in headers if k.lower() not in ("content-encoding", "etag")],
                ("Content-Length", str(len(body))),
            ],
            body,
        )
    if fault.kind == "wrong_type":
        content_type = str(params.get("content_type", "text/html; charset=utf-8"))
        swapped = [(k, content_type if k.lower() == "content-type" else v) for k, v in headers]
        return replace(response, headers=[*swapped, ("Content-Length", str(len(response.body)))])
    if fault.kind == "wrong_charset":
        charset = str(params.get("charset", "utf-8"))
        swapped = [
            (k, v.split(";")[0] + f"; charset={charset}" if k.lower() == "content-type" else v)
            for k, v in headers
        ]
        return replace(response, headers=[*swapped, ("Content-Length", str(len(response.body)))])
    return response


def _install_calendar(site: Site) -> None:
    base = site.base_url.rstrip("/")

    def month(params: Mapping[str, str]) -> Resource | None:
        try:
            year, number = int(params.get("y", "2024")), int(params.get("m", "1"))
        except ValueError:
            return None
        nxt = (year + number // 12, number % 12 + 1)
        prev = (year - (1 if number == 1 else 0), 12 if number == 1 else number - 1)
        body = (
            f"<html><body><h3>活动日历 {year}年{number}月</h3>"
            f'<a href="/calendar/?y={prev[0]}&m={prev[1]}">上个月</a> '
            f'<a href="/calendar/?y={nxt[0]}&m={nxt[1]}">下个月</a></body></html>'
        )
        return Resource(body.encode())

    site.add_handler(f"{base}/calendar/", month)
    home_key = next((key for key in site.resources if key[1] == "/"), None)
    if home_key is not None:
        home = site.resources[home_key]
        charset = home.content_type.partition("charset=")[2] or "utf-8"
        codec = "gb18030" if charset.lower() in ("gb2312", "gbk") else charset
        link = '<a class="calendar" href="/calendar/?y=2024&m=1">活动日历</a></body>'.encode(codec)
        site.resources[home_key] = replace(home, body=home.body.replace(b"</body>", link, 1))
