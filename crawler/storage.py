"""SQLite storage (sqlite-utils): the record contract of DESIGN.md, with provenance.

Raw bytes live content-addressed on disk (``<raw_dir>/<sha256[:2]>/<sha256>``) and are
written before anything is parsed.  Every HTTP exchange is a ``fetches`` row, failures
included.  A report is one publisher × year of one site, however many copies (HTML page,
PDF, DOCX) carry it: all copies are listed in ``report_sources``, and the figures come from
the copy that yields the most of them.  Each document is stored in one transaction.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from parsers import AnnualReport
from parsers.meta import publisher_key

from .items import Link, ListPage
from .queries import HEADLINE

SOURCE_KEY = ("report_id", "url", "sha256")

__all__ = ["Storage", "copy_weight", "error_columns", "report_id_for", "split_error"]

migrations = Migrations("gknb")
BUSY_TIMEOUT = 120.0  # seconds a writer waits for another process's transaction


@migrations()
def m001_record_contract(db: Database) -> None:
    db["sites"].create(
        {
            "site_id": str,
            "name": str,
            "division_code": str,
            "province": str,
            "prefecture": str,
            "base_url": str,
            "platform": str,
            "hosts": str,
            "entry_urls": str,
        },
        pk="site_id",
    )
    db["documents"].create(
        {
            "sha256": str,
            "content_type": str,
            "size": int,
            "path": str,
            "format": str,
            "first_seen": str,
            "error": str,
        },
        pk="sha256",
    )
    db["fetches"].create(
        {
            "id": int,
            "url": str,
            "final_url": str,
            "status": int,
            "content_type": str,
            "sha256": str,
            "size": int,
            "fetched_at": str,
            "referer": str,
            "site_id": str,
            "error": str,
            "etag": str,
            "last_modified": str,
            "kind": str,
            "link_text": str,
            "conditional": int,
            "not_modified": int,
        },
        pk="id",
        foreign_keys=[("site_id", "sites", "site_id")],
    )
    db["reports"].create(
        {
            "report_id": str,
            "site_id": str,
            "publisher": str,
            "publisher_level": str,
            "year": int,
            "title": str,
            "publish_date": str,
            "template": str,
            "source_url": str,
            "document_url": str,
            "sha256": str,
            "fetched_at": str,
            "parser_version": str,
            "status": str,
            "checks_failed": int,
            "values_count": int,
        },
        pk="report_id",
        foreign_keys=[("site_id", "sites", "site_id")],
    )
    db["report_sources"].create(
        {
            "report_id": str,
            "url": str,
            "sha256": str,
            "kind": str,
            "fetched_at": str,
            "values_count": int,
            "primary_source": int,
        },
        pk=("report_id", "url", "sha256"),
        foreign_keys=[("report_id", "reports", "report_id")],
    )
    db["report_sections"].create(
        {"report_id": str, "number": int, "heading": str, "text": str},
        pk=("report_id", "number"),
        foreign_keys=[("report_id", "reports", "report_id")],
    )
    db["report_values"].create(
        {
            "report_id": str,
            "table_name": str,
            "row_key": str,
            "column_key": str,
            "value": int,  # INTEGER affinity: counts stay integers, 7730.28 stays REAL
            "source": str,
            "label": str,
        },
        pk=("report_id", "table_name", "row_key", "column_key", "source"),
        foreign_keys=[("report_id", "reports", "report_id")],
    )
    db["report_checks"].create(
        {"report_id": str, "check": str, "subject": str, "ok": int, "detail": str},
        pk=("report_id", "check", "subject"),
        foreign_keys=[("report_id", "reports", "report_id")],
    )
    db["fetches"].create_index(["url"])
    db["fetches"].create_index(["site_id"])
    db["fetches"].create_index(["sha256"])
    db["reports"].create_index(["site_id", "publisher", "year"], unique=True)
    db["report_sources"].create_index(["sha256"])
    db["report_values"].create_index(["table_name", "row_key", "column_key"])


def headline_columns() -> str:
    """The headline figures as select columns of a report ``r``: each figure from its table
    (or, failing that, from prose); ``withheld`` the sum of every withheld row."""
    figure = (
        "(select v.value from report_values v where v.report_id = r.report_id and "
        "v.table_name = '{}' and v.row_key = '{}' and v.column_key = '{}' "
        "order by v.source = 'table' desc limit 1)"
    )
    columns = ",\n".join(f"{figure.format(*key)} as {name}" for name, key in HEADLINE.items())
    withheld = (
        "(select sum(v.value) from report_values v where v.report_id = r.report_id and "
        "v.source = 'table' and v.table_name = 'applications' and v.row_key like 'withheld%' "
        "and v.column_key = 'total')"
    )
    return columns.replace(
        figure.format(*HEADLINE["withheld"]) + " as withheld", withheld + " as withheld"
    )


@migrations()
def m002_views(db: Database) -> None:
    db.create_view(
        "report_figures",
        """
        select r.report_id, r.site_id, r.publisher, r.publisher_level, r.year, r.template,
               v.table_name, v.row_key, v.column_key, v.value, v.source, v.label,
               r.source_url, r.fetched_at
        from report_values v join reports r using (report_id)
        """,
    )
    columns = headline_columns()
    db.create_view(
        "report_headline",
        f"""
        select r.report_id, r.site_id, r.publisher, r.publisher_level, r.year, r.template,
               {columns},
               (select count(*) from report_checks c where c.report_id = r.report_id and not c.ok)
                 as checks_failed,
               r.source_url
        from reports r
        """,
    )


_REPORT_FIGURES_V2 = """
select r.report_id, r.site_id, r.publisher, r.publisher_key, r.publisher_level, r.year,
       r.template, v.table_name, v.row_key, v.column_key, v.value, v.source, v.label,
       r.source_url, r.fetched_at
