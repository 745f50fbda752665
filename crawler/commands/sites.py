"""``scrapy sites``: list and validate the registry; ``scrapy sites import``: rebuild it.

``scrapy sites`` lists the registry ``GKNB_SITES`` names (``china`` by default) and checks
it; a bad row is named and the exit status is 1. ``scrapy sites import [COUNTIES_CSV]
[--changes CSV] [--out FILE]`` turns the county list (区划代码, names, portal URLs) into the
``china`` registry; without arguments it rebuilds ``crawler/registry/china.csv`` from the
sources shipped in ``crawler/registry/sources/``.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ..registry import SOURCES, import_registry, read_csv, write_registry
from ..sites import REGISTRIES, RegistryError, load_sites, registry_path


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[import [COUNTIES_CSV] [--changes CSV] [--out FILE]]"

    def short_desc(self) -> str:
        return "List and validate the site registry, or import it from the county list"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--changes",
            help="boundary changes after the county list (abolished ones are kept, historical;"
            " default: the shipped changes_after_2024.csv, '' for none)",
        )
        parser.add_argument("--out", default=str(REGISTRIES["china"]), help="registry to write")
        parser.add_argument("--quiet", action="store_true", help="only the summary")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args and args[0] == "import":
            self.exitcode = self._import(args[1:], opts)
            return
        if args:
            raise UsageError(f"unknown arguments {args}", print_help=True)
        assert self.settings is not None
        path = registry_path(self.settings.get("GKNB_SITES"))
        try:
            sites = load_sites(path)
        except (RegistryError, ValueError) as exc:  # a bad row, or TOML that does not parse
            print(f"registry error: {exc}")
            self.exitcode = 1
            return
        if not opts.quiet:
            print(f"{'site_id':36} {'code':6} {'status':19} {'platform':8} base_url  name")
            for site in sites:
                print(
                    f"{site.site_id:36} {site.division_code:6} {site.status:19} "
                    f"{site.platform:8} {site.base_url or '-'}  {site.name}"
                    + ("  (historical)" if site.historical else "")
                )
        statuses = Counter(site.status for site in sites)
        historical = sum(site.historical for site in sites)
        provinces = len({site.province for site in sites if site.province})
        print(
            f"{len(sites)} sites in {provinces} provinces from {path}: "
            + ", ".join(f"{status} {count}" for status, count in sorted(statuses.items()))
            + f", historical {historical}; registry valid"
        )

    def _import(self, args: list[str], opts: argparse.Namespace) -> int:
        counties = Path(args[0]) if args else SOURCES / "counties.csv"
        changes = SOURCES / "changes_after_2024.csv" if opts.changes is None else Path(opts.changes)
        changes = changes if opts.changes != "" else None
        try:
            sites = import_registry(read_csv(counties), read_csv(changes) if changes else ())
            out = Path(opts.out)
            write_registry(sites, out)
            load_sites(out)  # what was written must load and validate
        except (OSError, KeyError, RegistryError) as exc:
            print(
                f"import failed: {exc!r}" if isinstance(exc, KeyError) else f"import failed: {exc}"
            )
            return 1
        print(f"imported {len(sites)} sites from {counties} into {out}")
        return 0
