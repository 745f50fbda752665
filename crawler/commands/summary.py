"""``scrapy summary``: what the database holds — sites, documents, reports, failed checks."""

from __future__ import annotations

import argparse

from ..command_base import StorageCommand


class Command(StorageCommand):
    def short_desc(self) -> str:
        return (
            "Summarise the database: sites, documents, reports by year and template, failed checks"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        db = self.storage().db
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        print(f"database: {self.settings.get('GKNB_DATABASE')}")  # type: ignore[union-attr]
        print(f"sites: {one('select count(*) from sites')}")
        print(f"fetches: {one('select count(*) from fetches')}")
        failures = db.execute(
            "select coalesce(status, ''), substr(error, 1, instr(error || ':', ':') - 1), count(*) "
            "from fetches where error is not null group by 1, 2 order by 3 desc"
        ).fetchall()
        for status, kind, count in failures:
            print(f"  failed: {count} × {status} {kind}".rstrip())
        print(f"documents: {one('select count(*) from documents')}")
        kinds = db.execute(
            "select case when error is null then 'read' "
            "when error like 'not_a_report%' then 'pages linking to a report' "
            "else substr(error, 1, instr(error, ':') - 1) end, count(*) "
            "from documents group by 1 order by 2 desc"
        ).fetchall()
        for kind, count in kinds:
            print(f"  {kind}: {count}")
        print(f"reports: {one('select count(*) from reports')}")
        rows = db.execute(
            "select year, template, count(*) from reports "
            "group by year, template order by year, template"
        ).fetchall()
        for year, template, count in rows:
            print(f"  {year}  {template:8} {count}")
        failed = db.execute(
            'select r.publisher, r.year, c."check", c.subject, c.detail from report_checks c '
            "join reports r using (report_id) where not c.ok order by r.publisher, r.year"
        ).fetchall()
        print(f"failed checks: {len(failed)}")
        for publisher, year, check, subject, detail in failed:
            print(f"  {publisher} {year} {check} [{subject}]: {detail}")