from report_values v join reports r using (report_id)
"""


@migrations()
def m003_publisher_key(db: Database) -> None:
    """Match one publisher across years whatever prefix of upper units its name carries."""
    db["reports"].add_column("publisher_key", str)
    for row in list(db.query("select report_id, publisher from reports")):
        db["reports"].update(row["report_id"], {"publisher_key": publisher_key(row["publisher"])})
    db.execute("drop index if exists idx_reports_site_id_publisher_year")
    db["reports"].create_index(["site_id", "publisher_key", "year"])
    db.create_view("report_figures", _REPORT_FIGURES_V2, replace=True)


@migrations()
def m004_site_entry_points(db: Database) -> None:
    """Where each site's crawl found its way in: home page, disclosure area, 年报 columns."""
    db["site_entry_points"].create(
        {
            "site_id": str,
            "role": str,  # home, entry, disclosure, column
            "url": str,  # the URL that answered (after redirects)
            "requested_url": str,  # the URL asked for (the registered one or an alternative)
            "first_found": str,
            "last_found": str,
        },
        pk=("site_id", "role", "url"),
        foreign_keys=[("site_id", "sites")],
    )
    db["sites"].add_column("detected_platform", str)


def split_error(error: str | None) -> tuple[str | None, str | None]:
    """``"kind: detail"`` → (kind, detail): how failures were written before m005."""
    if not error:
        return None, None
    kind, sep, detail = error.partition(":")
    if not sep or not kind.strip() or " " in kind.strip():
        return "error", error
    return kind.strip(), detail.strip()


def error_columns(kind: str | None, detail: str | None) -> dict[str, str | None]:
    """The failure columns of a fetch or document: its kind, its detail, and both as text."""
    if kind is None:
        return {"error": None, "error_kind": None, "error_detail": None}
    detail = (detail or "")[:500]
    return {
        "error": f"{kind}: {detail}" if detail else kind,
        "error_kind": kind,
        "error_detail": detail,
    }


@migrations()
def m005_error_kinds(db: Database) -> None:
    """Failures as ``error_kind`` + ``error_detail`` (split from the ``kind: detail`` text), and
    the parser version that last read each document (``reparse`` re-reads older ones)."""
    for table in ("fetches", "documents"):
        db[table].add_column("error_kind", str)
        db[table].add_column("error_detail", str)
        rows = list(db.query(f"select rowid as rid, error from [{table}] where error is not null"))
        for row in rows:
            kind, detail = split_error(row["error"])
            db.execute(
                f"update [{table}] set error_kind = ?, error_detail = ? where rowid = ?",
                [kind, detail, row["rid"]],
            )
        db[table].create_index(["error_kind"])
    db["documents"].add_column("parser_version", str)
    db.execute(
        "update documents set parser_version = "
        "(select r.parser_version from report_sources s join reports r using (report_id) "
        "where s.sha256 = documents.sha256 limit 1)"
    )
    # ``document_url`` only ever repeated ``source_url``; the copies are in report_sources.
    db.execute("alter table reports drop column document_url")


@migrations()
def m006_fetch_notes(db: Database) -> None:
    """Every exchange a row: what was wrong with a page read anyway (``note``: a list whose
    page count was capped) and how many downloads this run made of the URL (``attempts``)."""
    db["fetches"].add_column("note", str)
    db["fetches"].add_column("attempts", int)
    db["fetches"].create_index(["kind"])


def copy_weight(report: AnnualReport) -> int:
    """How full a copy of a report is; the fullest copy gives the report its figures.

    Table figures weigh double: a copy whose tables were read beats prose alone.
    """
    return sum(2 if v.source == "table" else 1 for v in report.values)


@migrations()
def m007_lean_figures(db: Database) -> None:
    """``report_values`` as a ``WITHOUT ROWID`` table keyed by its primary key alone.

    The secondary index on (table, row, column) made each figure cost several b-tree inserts
    (117 000 figures: 2.7 s with it, 0.5 s without) and doubled the file; every query of the
    project reads figures by report (the primary key's prefix). Views are dropped and made
    again around the rebuild (SQLite will not rename a table under views that name it)."""
    views = list(db.execute("select name, sql from sqlite_master where type = 'view'"))
    for name, _ in views:
        db.execute(f"drop view [{name}]")
    db.execute(
        "create table report_values_new ("
        "report_id text not null references reports(report_id), table_name text not null, "
        "row_key text not null, column_key text not null, value integer, "
        "source text not null, label text, "
        "primary key (report_id, table_name, row_key, column_key, source)) without rowid"
    )
    db.execute(
        "insert into report_values_new select report_id, table_name, row_key, column_key, "
        "value, source, label from report_values"
    )
    db.execute("drop table report_values")
    db.execute("alter table report_values_new rename to report_values")
    for _, sql in views:
        db.execute(sql)


