"""``scrapy schedule``: when each registered site is next due for a crawl, and why
(``crawler/schedule.py``); ``scrapy crawl reports -a due=1`` crawls the sites due now."""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import UTC, datetime
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from ..command_base import usage_error


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[--due] [--quiet] [--at TIME]"

    def short_desc(self) -> str:
        return "When each site is next due for a crawl (-a due=1 crawls those due now)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--due", action="store_true", help="only the sites due")
        parser.add_argument("--quiet", action="store_true", help="only the counts")
        parser.add_argument(
            "--at", help="the time to judge at (ISO 8601, UTC unless it says; default now)"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from ..schedule import dues, in_season
        from ..sites import RegistryError, load_sites, registry_path

        assert self.settings is not None
        now = datetime.now(UTC)
        if opts.at:
            try:
                now = datetime.fromisoformat(opts.at)
            except ValueError:
                usage_error(f"--at {opts.at!r}: not a time; write e.g. --at 2027-02-01T06:00")
            now = now if now.tzinfo else now.replace(tzinfo=UTC)
        name = self.settings.get("GKNB_SITES")
        try:
            sites = [s for s in load_sites(registry_path(name)) if s.starts]
        except (RegistryError, OSError) as exc:
            usage_error(f"-s GKNB_SITES={name}: {exc}")
        judged = list(
            dues(self.settings.get("GKNB_DATABASE"), [s.site_id for s in sites], now).values()
        )
        due_now = [d for d in judged if d.is_due(now)]
        print(
            f"{len(due_now)} of {len(sites)} sites due at {now.isoformat(timespec='minutes')}"
            + (" (in season)" if in_season(now) else "")
        )
        for reason, count in Counter(d.reason for d in due_now).most_common():
            print(f"  due: {reason}: {count}")
        if opts.quiet:
            return
        shown = due_now if opts.due else sorted(judged, key=lambda d: (d.at or now, d.site_id))
        for due in shown:
            when = due.at.isoformat(timespec="minutes") if due.at and due.at > now else "now"
            print(f"{due.site_id}\t{when}\t{due.reason}")
