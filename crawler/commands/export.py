"""``scrapy export``: one CSV row per report with its headline figures, and a long CSV."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from .. import queries
from ..command_base import StorageCommand


class Command(StorageCommand):
    def short_desc(self) -> str:
        return "Export reports (headline figures) and all figures as CSV"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--out", default="data/reports.csv", help="one row per report")
        parser.add_argument("--figures", default="data/figures.csv", help="one row per figure")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        db = self.storage().db
        for view, target in (("report_headline", opts.out), ("report_figures", opts.figures)):
            path = Path(target)
            path.parent.mkdir(parents=True, exist_ok=True)
            header, cursor = queries.table_rows(db, view)
            with path.open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                count = 0
                for row in cursor:
                    writer.writerow(row)
                    count += 1
            print(f"{path}: {count} rows")
