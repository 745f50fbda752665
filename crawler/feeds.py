"""What Scrapy's feed exports (``-o``/``-O``, ``FEEDS``) write: one record per report.

The crawl's items are the fetched documents (raw bytes); the store pipeline keeps them and
drops them, and sends one record per report it wrote — after the cross-year check, so that
its failed checks are final — as the items the feed exporters see (``queries.report_records``:
plain JSON values, every figure included). JSON and JSON lines write the records as they are;
CSV, one row per report, flattens them (``ReportCsvItemExporter``).
"""

from __future__ import annotations

from typing import Any

from scrapy.exporters import CsvItemExporter

__all__ = ["ReportCsvItemExporter", "flat_record"]


def flat_record(record: dict[str, Any]) -> dict[str, Any]:
    """A report record as one CSV row: its scalar fields, each headline figure a column, the
    documents' URLs (space-separated) and the failed checks (``check subject: detail``,
    separated by `` | ``); the figures themselves are left to JSON (or ``scrapy export``'s
    long CSV)."""
    row = {k: v for k, v in record.items() if not isinstance(v, dict | list)}
    row.update(record.get("headline") or {})
    row["documents"] = " ".join(d["url"] for d in record.get("documents") or [])
    row["failed_checks"] = " | ".join(
        f"{c['check']} {c['subject']}: {c['detail']}" for c in record.get("failed_checks") or []
    )
    return row


class ReportCsvItemExporter(CsvItemExporter):
    """CSV of report records, one row each (other items, if a user's pipeline adds some, as
    Scrapy's own exporter writes them)."""

    def export_item(self, item: Any) -> None:
        if isinstance(item, dict) and "report_id" in item and "headline" in item:
            item = flat_record(item)
        super().export_item(item)
