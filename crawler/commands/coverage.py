"""``scrapy coverage``: publisher × year — found, missing or failed, with first-seen dates.

A publisher's years run from its first to its last report found; a year in between without a
report is ``missing``. A report page or attachment whose latest fetch failed, or whose bytes
could not be read, is ``failed`` with its reason (a wrapper page that only links to the
attachment holding the report is not a failure). Failed list pages are counted separately.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path
from typing import Any

from .. import queries
from ..command_base import StorageCommand
from ..coverage import coverage_page, failed_documents, publisher_years
from ..sites import Site, load_sites, registry_path


def write_csv(target: str, header: list[str], rows: list[Any]) -> None:
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{path}: {len(rows)} rows")


class Command(StorageCommand):
    def short_desc(self) -> str:
        return "Publisher × year coverage: found / missing / failed, with first-seen dates"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--csv", help="also write the table to this CSV file")
        parser.add_argument(
            "--html",
            help="write one self-contained page: a province × year heat map, a table per "
            "province, a chart of each county's headline figures",
        )
        parser.add_argument(
            "--by",
            choices=("publisher", "province", "prefecture"),
            default="publisher",
            help="publisher × year (default), or the registry's completeness per area",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if opts.by != "publisher":
            self._areas(opts)
            return
        db = self.storage().db
        if opts.html:
            assert self.settings is not None
            sites = load_sites(registry_path(self.settings.get("GKNB_SITES")))
            path = Path(opts.html)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(coverage_page(db, sites), "utf-8")
            print(f"{path}: coverage page")
        # A publisher is matched across years by its key; it is shown as printed each year.
        rows = [
            (r.site_id, r.publisher, "" if r.year is None else r.year, r.state, r.first_seen)
            for r in publisher_years(db)
        ]
        failed = [
            (f.site_id, f.url, "", f"failed: {f.reason}", f.first_seen)
            for f in failed_documents(db)
        ]
        print(f"{'site_id':28} {'year':>4}  {'state':8} {'first seen':26} publisher")
        for site_id, publisher, year, state, first_seen in rows:
            print(f"{site_id:28} {year:>4}  {state:8} {first_seen:26} {publisher}")
        for site_id, url, _, state, first_seen in failed:
            print(f"{site_id:28} {'':>4}  {'failed':8} {first_seen:26} {url}")
            print(f"{'':44}{state.removeprefix('failed: ')[:160]}")
        states = [row[3] for row in rows]
        navigation = queries.failed_navigation_pages(db)
        print(
            f"found {sum(s.startswith('found') for s in states)}, "
            f"missing {states.count('missing')}, failed {len(failed)}; "
            f"list pages that failed: {navigation}"
        )
        if opts.csv:
            header = ["site_id", "publisher_or_url", "year", "state", "first_seen"]
            write_csv(opts.csv, header, rows + failed)

    def _areas(self, opts: argparse.Namespace) -> None:
        """Per province or prefecture: registered sites, sites got into, reports per year,
        failures by kind — over the whole registry, crawled or not."""
        assert self.settings is not None
        db = self.storage().db
        sites = load_sites(registry_path(self.settings.get("GKNB_SITES")))
        entered = queries.sites_entered(db)
        reports = queries.reports_by_site_year(db)
        failures = queries.area_failures(db)
        years = sorted({y for c in reports.values() for y in c if y})
        header = ["area", "sites", "no_url", "entered", "with_reports", *map(str, years)]
        header.append("failures")
        table: list[list[object]] = []
        areas: dict[str, list[Site]] = {}
        for site in sites:
            key = site.province if opts.by == "province" else f"{site.province}/{site.prefecture}"
            areas.setdefault(key, []).append(site)
        for area, members in areas.items():
            ids = [s.site_id for s in members]
            by_year = Counter[int]()
            failed = Counter[str]()
            for site_id in ids:
                by_year.update(reports.get(site_id, Counter()))
                failed.update(failures.get(site_id, Counter()))
            table.append(
                [
                    area,
                    len(members),
                    sum(1 for s in members if s.status == "no_url"),
                    sum(1 for i in ids if i in entered),
                    sum(1 for i in ids if reports.get(i)),
                    *(by_year.get(year, 0) for year in years),
                    "; ".join(f"{k} {v}" for k, v in failed.most_common()),
                ]
            )
        print("  ".join(header))
        for row in table:
            print("  ".join(str(cell) for cell in row))
        totals = [sum(int(row[i]) for row in table) for i in range(1, 5)]  # type: ignore[call-overload]
        print(
            f"{len(table)} areas: {totals[0]} sites, {totals[1]} without a portal, "
            f"{totals[2]} entered, {totals[3]} with reports"
        )
        if opts.csv:
            write_csv(opts.csv, header, table)