_REPORT_FIGURES_V3 = """
select r.report_id, r.site_id, r.publisher, r.publisher_key, r.publisher_level, r.year,
       r.template, v.table_name, v.row_key, v.column_key, v.value, v.source, l.label,
       r.source_url, r.fetched_at
from report_values v join reports r using (report_id) left join labels l using (label_id)
"""


@migrations()
def m008_compact_figures(db: Database) -> None:
    """Printed labels kept once each in ``labels`` (a national form prints the same few
    hundred labels in every report: they were 36 % of ``report_values``), figures pointing at
    theirs by ``label_id``; ``report_checks`` as a ``WITHOUT ROWID`` table (its key index was a
    third of it). The ``report_figures`` view still shows each figure with its label."""
    views = list(db.execute("select name, sql from sqlite_master where type = 'view'"))
    for name, _ in views:
        db.execute(f"drop view [{name}]")
    db.execute("create table labels (label_id integer primary key, label text not null unique)")
    db.execute(
        "insert into labels (label) select distinct label from report_values "
        "where label is not null order by label"
    )
    db.execute(
        "create table report_values_new ("
        "report_id text not null references reports(report_id), table_name text not null, "
        "row_key text not null, column_key text not null, value integer, "
        "source text not null, label_id integer references labels(label_id), "
        "primary key (report_id, table_name, row_key, column_key, source)) without rowid"
    )
    db.execute(
        "insert into report_values_new select v.report_id, v.table_name, v.row_key, "
        "v.column_key, v.value, v.source, l.label_id "
        "from report_values v left join labels l using (label)"
    )
    db.execute("drop table report_values")
    db.execute("alter table report_values_new rename to report_values")
    db.execute(
        "create table report_checks_new ("
        'report_id text not null references reports(report_id), "check" text not null, '
        "subject text not null, ok integer, detail text, "
        'primary key (report_id, "check", subject)) without rowid'
    )
    db.execute(
        'insert into report_checks_new (report_id, "check", subject, ok, detail) '
        'select report_id, "check", subject, ok, detail from report_checks'
    )
    db.execute("drop table report_checks")
    db.execute("alter table report_checks_new rename to report_checks")
    for name, sql in views:
        if name == "report_figures":
            db.create_view("report_figures", _REPORT_FIGURES_V3)
        else:
            db.execute(sql)


@migrations()
def m009_headline_places(db: Database) -> None:
    """``report_headline`` names where each report is from (division code, province,
    prefecture, county) and which bytes it was read from (sha256, fetched at)."""
    db.execute("drop view if exists report_headline")
    db.create_view(
        "report_headline",
        f"""
        select r.report_id, r.site_id, s.division_code, s.province, s.prefecture,
               s.name as site_name, r.publisher, r.publisher_level, r.year, r.template,
               {headline_columns()},
               (select count(*) from report_checks c where c.report_id = r.report_id and not c.ok)
                 as checks_failed,
               r.source_url, r.sha256, r.fetched_at
        from reports r left join sites s using (site_id)
        """,
    )


@migrations()
def m010_crawl_runs(db: Database) -> None:
    """One row per crawl: when it ran and how it ended, what it was asked (spider arguments,
    settings), and what it did (sites, requests, documents, reports new and updated, failures
    by kind and by site)."""
    db["crawl_runs"].create(
        {
            "run_id": int,
            "started_at": str,
            "finished_at": str,
            "finish_reason": str,
            "arguments": str,  # JSON: -a site, years, full
            "settings": str,  # JSON: the settings that shape a crawl
            "sites_total": int,
            "sites_done": int,
            "requests": int,
            "pages": int,
            "documents": int,
            "documents_new": int,  # bytes never stored before
            "not_modified": int,  # 304s and fresh documents answered from the store
            "reports_new": int,
            "reports_updated": int,
            "failures": int,
            "failures_by_kind": str,  # JSON: {kind: count}
            "failures_by_site": str,  # JSON: {site_id: count}
        },
        pk="run_id",
    )


_FAILED_CHECKS = (
    "(select count(*) from report_checks c where c.report_id = reports.report_id and not c.ok)"
)


@migrations()
def m011_clear_counts(db: Database) -> None:
    """Counts that say what they count: ``values_count`` (each table figure weighed double, to
    choose the fullest copy) becomes ``copy_weight``; ``reports.figures`` is the number of
    figures; ``checks_failed`` and ``status`` count every failed check, the cross-year
    ``carry_over`` included (as ``report_headline`` did)."""
    db.execute("alter table reports rename column values_count to copy_weight")
    db.execute("alter table report_sources rename column values_count to copy_weight")
    db.execute("alter table reports add column figures integer")
    db.execute(
        "update reports set figures = "
        "(select count(*) from report_values v where v.report_id = reports.report_id)"
    )
    db.execute(
        f"update reports set checks_failed = {_FAILED_CHECKS}, "
        f"status = case when {_FAILED_CHECKS} > 0 then 'checks_failed' else 'ok' end"
    )


