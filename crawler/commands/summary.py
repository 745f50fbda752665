"""``scrapy summary``: what the database holds — sites, documents, reports, failed checks."""

from __future__ import annotations

import argparse

from .. import queries
from ..command_base import StorageCommand
from ..runs import run_summary


class Command(StorageCommand):
    def short_desc(self) -> str:
        return (
            "Summarise the database: sites, documents, reports by year and template, failed checks"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        db = self.storage().db
        counts = queries.totals(db)
        print(f"database: {self.settings.get('GKNB_DATABASE')}")  # type: ignore[union-attr]
        print(f"sites: {counts['sites']}")
        print(f"fetches: {counts['fetches']}")
        for status, kind, count in queries.fetch_failures(db):
            print(f"  failed: {count} × {status} {kind}")
        print(f"documents: {counts['documents']}")
        for state, count in queries.document_states(db):
            print(f"  {state}: {count}")
        print(f"reports: {counts['reports']}")
        for year, template, count in queries.reports_by_year_template(db):
            print(f"  {year}  {template:8} {count}")
        failed = queries.failed_checks(db)
        print(f"failed checks: {len(failed)}")
        for publisher, year, check, subject, detail in failed:
            print(f"  {publisher} {year} {check} [{subject}]: {detail}")
        runs = queries.last_runs(db)
        print(f"last crawls: {len(runs)}")
        for run in runs:
            for line in run_summary(run):
                print(f"  {line}")
