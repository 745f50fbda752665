"""``scrapy reparse [--site ID] [--all]``: re-read stored bytes with the current parsers.

No network at all.  By default only what an older parser version read is re-read (see
``crawler.ingest.reparse``); ``--all`` re-reads every stored document.
Documents are parsed on every core (``--workers``), within the crawl's per-document time and
memory budget, a bounded number of reports ahead of the one being written.  Each report is
replaced in its own transaction and never removed before its replacement is written, so an
interrupted reparse loses nothing and is finished by running it again.
"""

from __future__ import annotations

import argparse

from scrapy.exceptions import UsageError

from ..command_base import StorageCommand, usage_error


class Command(StorageCommand):
    def short_desc(self) -> str:
        return "Re-parse stored documents with the current parsers (offline)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", help="only this site_id")
        parser.add_argument(
            "--all",
            dest="everything",
            action="store_true",
            help="re-read every document, not only those an older parser version read",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="processes that parse (default GKNB_PARSE_WORKERS, else one per core)",
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=32,
            help="reports rewritten per transaction (default 32)",
        )
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
        from parsers import PARSER_VERSION

        from ..ingest import reparse
        from ..parsepool import ParsePool

        assert self.settings is not None
        storage = self.storage()
        if (
            opts.site is not None
            and not storage.db.execute(
                "select 1 from sites where site_id = ?", [opts.site]
            ).fetchone()
        ):
            usage_error(f"-a site={opts.site}: no such site in the database (`scrapy summary`)")
        with ParsePool.from_settings(self.settings, opts.workers) as pool:
            summary = reparse(
                storage,
                site_id=opts.site,
                everything=opts.everything,
                pool=pool,
                batch=max(opts.batch, 1),
            )
        print(
            f"re-parsed {summary.reports_read} report documents, {summary.not_reports} pages "
            f"that are not reports, {summary.failed} unreadable"
            + (
                f", {summary.missing_bytes} missing from the raw store"
                if summary.missing_bytes
                else ""
            )
            + f"; {summary.reports_after} reports"
        )
        print(f"reports new: {summary.new}, gone: {summary.gone}")
        print(
            f"figures changed or new: {summary.figures_changed}, gone: {summary.figures_gone}; "
            f"parser_version now {', '.join(summary.versions)}"
        )
        if not summary.documents:
            print(f"nothing to re-read: every document was read by parser {PARSER_VERSION} (--all)")