@migrations()
def m012_site_visits(db: Database) -> None:
    """One row per site a crawl set out to visit: whether the visit finished (every request of
    the site ended) and how many of its fetches failed — what ``crawler/schedule.py`` reads."""
    db["site_visits"].create(
        {"run_id": int, "site_id": str, "finished_at": str, "done": int, "failures": int},
        pk=("site_id", "run_id"),
        foreign_keys=[("run_id", "crawl_runs", "run_id")],
    )


@migrations()
def m013_page_links(db: Database) -> None:
    """What each page the crawl read leads on to (by its bytes and the URL they were read
    at): a page still fresh is then not asked for again, what it leads to is
    (``crawler/middlewares/fresh.py``)."""
    db["page_links"].create(
        {"sha256": str, "url": str, "links": str, "lists": str, "first_read": str},
        pk=("sha256", "url"),
    )


@migrations()
def m014_carry_over_pending(db: Database) -> None:
    """Reports written since their cross-year check last ran (``Storage.check_carry_over``):
    marked in the transaction that writes the report, so that a crawl killed before its
    closing check leaves them to the next run's check instead of unchecked for ever."""
    db.execute("create table carry_over_pending (report_id text primary key) without rowid")


@migrations()
def m015_rows_digest(db: Database) -> None:
    """Each report's digest of the rows its sections, figures and checks were written as:
    a re-read whose rows have the same digest writes none of them and reads none back (the
    reparse's writer was most of its cost). A later migration that rewrites those rows sets
    the digests to null: a null digest is compared row by row."""
    db.execute("alter table reports add column rows_digest text")


def rows_digest(*tables: Mapping[tuple[Any, ...], Any]) -> str:
    """The digest of a report's rows, table by table, in the order the parser gave them.

    Equal digests mean equal rows: a pickle reads back as the rows it was written from, so
    rows that differ never pickle alike. Equal rows in another order (or sharing strings
    otherwise) may digest apart, which costs only the comparison row by row."""
    data = pickle.dumps([list(rows.values()) for rows in tables], protocol=5)
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def raw_path(raw_dir: Path | str, sha256: str) -> Path:
    """Where the raw store keeps the bytes of ``sha256``."""
    return Path(raw_dir) / sha256[:2] / sha256


def copy_order(weight: int, sha256: str) -> tuple[int, str]:
    """Copies of one report, best first: the fullest, and among equally full ones the same
    one whatever order they were read in (the smaller sha256), so that the stored report is
    a function of the documents, not of the crawl's timing."""
    return (-weight, sha256)


@functools.cache
def upsert_sql(
    table: str, columns: tuple[str, ...], pk: tuple[str, ...], keep: tuple[str, ...] = ()
) -> str:
    """``insert … on conflict do update`` of ``columns``, updating only a row that differs;
    the ``keep`` columns are written by an insert only."""
    names = ", ".join(f'"{c}"' for c in columns)
    key = ", ".join(f'"{c}"' for c in pk)
    rest = [c for c in columns if c not in pk and c not in keep]
    sql = (
        f"insert into {table} ({names}) values ({', '.join('?' * len(columns))}) "
        f"on conflict ({key}) "
    )
    if not rest:
        return sql + "do nothing"
    mine = ", ".join(f'"{c}"' for c in rest)
    theirs = ", ".join(f'excluded."{c}"' for c in rest)
    return sql + f"do update set ({mine}) = ({theirs}) where ({mine}) is not ({theirs})"


# Rows a statement inserts, largest first: any count is written by a few statements of these
# sizes, each prepared once and kept in the connection's statement cache.  A statement binds at
# most 999 values (SQLite's limit before 3.32).
_BATCHES = (128, 32, 8, 2, 1)
_MAX_VARIABLES = 999


@functools.cache
def _insert_sql(head: str, width: int, rows: int) -> str:
    values = "(" + ", ".join("?" * width) + ")"
    return f"{head} values {', '.join([values] * rows)}"


def insert_rows(conn: sqlite3.Connection, head: str, rows: list[tuple[Any, ...]]) -> None:
    """``executemany(head + " values (?, …)", rows)`` in a few multi-row statements.

    The ``sqlite3`` module lets go of the GIL around every step of a statement, and
    ``executemany`` steps once per row: a report's hundred figures were a hundred hand-overs
    of the GIL to the crawl's other threads (the parse pool's, the raw-bytes writer's), each
    waited out on the reactor thread.  Multi-row ``VALUES`` are a few steps for the lot, and
    cost SQLite less too (5.1 against 6.5 µs a figure, measured alone)."""
    if not rows:
        return
    width = len(rows[0])
    start = 0
    for size in _BATCHES:
        if size * width > _MAX_VARIABLES:
            continue
        while len(rows) - start >= size:
            chunk = rows[start : start + size]
            conn.execute(_insert_sql(head, width, size), [x for row in chunk for x in row])
            start += size


def report_id_for(site_id: str, publisher: str | None, year: int | None) -> str:
    """A stable id: the site, the publisher's key (``publisher_key``) and the covered year."""
    key = f"{site_id}|{publisher or '?'}|{year or 0}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class StoredDocument:
    sha256: str
    path: Path
    new: bool


