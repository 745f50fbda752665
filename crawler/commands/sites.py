"""``scrapy sites``: list the registry and validate it (a bad row is named, exit 1)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, ClassVar

from scrapy.commands import ScrapyCommand

from ..sites import REGISTRY, RegistryError, load_sites


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def short_desc(self) -> str:
        return "List and validate the site registry"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        try:
            sites = load_sites(Path(self.settings.get("GKNB_SITES") or REGISTRY))
        except RegistryError as exc:
            print(f"registry error: {exc}")
            self.exitcode = 1
            return
        print(f"{'site_id':30} {'code':6} {'platform':8} base_url")
        for site in sites:
            print(f"{site.site_id:30} {site.division_code:6} {site.platform:8} {site.base_url}")
        print(f"{len(sites)} sites, registry valid")
