"""Shared base for gknb's Scrapy commands that read the crawl database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy.commands import ScrapyCommand

if TYPE_CHECKING:
    from .storage import Storage

__all__ = ["StorageCommand"]


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
            raise SystemExit(f"no database at {database}: run `scrapy crawl reports` first")
        return Storage(database, self.settings.get("GKNB_RAW_DIR"))
