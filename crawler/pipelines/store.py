"""StorePipeline: raw bytes first, then the fetch's provenance, then parse, then records."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from parsers import ParseError, parse_document, sniff_format

from ..items import FetchedDocument
from ..storage import Storage

__all__ = ["StorePipeline"]

ENTRY_ROLES = frozenset({"home", "entry", "disclosure", "column"})


class StorePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.database = crawler.settings.get("GKNB_DATABASE")
        self.raw_dir = crawler.settings.get("GKNB_RAW_DIR")
        self.storage: Storage | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.storage = Storage(self.database, self.raw_dir)
        spider = self.crawler.spider
        self.storage.upsert_sites(site.to_row() for site in getattr(spider, "sites", []))
        spider.storage = self.storage  # type: ignore[union-attr]  # validators for conditional GETs

    def close_spider(self) -> None:
        if self.storage is not None:
            self.storage.check_carry_over()
            self.storage.close()

    def process_item(self, item: Any) -> Any:
        spider = self.crawler.spider
        if not isinstance(item, FetchedDocument) or self.storage is None:
            return item
        storage = self.storage
        row = {
            "url": item.url,
            "final_url": item.final_url,
            "status": item.status,
            "content_type": item.content_type,
            "fetched_at": item.fetched_at,
            "referer": item.referer,
            "site_id": item.site_id,
            "error": item.error,
            "etag": item.etag,
            "last_modified": item.last_modified,
            "kind": item.kind,
            "link_text": item.link_text,
            "conditional": int(item.conditional),
            "not_modified": int(item.not_modified),
        }
        if item.platform and item.platform != "generic":
            storage.record_platform(item.site_id, item.platform)
        if item.kind in ENTRY_ROLES and item.error is None:
            storage.record_fetch(row)  # a navigation page: its provenance, not its bytes
            storage.record_entry_point(
                item.site_id, item.kind, item.final_url, item.url, item.fetched_at
            )
            return item
        if item.error is not None or item.not_modified or not item.body:
            storage.record_fetch(row)
            return item
        stored = storage.store_bytes(item.body)  # raw bytes before anything reads them
        fmt = sniff_format(item.body)
        storage.record_document(stored.sha256, item.content_type, len(item.body), fmt)
        storage.record_fetch({**row, "sha256": stored.sha256, "size": len(item.body)})
        headers = {"Content-Type": item.content_type}
        try:
            report = parse_document(item.body, url=item.final_url, headers=headers)
        except ParseError as exc:
            storage.record_document_error(stored.sha256, f"{exc.kind}: {exc}")
            if exc.kind != "not_a_report":  # a page that only links to the report is normal
                spider.logger.warning("unreadable %s: %s: %s", item.url, exc.kind, exc)
            return item
        except Exception as exc:  # a parser bug must not end the crawl; the bytes are kept
            storage.record_document_error(stored.sha256, f"parser_failure: {exc!r}"[:500])
            spider.logger.exception("parser failed on %s", item.url)
            return item
        storage.store_report(
            report,
            site_id=item.site_id,
            url=item.final_url,
            sha256=stored.sha256,
            kind=fmt,
            fetched_at=item.fetched_at,
        )
        failed = sum(1 for check in report.checks if not check.ok)
        spider.logger.info(
            "report %s %s (%s form, %d figures, %d failed checks) from %s",
            report.publisher,
            report.year,
            report.template,
            len(report.values),
            failed,
            item.final_url,
        )
        return item
