"""``scrapy crawl``, Scrapy's own command, with the crawl's arguments checked first.

A wrong ``-a`` or ``-s`` value, an unknown site, a registry that cannot be read or a database
that cannot be written ends the command before anything starts — before Scrapy's start-up
log, before the reactor — with one line saying what is wrong and what to do, and exit status
2 (a usage error, as argparse's). Without the check the same mistakes surfaced as tracebacks
from inside the reactor, with exit status 0.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl

from ..arguments import ArgumentError, check_crawl
from ..command_base import usage_error


class Command(ScrapyCrawl):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)  # -s into the settings, -a into opts.spargs
        if args in (["reports"], ["store"]):
            try:
                check_crawl(self.settings, opts.spargs, store=args == ["store"])
            except ArgumentError as error:
                usage_error(str(error))
