"""Shared base for gknb's Scrapy commands that read the crawl database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from scrapy.commands import ScrapyCommand

from .arguments import EXIT_USAGE, ArgumentError, check_database

if TYPE_CHECKING:
    from .storage import Storage

__all__ = ["StorageCommand", "usage_error"]


class StorageCommand(ScrapyCommand):
    """A command that works on the database the crawl wrote (GKNB_DATABASE)."""

    requires_project = True
    requires_crawler_process = False
    default_settings: ClassVar[dict[str, Any]] = {"LOG_LEVEL": "WARNING"}

    def storage(self) -> Storage:
        from .storage import Storage  # sqlite-utils and the parsers: only when a command runs

        assert self.settings is not None
        database = Path(self.settings.get("GKNB_DATABASE"))
        if not database.exists():
            usage_error(f"no database at {database}: run `scrapy crawl reports` first")
        try:
            check_database(database)
        except ArgumentError as error:
            usage_error(str(error))
        return Storage(database, self.settings.get("GKNB_RAW_DIR"))


def usage_error(message: str) -> NoReturn:
    """End a command as argparse ends one: one line on stderr, exit status 2."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)