class Storage:
    """The database and the raw store; every write carries where and when it came from."""

    def __init__(self, database: Path | str, raw_dir: Path | str) -> None:
        self.path = Path(database)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.raw_dir = Path(raw_dir)
        self.touched: set[str] = set()  # reports written through this connection
        self.written: dict[str, str] = {}  # each of them: "new", or "updated" (it was stored)
        self._known_columns: dict[str, set[str]] = {}
        self._made_dirs: set[Path] = set()
        self.raw_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(self.path)
        # Another crawl or a reparse may be writing: wait for it (transactions are short).
        self.db.execute(f"pragma busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        self.db.execute("pragma journal_mode=wal")
        # WAL with NORMAL: a commit is durable once the WAL is synced at checkpoints; a power
        # cut may lose the last transactions, never consistency (a crash of the process
        # loses nothing).
        self.db.execute("pragma synchronous=normal")
        self.db.execute("pragma foreign_keys=on")
        with self.write():  # two processes opening a new database migrate it once
            migrations.apply(self.db)

    @contextlib.contextmanager
    def write(self, *, unit: bool = True) -> Iterator[Database]:
        """One write transaction, taken at its start (``BEGIN IMMEDIATE``). A deferred
        ``BEGIN`` that reads first fails at once with "database is locked" when another
        process commits between its read and its write.

        Inside another transaction a ``unit`` is a savepoint (a document written whole within a
        batch); ``unit=False`` is for one statement, atomic by itself, and joins the outer
        transaction as it is (a savepoint costs two statements more)."""
        if self.db.conn.in_transaction:
            if not unit:
                yield self.db
                return
            with self.db.atomic():
                yield self.db
            return
        self.db.execute("begin immediate")
        try:
            yield self.db
        except BaseException:
            self.db.conn.rollback()
            raise
        self.db.execute("commit")

    def _upsert(
        self, table: str, row: Mapping[str, Any], pk: tuple[str, ...], keep: tuple[str, ...] = ()
    ) -> None:
        """Insert ``row``, or update the stored row of its key where a column differs (an
        unchanged row is not written again: no page is dirtied by a re-read that changed
        nothing); ``keep``: columns an existing row keeps."""
        self.db.conn.execute(upsert_sql(table, tuple(row), pk, keep), list(row.values()))

    def _replace_rows(
        self,
        table: str,
        key: tuple[str, ...],
        columns: tuple[str, ...],
        report_id: str,
        rows: Iterable[tuple[Any, ...]],
        *,
        new_report: bool = False,
    ) -> None:
        """Make a report's rows of ``table`` exactly ``rows`` (tuples of ``columns``, whose
        first ``len(key)`` are the key within the report; a repeated key: the last wins),
        writing only the rows that differ from the stored ones (``new_report``: the report's
        row was inserted in this transaction, so it has none to read back)."""
        conn = self.db.conn
        width = len(key)
        names = ", ".join(f'"{c}"' for c in columns)
        order = ", ".join(f'"{c}"' for c in key)
        new = {row[:width]: row for row in rows}
        stored = (
            []
            if new_report
            else conn.execute(
                f"select {names} from {table} where report_id = ? order by {order}", [report_id]
            ).fetchall()
        )
        # The common re-read changes nothing: one comparison in key order (SQLite's binary
        # collation orders text as Python does) instead of a dictionary of the stored rows.
        if stored and sorted(new.values()) == stored:
            return
        old = {row[:width]: row for row in stored}
        # A changed row is deleted and inserted again: a plain INSERT costs SQLite less than
        # half what INSERT OR REPLACE does while foreign keys are enforced (4.5 against 10 µs
        # a figure), and nearly every row written is new.
        gone = [(report_id, *k) for k, row in old.items() if new.get(k) != row]
        if gone:
            match = " and ".join(f'"{c}" = ?' for c in key)
            conn.executemany(f"delete from {table} where report_id = ? and {match}", gone)
        put = [(report_id, *row) for k, row in new.items() if old.get(k) != row]
        if put:
            insert_rows(conn, f"insert into {table} (report_id, {names})", put)

    def close(self) -> None:
        """Everything in the database file itself: another connection still open (a reader)
        keeps SQLite from checkpointing at the last close, and a copy of the file alone would
        lack the last transactions."""
        with contextlib.suppress(sqlite3.OperationalError):  # a reader mid-transaction
            self.db.execute("pragma wal_checkpoint(truncate)")
        self.db.close()

    # --- raw bytes --------------------------------------------------------------------------

    def store_bytes(self, data: bytes) -> StoredDocument:
        """Write the bytes content-addressed, before anything reads them."""
        sha = hashlib.sha256(data).hexdigest()
        path = raw_path(self.raw_dir, sha)
        new = not path.exists()
        if new:
            if path.parent not in self._made_dirs:  # 256 directories: made once each
                path.parent.mkdir(parents=True, exist_ok=True)
                self._made_dirs.add(path.parent)
            # A temporary file of this writer's own: concurrent writers of the same bytes
            # (two crawls, threads) each rename a whole file onto the same content.
            tmp = path.with_name(f"{sha}.{os.getpid()}.{uuid.uuid4().hex}.part")
            try:
                tmp.write_bytes(data)
                tmp.replace(path)
            finally:
                tmp.unlink(missing_ok=True)
        return StoredDocument(sha, path, new)

    def read_bytes(self, sha256: str) -> bytes:
        return raw_path(self.raw_dir, sha256).read_bytes()

    # --- rows -------------------------------------------------------------------------------

    def upsert_sites(self, sites: Iterable[Mapping[str, Any]]) -> None:
        with self.write():
            for site in sites:
                row = dict(site)
                for key in ("hosts", "entry_urls", "alt_urls"):
                    if not isinstance(row.get(key), str):
                        row[key] = json.dumps(list(row.get(key) or []), ensure_ascii=False)
                self.db["sites"].upsert(row, pk="site_id", alter=True)

    def record_entry_point(
        self, site_id: str, role: str, url: str, requested_url: str, found_at: str
    ) -> None:
        """Where a site's home, entry, disclosure area or column was found; ``first_found``
        is kept from the first sighting."""
        with self.write(unit=False):
            self._upsert(
                "site_entry_points",
                {
                    "site_id": site_id,
                    "role": role,
                    "url": url,
                    "requested_url": requested_url,
                    "first_found": found_at,
                    "last_found": found_at,
                },
                ("site_id", "role", "url"),
                keep=("first_found",),
            )

    def record_platform(self, site_id: str, platform: str) -> None:
        """The CMS family a site's pages show (the first non-generic one seen)."""
        with self.write(unit=False):
            self.db.execute(
                "update sites set detected_platform = ? where site_id = ? "
                "and coalesce(detected_platform, 'generic') = 'generic'",
                [platform, site_id],
            )

    def record_fetch(self, row: Mapping[str, Any]) -> int:
        """One HTTP exchange; a failure's ``error`` text is stored with its kind and detail."""
        row = dict(row)
        if row.get("error") and not row.get("error_kind"):
            row.update(error_columns(*split_error(row["error"])))
        with self.write(unit=False):
            if row.keys() <= self._columns("fetches"):
                names = ", ".join(f'"{c}"' for c in row)
                cursor = self.db.conn.execute(
                    f"insert into fetches ({names}) values ({', '.join('?' * len(row))})",
                    list(row.values()),
                )
                return int(cursor.lastrowid or 0)
            self._known_columns.pop("fetches", None)  # a new column: sqlite-utils adds it
            return int(self.db["fetches"].insert(row, alter=True).last_pk)

    def record_links(
        self,
        sha256: str,
        url: str,
        links: Iterable[Link],
        lists: Iterable[ListPage],
        read_at: str,
    ) -> None:
        """What a page's bytes, read at ``url``, lead on to: its links (URL, label) and the
        list pages or APIs its CMS family reveals (URL, kind, form)."""
        row = {
            "sha256": sha256,
            "url": url,
            "links": json.dumps([list(link) for link in links], ensure_ascii=False),
            "lists": json.dumps([list(found) for found in lists], ensure_ascii=False),
            "first_read": read_at,
        }
        with self.write(unit=False):
            self._upsert("page_links", row, ("sha256", "url"), keep=("first_read",))

    def _columns(self, table: str) -> set[str]:
        if table not in self._known_columns:
            self._known_columns[table] = {c.name for c in self.db[table].columns}
        return self._known_columns[table]

    def record_document(self, sha256: str, content_type: str, size: int, fmt: str) -> None:
        """A stored document's row (written once: the first sight of the bytes)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.write(unit=False):
            self.db.conn.execute(
                "insert or ignore into documents "
                "(sha256, content_type, size, path, format, first_seen) values (?, ?, ?, ?, ?, ?)",
                [sha256, content_type, size, f"{sha256[:2]}/{sha256}", fmt, now],
            )

    def record_read(
        self,
        sha256: str,
        parser_version: str,
        error_kind: str | None = None,
        error_detail: str | None = None,
    ) -> None:
        """What the parsers made of a document: which version read it, and why it failed."""
        row = {"parser_version": parser_version, **error_columns(error_kind, error_detail)}
        names = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" * len(row))
        with self.write(unit=False):
            self.db.conn.execute(
                f"update documents set ({names}) = ({marks}) "
                f"where sha256 = ? and ({names}) is not ({marks})",
                [*row.values(), sha256, *row.values()],
            )

    def drop_source(self, url: str, sha256: str, keep: str | None) -> None:
        """A document no longer carries the report(s) it carried, except ``keep``."""
        with self.write(unit=False):
            self.db.conn.execute(
                "delete from report_sources where url = ? and sha256 = ? and report_id is not ?",
                [url, sha256, keep],
            )

    def drop_reports_without_sources(self, site_id: str | None = None) -> list[str]:
        """Reports none of whose documents carries them any more; each in its own transaction."""
        where = "and site_id = ?" if site_id else ""
        ids = [
            row[0]
            for row in self.db.execute(
                "select report_id from reports r where not exists "
                f"(select 1 from report_sources s where s.report_id = r.report_id) {where}",
                [site_id] if site_id else [],
            ).fetchall()
        ]
        for report_id in ids:
            with self.write():
                for table in ("report_sections", "report_values", "report_checks"):
                    self.db.execute(f"delete from {table} where report_id = ?", [report_id])
                self.db.execute("delete from reports where report_id = ?", [report_id])
        return ids

    def store_report(
        self,
        report: AnnualReport,
        *,
        site_id: str,
        url: str,
        sha256: str,
        kind: str,
        fetched_at: str,
        fresh: set[str] | None = None,
    ) -> str:
        """Store one parsed copy of a report; its figures come from the fullest copy.

        ``fresh`` (a re-parse): the ids of reports already rewritten in this run.  A report
        met for the first time is replaced whatever its stored copy held (that copy was
        counted by an older parser); the replacement is one transaction, so the old report
        stays whole until the new one is written.
        """
        key = publisher_key(report.publisher)
        count = copy_weight(report)
        source = {
            "report_id": "",
            "url": url,
            "sha256": sha256,
            "kind": kind,
            "fetched_at": fetched_at,
            "copy_weight": count,
            "primary_source": 0,
        }
        with self.write():
            rows = list(
                self.db.query(
                    "select report_id, copy_weight, sha256 from reports "
                    "where site_id = ? and publisher_key = ? and year is ? "
                    "order by copy_weight desc limit 1",
                    [site_id, key, report.year],
                )
            )
            report_id = rows[0]["report_id"] if rows else report_id_for(site_id, key, report.year)
            source["report_id"] = report_id
            replace = fresh is not None and report_id not in fresh
            if fresh is not None:
                fresh.add(report_id)
            stored = rows[0] if rows else None
            if (
                stored is not None
                and not replace
                and copy_order(stored["copy_weight"], stored["sha256"] or "")
                <= copy_order(count, sha256)
            ):
                self._upsert("report_sources", source, SOURCE_KEY, keep=("primary_source",))
                return report_id
            self._write_report(report, report_id, site_id, url, sha256, fetched_at, count)
            self._upsert("report_sources", source, SOURCE_KEY, keep=("primary_source",))
            self.db.conn.execute(
                "update report_sources set primary_source = (url = ? and sha256 = ?) "
                "where report_id = ? and primary_source is not (url = ? and sha256 = ?)",
                [url, sha256, report_id, url, sha256],
            )
        return report_id

    def _write_report(
        self,
        report: AnnualReport,
        report_id: str,
        site_id: str,
        url: str,
        sha256: str,
        fetched_at: str,
        count: int,
    ) -> None:
        failed = sum(1 for c in report.checks if not c.ok)
        # Each table's rows by their key within the report (a repeated key: the last wins).
        sections = {(s.number,): (s.number, s.heading, s.text) for s in report.sections}
        values = {
            (v.table, v.row, v.column, v.source): (v.table, v.row, v.column, v.source, v.value)
            for v in report.values
        }
        labels = {(v.table, v.row, v.column, v.source): v.label for v in report.values}
        checks = {
            (c.check, c.subject): (c.check, c.subject, int(c.ok), c.detail) for c in report.checks
        }
        digest = rows_digest(sections, values, labels, checks)
        stored = self.db.conn.execute(
            "select rows_digest from reports where report_id = ?", [report_id]
        ).fetchone()
        if report_id not in self.touched:
            self.written[report_id] = "updated" if stored else "new"
        self.touched.add(report_id)
        key = publisher_key(report.publisher)
        self._mark_for_carry_over(report_id, site_id, key, report.year)
        row = {
            "report_id": report_id,
            "site_id": site_id,
            "publisher": report.publisher,
            "publisher_key": key,
            "publisher_level": report.publisher_level,
            "year": report.year,
            "title": report.title,
            "publish_date": report.publish_date,
            "template": report.template,
            "source_url": url,
            "sha256": sha256,
            "fetched_at": fetched_at,
            "parser_version": report.parser_version,
            "status": "checks_failed" if failed else "ok",
            "checks_failed": failed,
            "copy_weight": count,
            "figures": len(report.values),
            "rows_digest": digest,
        }
        same = stored is not None and stored[0] == digest
        if same:  # its failed checks as counted with the carry_over check (the parser's agree)
            del row["status"], row["checks_failed"]
        self._upsert("reports", row, ("report_id",))
        if same:
            return  # the rows as they are stored: nothing to read back, nothing to write
        # Only the rows that differ are written: a re-read that changed nothing dirties no
        # page (sqlite-utils' insert_all had rebuilt its statements for every report).
        self._replace_rows(
            "report_sections",
            ("number",),
            ("number", "heading", "text"),
            report_id,
            sections.values(),
            new_report=stored is None,
        )
        label_ids = self._label_ids(set(labels.values()))
        self._replace_rows(
            "report_values",
            ("table_name", "row_key", "column_key", "source"),
            ("table_name", "row_key", "column_key", "source", "value", "label_id"),
            report_id,
            ((*row, label_ids[labels[key]]) for key, row in values.items()),
            new_report=stored is None,
        )
        self._replace_rows(
            "report_checks",
            ("check", "subject"),
            ("check", "subject", "ok", "detail"),
            report_id,
            checks.values(),
            new_report=stored is None,
        )

    def _mark_for_carry_over(
        self, report_id: str, site_id: str, key: str, year: int | None
    ) -> None:
        """Mark a report written next to a stored year of its publisher: the pair is checked
        at the run's end, or by the next run's check if this one is killed first (a report
        alone needs no mark: a neighbour written later marks itself)."""
        if (
            year is not None
            and self.db.conn.execute(
                "select 1 from reports where site_id = ? and publisher_key = ? and year in (?, ?)",
                [site_id, key, year - 1, year + 1],
            ).fetchone()
        ):
            self.db.conn.execute(
                "insert or ignore into carry_over_pending (report_id) values (?)", [report_id]
            )

    def _label_ids(self, labels: set[str]) -> dict[str, int]:
        """The ids of printed labels in ``labels``, adding the ones never seen (inside the
        caller's transaction: nothing is cached that a rollback could take away)."""
        if not labels:
            return {}
        ordered = sorted(labels)
        conn = self.db.conn
        insert_rows(conn, "insert or ignore into labels (label)", [(x,) for x in ordered])
        ids: dict[str, int] = {}
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            ids.update(
                conn.execute(
                    f"select label, label_id from labels where label in ({marks})", chunk
                ).fetchall()
            )
        return ids

    def record_run(self, row: Mapping[str, Any], visits: Iterable[Mapping[str, Any]] = ()) -> int:
        """A crawl's ``crawl_runs`` row and its ``site_visits``, together; its run_id."""
        names = ", ".join(f'"{c}"' for c in row)
        with self.write():
            cursor = self.db.conn.execute(
                f"insert into crawl_runs ({names}) values ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            run_id = int(cursor.lastrowid or 0)
            self.db.conn.executemany(
                "insert into site_visits (run_id, site_id, finished_at, done, failures) "
                "values (?, ?, ?, ?, ?)",
                [
                    (run_id, v["site_id"], row["finished_at"], int(v["done"]), v["failures"])
                    for v in visits
                ],
            )
        return run_id

    def check_carry_over(self, only: Iterable[str] | None = None) -> int:
        """这年的上年结转 = 去年的结转下年度, per publisher; returns how many pairs were checked.

        ``only``: the reports written in this run (``touched``), with those an earlier run
        wrote but did not live to check (``carry_over_pending``): each is checked against its
        publisher's year before and year after, through the index on (site, publisher, year)
        — the cost follows the reports touched, not the database. None: every report.
        """
        with self.write():  # the look-up, the checks and the marks cleared in one transaction
            self.db.execute("create temp table if not exists touched (report_id text primary key)")
            self.db.execute("delete from touched")
            if only is None:
                self.db.execute("insert into touched select report_id from reports")
            else:
                self.db.conn.executemany(
                    "insert or ignore into touched values (?)", ((i,) for i in sorted(set(only)))
                )
                self.db.execute(
                    "insert or ignore into touched select report_id from carry_over_pending"
                )
            self.db.execute(
                "delete from carry_over_pending where report_id in (select report_id from touched)"
            )
            # Each touched report with its year before, and with its year after; every look-up
            # goes through the index on (site_id, publisher_key, year).
            same = "b.site_id = a.site_id and b.publisher_key = a.publisher_key"
            pair_sql = f"""
                select a.report_id as cur_id, b.report_id as prev_id
                from touched t join reports a on a.report_id = t.report_id
                join reports b on {same} and b.year = a.year - 1
                union
                select b.report_id as cur_id, a.report_id as prev_id
                from touched t join reports a on a.report_id = t.report_id
                join reports b on {same} and b.year = a.year + 1
            """
            pairs = list(
                self.db.query(
                    f"""
                    with pair as ({pair_sql})
                    select cur.report_id, cv.value as carried_over, pv.value as forward,
                           cur.year, cur.publisher
                    from pair
                    join reports cur on cur.report_id = pair.cur_id
                    join report_values cv
                      on cv.report_id = pair.cur_id and cv.table_name = 'applications'
                     and cv.row_key = 'carried_over' and cv.column_key = 'total'
                     and cv.source = 'table'
                    join report_values pv
                      on pv.report_id = pair.prev_id and pv.table_name = 'applications'
                     and pv.row_key = 'carried_forward' and pv.column_key = 'total'
                     and pv.source = 'table'
                    """
                )
            )
            for pair in pairs:
                ok = pair["carried_over"] == pair["forward"]
                sign = "=" if ok else "≠"
                detail = (
                    f"{pair['year']} 上年结转 {pair['carried_over']:g} {sign} "
                    f"{pair['year'] - 1} 结转下年度 {pair['forward']:g}"
                )
                self._upsert(
                    "report_checks",
                    {
                        "report_id": pair["report_id"],
                        "check": "carry_over",
                        "subject": "column total",
                        "ok": int(ok),
                        "detail": detail,
                    },
                    ("report_id", "check", "subject"),
                )
            # Each report's count of failed checks and status, the carry_over check included
            # (written only where they changed).
            self.db.conn.executemany(
                f"update reports set checks_failed = {_FAILED_CHECKS}, "
                f"status = case when {_FAILED_CHECKS} > 0 then 'checks_failed' else 'ok' end "
                f"where report_id = ? and checks_failed is not {_FAILED_CHECKS}",
                ((i,) for i in sorted({p["report_id"] for p in pairs})),
            )
        return len(pairs)
