"""``scrapy export``: the stored reports as files.

``--format csv`` (the default): one row per report with its headline figures and where it is
from (``--out``), and one row per figure (``--figures``). ``--format jsonl``: one JSON record
per report — the record ``-O`` feeds write, every figure and failed check included (``--out``).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from .. import queries
from ..command_base import StorageCommand


class Command(StorageCommand):
    def short_desc(self) -> str:
        return "Export reports (headline figures) and all figures as CSV, or records as JSONL"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--format", choices=("csv", "jsonl"), default="csv", help="csv (default) or jsonl"
        )
        parser.add_argument(
            "--out", help="one row (one record) per report: data/reports.csv (.jsonl)"
        )
        parser.add_argument("--figures", default="data/figures.csv", help="one row per figure")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        db = self.storage().db
        out = Path(opts.out or f"data/reports.{opts.format}")
        if opts.format == "jsonl":
            out.parent.mkdir(parents=True, exist_ok=True)
            count = 0
            with out.open("w", encoding="utf-8") as handle:
                for record in queries.report_records(db):
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1
            print(f"{out}: {count} records")
            return
        for view, target in (("report_headline", out), ("report_figures", Path(opts.figures))):
            target.parent.mkdir(parents=True, exist_ok=True)
            header, cursor = queries.table_rows(db, view)
            with target.open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                count = 0
                for row in cursor:
                    writer.writerow(row)
                    count += 1
            print(f"{target}: {count} rows")
