"""``scrapy reparse [--site ID]``: re-extract and re-parse stored bytes; no network at all.

After a parser improvement, every stored report document is read again from the raw store
and parsed with the current parsers; the reports are rewritten and what changed is printed.
The raw bytes are never touched, so an interrupted reparse is repaired by running it again.
"""

from __future__ import annotations

import argparse

from scrapy.exceptions import UsageError
from sqlite_utils import Database

from parsers import ParseError, parse_document

from ..command_base import StorageCommand


def _snapshot(db: Database) -> tuple[dict[str, tuple[str, int]], dict[tuple[str, ...], int]]:
    """Reports (parser version, figure count) and every figure, to tell what a reparse did."""
    reports = {
        r[0]: (r[1], r[2])
        for r in db.execute("select report_id, parser_version, values_count from reports")
    }
    figures = {
        tuple(r[:5]): r[5]
        for r in db.execute(
            "select report_id, table_name, row_key, column_key, source, value from report_values"
        )
    }
    return reports, figures


class Command(StorageCommand):
    def short_desc(self) -> str:
        return "Re-parse stored documents with the current parsers (offline)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", help="only this site_id")
        parser.add_argument(
            "-a",
            dest="spargs",
            action="append",
            default=[],
            metavar="site=ID",
            help="as for `scrapy crawl reports`: -a site=ID limits to one site",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        for pair in opts.spargs:
            name, _, value = pair.partition("=")
            if name != "site" or not value:
                raise UsageError(f"unknown argument -a {pair!r}: only -a site=ID", print_help=False)
            opts.site = value

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        storage = self.storage()
        db = storage.db
        where, params = ("and f.site_id = ?", [opts.site]) if opts.site else ("", [])
        documents = db.execute(
            "select f.site_id, f.final_url, f.sha256, f.kind, f.content_type, max(f.fetched_at) "
            f"from fetches f where f.sha256 is not null {where} "
            "group by f.sha256, f.final_url order by f.site_id",
            params,
        ).fetchall()
        before, figures_before = _snapshot(db)
        site_filter = "where site_id = ?" if opts.site else ""
        with db.conn:
            for table in ("report_sections", "report_values", "report_checks", "report_sources"):
                db.execute(
                    f"delete from {table} where report_id in "
                    f"(select report_id from reports {site_filter})",
                    params,
                )
            db.execute(f"delete from reports {site_filter}", params)
        parsed = failed = wrappers = 0
        for site_id, url, sha256, _kind, content_type, fetched_at in documents:
            data = storage.read_bytes(sha256)
            try:
                report = parse_document(data, url=url, headers={"Content-Type": content_type or ""})
            except ParseError as exc:
                storage.record_document_error(sha256, f"{exc.kind}: {exc}")
                if exc.kind == "not_a_report":
                    wrappers += 1
                else:
                    failed += 1
                continue
            # A document an older parser could not read may be readable now.
            with db.conn:
                db["documents"].update(sha256, {"error": None})
            fmt = db.execute("select format from documents where sha256 = ?", [sha256]).fetchone()
            storage.store_report(
                report,
                site_id=site_id,
                url=url,
                sha256=sha256,
                kind=fmt[0] if fmt else "",
                fetched_at=fetched_at,
            )
            parsed += 1
        storage.check_carry_over()
        after, figures_after = _snapshot(db)
        changed = {k for k in figures_after if figures_before.get(k) != figures_after[k]}
        gone = set(figures_before) - set(figures_after)
        versions = sorted({v[0] for v in after.values()})
        print(
            f"re-parsed {parsed} report documents, {wrappers} pages that are not reports, "
            f"{failed} unreadable; {len(after)} reports"
        )
        print(
            f"reports new: {len(set(after) - set(before))}, gone: {len(set(before) - set(after))}"
        )
        print(
            f"figures changed or new: {len(changed)}, gone: {len(gone)}; "
            f"parser_version now {', '.join(versions)}"
        )
