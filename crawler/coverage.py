"""What was found, what is missing, what failed — as rows (``scrapy coverage``) and as one
self-contained HTML page (``scrapy coverage --html FILE``).

A publisher's years run from its first to its last report found; a year in between without
a report is ``missing``. A report page or attachment whose latest fetch failed, or whose
bytes could not be read, is ``failed`` (its year is the one its link names, when it names
one).

The page needs nothing at view time — no network, no script or font from elsewhere: a
province × year heat map of reports found, missing and failed; a table per province, each
county's years, to drill into; and a chart of one county's headline figures across years.
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from . import queries
from .discovery.links import report_year

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .sites import Site

__all__ = ["Failed", "PublisherYear", "coverage_page", "failed_documents", "publisher_years"]


@dataclass(frozen=True)
class PublisherYear:
    site_id: str
    publisher: str  # as printed that year (the names it was printed under)
    year: int | None
    state: str  # found, missing, "found (year unknown)"
    first_seen: str


@dataclass(frozen=True)
class Failed:
    site_id: str
    url: str
    reason: str
    first_seen: str
    year: int | None  # the year its link names


def publisher_years(db: Database) -> list[PublisherYear]:
    """Every publisher's years, from its first report found to its last."""
    by_publisher: dict[tuple[str, str], dict[int | None, tuple[str, str]]] = {}
    for site_id, key, year, first_seen, names in queries.coverage_found(db):
        by_publisher.setdefault((site_id, key or ""), {})[year] = (first_seen, names or "")
    rows: list[PublisherYear] = []
    for (site_id, key), years in sorted(by_publisher.items()):
        known = [year for year in years if year is not None]
        for year in range(min(known), max(known) + 1) if known else range(0):
            first_seen, names = years.get(year, ("", key))
            rows.append(
                PublisherYear(
                    site_id, names, year, "found" if year in years else "missing", first_seen
                )
            )
        if None in years:
            first_seen, names = years[None]
            rows.append(PublisherYear(site_id, names, None, "found (year unknown)", first_seen))
    return rows


def failed_documents(db: Database) -> list[Failed]:
    return [
        Failed(site_id, url, reason or "", first_seen or "", report_year(link_text))
        for site_id, url, reason, first_seen, link_text in queries.coverage_failed(db)
    ]


# --- the page ---------------------------------------------------------------------------------

HEADLINE = (  # charted per county: column of report_headline, its label
    ("new_requests", "本年新收申请"),
    ("disclosed", "予以公开"),
    ("withheld", "不予公开"),
    ("reviews", "行政复议"),
    ("lawsuits_direct", "行政诉讼（直接）"),
)


def _page_data(db: Database, sites: Iterable[Site]) -> dict[str, Any]:
    registry = {s.site_id: s for s in sites}
    rows = publisher_years(db)
    failed = failed_documents(db)
    known_sites = {r.site_id for r in rows} | {f.site_id for f in failed}
    years = sorted(
        {r.year for r in rows if r.year is not None} | {f.year for f in failed if f.year}
    )
    cells: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    counties: dict[str, dict[int, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for row in rows:
        if row.year is not None:
            province = _province(registry, row.site_id)
            cells[(province, row.year)][row.state] += 1
            counties[row.site_id][row.year][row.state] += 1
    for item in failed:
        if item.year is not None:
            cells[(_province(registry, item.site_id), item.year)]["failed"] += 1
            counties[item.site_id][item.year]["failed"] += 1
    provinces = sorted(
        {_province(registry, s) for s in known_sites} | {s.province for s in registry.values()}
    )
    heat = [
        {
            "province": province,
            "sites": sum(1 for s in registry.values() if s.province == province),
            "cells": [dict(cells.get((province, year), Counter())) for year in years],
        }
        for province in provinces
    ]
    tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for site_id in sorted(known_sites):
        site = registry.get(site_id)
        tables[_province(registry, site_id)].append(
            {
                "site_id": site_id,
                "name": site.name if site else site_id,
                "years": [dict(counties[site_id].get(year, Counter())) for year in years],
                "failed": [
                    {"url": f.url, "reason": f.reason[:200]} for f in failed if f.site_id == site_id
                ],
            }
        )
    charts: dict[str, dict[str, Any]] = {}
    for row in queries.headline_by_site(db):
        if row["year"] is None:
            continue
        chart = charts.setdefault(
            row["site_id"], {"name": row["site_name"] or row["site_id"], "publishers": {}}
        )
        publisher = chart["publishers"].setdefault(
            row["publisher_key"] or row["publisher"],
            {"level": row["publisher_level"], "years": {}},
        )
        publisher["years"][str(row["year"])] = {key: row[key] for key, _ in HEADLINE}
    return {
        "years": years,
        "heat": heat,
        "tables": tables,
        "charts": charts,
        "series": [{"key": key, "label": label} for key, label in HEADLINE],
        "totals": {
            "found": sum(1 for r in rows if r.state.startswith("found")),
            "missing": sum(1 for r in rows if r.state == "missing"),
            "failed": len(failed),
            "sites": len(registry),
        },
    }


def _province(registry: dict[str, Site], site_id: str) -> str:
    site = registry.get(site_id)
    return site.province if site is not None and site.province else "(unregistered)"


def coverage_page(db: Database, sites: Iterable[Site], *, title: str = "gknb coverage") -> str:
    """The whole page: data as JSON in the page, drawn by the page's own script."""
    data = json.dumps(_page_data(db, sites), ensure_ascii=False).replace("</", "<\\/")
    static = resources.files("crawler") / "static"
    return (
        (static / "coverage.html")
        .read_text("utf-8")
        .replace("%TITLE%", html.escape(title))
        .replace("%STYLE%", (static / "coverage.css").read_text("utf-8"))
        .replace("%SCRIPT%", (static / "coverage.js").read_text("utf-8"))
        .replace("%DATA%", data)
    )
