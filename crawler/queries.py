"""Every read of the crawl database, in one place: commands, reparse and the crawl's own
look-ups (validators for conditional GETs, entry points found before) call these.

Writes live in ``storage.py``; these functions only read, and take a ``sqlite_utils``
``Database`` (or the read-only one ``open_readonly`` gives).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .schedule import History

from parsers.errors import RETRYABLE_KINDS

from .items import Link, ListPage

# Fetches of pages the crawl reads its way through (kept whole, asked for conditionally).
NAVIGATION_KINDS = frozenset({"home", "entry", "disclosure", "column", "page", "list"})

__all__ = [
    "PageLinks",
    "ReportLine",
    "StoredDocument",
    "area_failures",
    "confirmed_since",
    "coverage_failed",
    "coverage_found",
    "document_states",
    "documents_to_reparse",
    "entry_points",
    "failed_checks",
    "failed_navigation_pages",
    "fetch_failures",
    "figure_changes",
    "headline_by_site",
    "last_answer",
    "last_confirmed",
    "last_runs",
    "open_readonly",
    "page_links",
    "parser_versions",
    "report_ids",
    "report_lines",
    "report_records",
    "reports_by_site_year",
    "reports_by_year_template",
    "run_failures",
    "site_histories",
    "sites_entered",
    "snapshot_figures",
    "table_rows",
    "totals",
    "validators",
]

# The headline figures of the report_headline view, each (table, row, column); ``withheld`` is
# the sum of every withheld row (crawler/storage.py headline_columns).
HEADLINE = {
    "new_requests": ("applications", "new_received", "total"),
    "carried_over": ("applications", "carried_over", "total"),
    "disclosed": ("applications", "disclosed", "total"),
    "withheld": ("applications", "withheld_state_secret", "total"),
    "reviews": ("review_litigation", "review", "total"),
    "lawsuits_direct": ("review_litigation", "litigation_direct", "total"),
    "lawsuits_after_review": ("review_litigation", "litigation_after_review", "total"),
}

NOT_A_REPORT = "not_a_report"  # a page that only links to its report: not a failure


def open_readonly(path: Path | str) -> Database | None:
    """The database for reading only (``mode=ro``), or None when there is none yet."""
    path = Path(path)
    if not path.exists():
        return None
    from sqlite_utils import Database

    return Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))


def _site(column: str, site_id: str | None) -> tuple[str, list[str]]:
    return (f" and {column} = ?", [site_id]) if site_id else ("", [])


# --- the crawl's look-ups -----------------------------------------------------------------


_VALIDATOR_COLUMNS = ("etag", "last_modified", "sha256", "content_type", "final_url", "fetched_at")


def _validators(row: tuple[str | None, ...] | None) -> dict[str, str | None] | None:
    """A fetch's validators, bytes, type, final URL and time, as the middleware reads them."""
    if row is None:
        return None
    return dict(zip(_VALIDATOR_COLUMNS, row, strict=True))


def validators(db: Database, url: str) -> dict[str, str | None] | None:
    """The last successful fetch of ``url`` whose document was read for good: its ETag,
    Last-Modified, sha256 and content type.

    A document that failed for a reason a new download may change (a challenge page, a
    truncated or mistyped body: ``parsers.errors.RETRYABLE_KINDS``), or that was never read,
    gives none: it is downloaded again.
    """
    retryable = sorted(RETRYABLE_KINDS)
    row = db.execute(
        "select f.etag, f.last_modified, f.sha256, f.content_type, f.final_url, f.fetched_at "
        "from fetches f "
        "join documents d on d.sha256 = f.sha256 "
        "where f.url = ? and f.status = 200 and d.parser_version is not null "
        f"and (d.error_kind is null or d.error_kind not in ({', '.join('?' * len(retryable))})) "
        "order by f.id desc limit 1",
        [url, *retryable],
    ).fetchone()
    return _validators(row)


def last_confirmed(db: Database, url: str) -> str | None:
    """When the server last gave or confirmed ``url``'s bytes (a 200 or a 304), UTC ISO."""
    row = db.execute(
        "select max(fetched_at) from fetches "
        "where url = ? and status in (200, 304) and error_kind is null",
        [url],
    ).fetchone()
    return row[0] if row else None


def confirmed_since(db: Database, since: str) -> set[str]:
    """Every URL whose bytes the server gave or confirmed (a 200 or a 304) at or after the
    UTC ISO time ``since``."""
    rows = db.execute(
        "select distinct url from fetches where status in (200, 304) and error_kind is null "
        "and julianday(fetched_at) >= julianday(?)",
        [since],
    ).fetchall()
    return {row[0] for row in rows}


def last_answer(db: Database, url: str, kinds: frozenset[str]) -> dict[str, str | None] | None:
    """The last answer of ``url`` fetched as one of ``kinds`` that was an HTTP answer (not a
    timeout or a refused connection): its status, stored bytes, type and time."""
    row = db.execute(
        "select status, sha256, content_type, fetched_at from fetches "
        f"where url = ? and status > 0 and kind in ({', '.join('?' * len(kinds))}) "
        "order by id desc limit 1",
        [url, *sorted(kinds)],
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("status", "sha256", "content_type", "fetched_at"), row, strict=True))


def navigation_validators(db: Database, url: str) -> dict[str, str | None] | None:
    """The last good answer of a navigation page or list (stored bytes, no error): its ETag,
    Last-Modified, sha256 and content type; none for a page never stored whole."""
    row = db.execute(
        "select etag, last_modified, sha256, content_type, final_url, fetched_at from fetches "
        "where url = ? and status = 200 and sha256 is not null and error_kind is null "
        f"and kind in ({', '.join('?' * len(NAVIGATION_KINDS))}) "
        "order by id desc limit 1",
        [url, *sorted(NAVIGATION_KINDS)],
    ).fetchone()
    return _validators(row)


@dataclass(frozen=True)
class PageLinks:
    """What a page's bytes led on to when the crawl read them (``Storage.record_links``)."""

    links: list[Link]
    lists: list[ListPage]


def page_links(db: Database, sha256: str, url: str) -> PageLinks | None:
    """What a page's bytes, read at ``url``, led on to; None when the crawl never read them
    there."""
    try:
        row = db.execute(
            "select links, lists from page_links where sha256 = ? and url = ?", [sha256, url]
        ).fetchone()
    except sqlite3.OperationalError:  # a database no crawl of this version has opened
        return None
    if row is None:
        return None
    return PageLinks(
        links=[(link, label) for link, label in json.loads(row[0])],
        lists=[(found, kind, form) for found, kind, form in json.loads(row[1] or "[]")],
    )


@dataclass(frozen=True)
class RecordedExchange:
    """A document's exchange as it was recorded: the report its bytes carry at its URL, and
    why they yield none."""

    report_id: str | None
    error_kind: str | None
    error_detail: str | None


def recorded_exchange(db: Database, fetch: Mapping[str, Any]) -> RecordedExchange | None:
    """The exchange ``fetch`` (a ``fetches`` row with its sha256) as recorded; None when it
    was not (a worker stopped before its transaction committed)."""
    if not db.execute(
        "select 1 from fetches where url = ? and fetched_at = ? and kind = ? and sha256 = ?",
        [fetch["url"], fetch["fetched_at"], fetch["kind"], fetch["sha256"]],
    ).fetchone():
        return None
    source = db.execute(
        "select report_id from report_sources where url = ? and sha256 = ?",
        [fetch["final_url"], fetch["sha256"]],
    ).fetchone()
    error = db.execute(
        "select error_kind, error_detail from documents where sha256 = ?", [fetch["sha256"]]
    ).fetchone()
    return RecordedExchange(source[0] if source else None, *(error or (None, None)))


def entry_points(db: Database, site_id: str, role: str) -> list[str]:
    """URLs through which a site's crawl got in before, most recently found first."""
    if "site_entry_points" not in db.table_names():
        return []
    rows = db.execute(
        "select url from site_entry_points where site_id = ? and role = ? "
        "order by last_found desc, url",
        [site_id, role],
    ).fetchall()
    return [row[0] for row in rows]


# --- reparse ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredDocument:
    site_id: str
    url: str
    sha256: str
    content_type: str
    fetched_at: str
    report_id: str | None  # the report it carries now (None: none)


def documents_to_reparse(
    db: Database, *, site_id: str | None = None, stale_against: str | None = None
) -> list[StoredDocument]:
    """Stored documents (one per sha256 × URL, its latest fetch), every one or only those an
    older parser than ``stale_against`` read — and all documents of a report it wrote; the
    copies of one report next to each other."""
    where, params = _site("f.site_id", site_id)
    stale = ""
    if stale_against is not None:
        stale = (
            " and (d.parser_version is not ? or f.sha256 in (select s.sha256 from "
            "report_sources s join reports r using (report_id) where r.parser_version is not ?))"
        )
        params += [stale_against, stale_against]
    rows = db.execute(
        "select f.site_id, f.final_url, f.sha256, coalesce(f.content_type, ''), "
        "max(f.fetched_at), (select min(s.report_id) from report_sources s "
        "where s.sha256 = f.sha256 and s.url = f.final_url) "
        "from fetches f join documents d on d.sha256 = f.sha256 "
        f"where f.sha256 is not null{where}{stale} "
        "group by f.sha256, f.final_url order by f.site_id, 6, f.final_url",
        params,
    ).fetchall()
    return [StoredDocument(*row) for row in rows]


def report_ids(db: Database, site_id: str | None = None) -> set[str]:
    where, params = _site("site_id", site_id)
    return {r[0] for r in db.execute(f"select report_id from reports where 1{where}", params)}


_FIGURES = (
    "select v.report_id, v.table_name, v.row_key, v.column_key, v.source, v.value "
    "from report_values v join reports r using (report_id) where 1"
)


_FIGURE_KEY = ("report_id", "table_name", "row_key", "column_key", "source")


def snapshot_figures(db: Database, site_id: str | None = None) -> None:
    """Keep the stored figures aside (a temporary table, on disk and not in memory: the
    database may hold millions) to be compared by ``figure_changes`` after a rewrite; keyed
    as ``report_values`` is, so that each figure is compared by one lookup."""
    where, params = _site("r.site_id", site_id)
    key = ", ".join(_FIGURE_KEY)
    db.execute("drop table if exists temp.figures_before")
    db.execute(
        f"create temp table figures_before ({key}, value, primary key ({key})) without rowid"
    )
    db.execute(f"insert into temp.figures_before {_FIGURES}{where}", params)


def figure_changes(db: Database, site_id: str | None = None) -> tuple[int, int]:
    """Since ``snapshot_figures``: figures changed or new, and figures gone (by their keys:
    report, table, row, column, source)."""
    where, params = _site("r.site_id", site_id)
    same_key = " and ".join(f"b.{c} = v.{c}" for c in _FIGURE_KEY)
    changed = db.execute(
        f"select count(*) from ({_FIGURES}{where}) v where not exists "
        f"(select 1 from temp.figures_before b where {same_key} and b.value is v.value)",
        params,
    ).fetchone()[0]
    gone = db.execute(
        "select count(*) from temp.figures_before b where not exists "
        f"(select 1 from report_values v where {same_key})"
    ).fetchone()[0]
    db.execute("drop table temp.figures_before")
    return changed, gone


def parser_versions(db: Database, site_id: str | None = None) -> tuple[str, ...]:
    where, params = _site("site_id", site_id)
    rows = db.execute(f"select distinct parser_version from reports where 1{where}", params)
    return tuple(sorted(r[0] for r in rows if r[0]))


# --- summary -----------------------------------------------------------------------------------


def totals(db: Database) -> dict[str, int]:
    return {
        table: db.execute(f"select count(*) from {table}").fetchone()[0]
        for table in ("sites", "fetches", "documents", "reports")
    }


def fetch_failures(db: Database) -> list[tuple[int | str, str, int]]:
    """Failed fetches by HTTP status and error kind, most frequent first."""
    return db.execute(
        "select coalesce(status, ''), error_kind, count(*) from fetches "
        "where error_kind is not null group by 1, 2 order by 3 desc, 2"
    ).fetchall()


def document_states(db: Database) -> list[tuple[str, int]]:
    """Stored documents: read as a report, a page that links to one, or an error kind."""
    return db.execute(
        "select case when error_kind is null then 'read' "
        f"when error_kind = '{NOT_A_REPORT}' then 'pages linking to a report' "
        "else error_kind end, count(*) from documents group by 1 order by 2 desc, 1"
    ).fetchall()


def reports_by_year_template(db: Database) -> list[tuple[int | None, str, int]]:
    return db.execute(
        "select year, template, count(*) from reports group by year, template "
        "order by year, template"
    ).fetchall()


@dataclass(frozen=True)
class ReportLine:
    """What the crawl's log says of one report it wrote."""

    site_id: str
    publisher: str
    year: int | None
    template: str
    figures: int
    failed: tuple[str, ...]  # the names of the checks that failed, carry_over included
    source_url: str


def report_lines(db: Database, report_ids: Iterable[str]) -> list[ReportLine]:
    """The reports ``report_ids`` as the crawl's log states them, by site, publisher, year."""
    ids = sorted(set(report_ids))
    lines: list[ReportLine] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = db.execute(
            "select r.site_id, r.publisher, r.year, r.template, r.source_url, "
            "(select count(*) from report_values v where v.report_id = r.report_id), "
            '(select group_concat(c."check", char(31)) from report_checks c '
            "where c.report_id = r.report_id and not c.ok) "
            f"from reports r where r.report_id in ({', '.join('?' * len(chunk))})",
            chunk,
        ).fetchall()
        for site_id, publisher, year, template, url, figures, failed in rows:
            names = tuple(failed.split("\x1f")) if failed else ()
            lines.append(ReportLine(site_id, publisher, year, template, figures, names, url))
    return sorted(lines, key=lambda r: (r.site_id, r.publisher or "", r.year or 0))


def report_records(
    db: Database, report_ids: Iterable[str] | None = None, *, figures: bool = True
) -> Iterator[dict[str, Any]]:
    """One record per report (all, or ``report_ids``), by site, publisher and year: where it
    is from, what it was read from (every copy's URL), its headline figures, the checks that
    failed with their printed detail and — with ``figures`` — every figure. Plain JSON
    values only: what ``-O`` feeds and ``scrapy export --format jsonl`` write."""
    select = (
        "select h.*, r.title, r.publish_date, r.parser_version from report_headline h "
        "join reports r using (report_id)"
    )
    rows: list[dict[str, Any]] = []
    if report_ids is None:
        cursor = db.execute(f"{select} order by h.site_id, h.publisher, h.year")
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    else:  # read only, in chunks (no temporary table: nothing that opens a transaction)
        ids = sorted(set(report_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor = db.execute(
                f"{select} where h.report_id in ({', '.join('?' * len(chunk))})", chunk
            )
            names = [column[0] for column in cursor.description]
            rows += [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        rows.sort(key=lambda r: (r["site_id"], r["publisher"] or "", r["year"] or 0))
    for row in rows:
        record = dict(row)  # built apart: the list would keep every record's figures alive
        rid = record["report_id"]
        record["headline"] = {name: record.pop(name) for name in HEADLINE}
        record["documents"] = [
            {"url": url, "sha256": sha, "kind": kind, "fetched_at": at}
            for url, sha, kind, at in db.execute(
                "select url, sha256, kind, fetched_at from report_sources where report_id = ? "
                "order by primary_source desc, url",
                [rid],
            )
        ]
        record["failed_checks"] = [
            {"check": check, "subject": subject, "detail": detail}
            for check, subject, detail in db.execute(
                'select "check", subject, detail from report_checks '
                "where report_id = ? and not ok order by 1, 2",
                [rid],
            )
        ]
        if figures:
            record["figures"] = [
                {"table": t, "row": r, "column": c, "value": v, "source": src, "label": label}
                for t, r, c, v, src, label in db.execute(
                    "select table_name, row_key, column_key, value, source, label "
                    "from report_figures where report_id = ? order by 1, 2, 3, 5",
                    [rid],
                )
            ]
        yield record


def run_failures(db: Database, since: str) -> tuple[Counter[str], Counter[str]]:
    """Fetches since ``since`` (UTC ISO) that failed, and documents fetched since then that
    could not be read as reports (pages that link to a report are not failures): counted by
    kind and by site."""
    rows = db.execute(
        "select f.site_id, coalesce(f.error_kind, d.error_kind) from fetches f "
        "left join documents d on d.sha256 = f.sha256 "
        "where f.fetched_at >= ? and f.kind != 'redirect' "
        "and (f.error_kind is not null or (d.error_kind is not null and d.error_kind != ?))",
        [since, NOT_A_REPORT],
    ).fetchall()
    return Counter(kind for _, kind in rows), Counter(site for site, _ in rows)


def site_histories(db: Database, site_ids: Iterable[str]) -> dict[str, History]:
    """What ``crawler/schedule.py`` needs of each site: its finished visits, newest first (the
    last few: enough to count failed visits in a row), and its government's report years."""
    from .schedule import History, Visit

    wanted = list(site_ids)
    visits: dict[str, list[Visit]] = {site: [] for site in wanted}
    years: dict[str, set[int]] = {site: set() for site in wanted}
    if "site_visits" not in db.table_names():  # a database of before m012: no visit known
        return {site: History(site) for site in wanted}
    rows = db.execute(
        "select site_id, finished_at, failures from ("
        "  select site_id, finished_at, failures, row_number() over ("
        "    partition by site_id order by run_id desc) as n "
        "  from site_visits where done) where n <= 12"
    )
    for site, finished, failures in rows:
        if site in visits:
            visits[site].append(Visit(_utc(finished), failures))
    rows = db.execute(
        "select distinct site_id, year from reports "
        "where publisher_level = 'county_government' and year is not null"
    )
    for site, year in rows:
        if site in years:
            years[site].add(year)
    return {site: History(site, tuple(visits[site]), frozenset(years[site])) for site in wanted}


def _utc(stamp: str) -> datetime:
    """A stored UTC time (ISO 8601, with or without its offset)."""
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def last_runs(db: Database, limit: int = 5) -> list[dict[str, Any]]:
    """The latest crawls (``crawl_runs``), newest first."""
    cursor = db.execute("select * from crawl_runs order by run_id desc limit ?", [limit])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def failed_checks(db: Database) -> list[tuple[str, int, str, str, str]]:
    return db.execute(
        'select r.publisher, r.year, c."check", c.subject, c.detail from report_checks c '
        "join reports r using (report_id) where not c.ok order by r.publisher, r.year, 3, 4"
    ).fetchall()


# --- coverage ----------------------------------------------------------------------------------


def coverage_found(db: Database) -> list[tuple[str, str, int | None, str, str]]:
    """(site, publisher key, year, first fetched, the names it was printed under)."""
    return db.execute(
        "select r.site_id, r.publisher_key, r.year, min(f.fetched_at), "
        "group_concat(distinct r.publisher) from reports r "
        "join report_sources s using (report_id) join fetches f on f.sha256 = s.sha256 "
        "group by r.site_id, r.publisher_key, r.year"
    ).fetchall()


def coverage_failed(db: Database) -> list[tuple[str, str, str, str, str]]:
    """Report pages and attachments whose latest fetch failed or whose bytes could not be
    read: (site, url, reason, first fetched, the text of the link to it)."""
    return db.execute(
        """
        select f.site_id, f.url, coalesce(f.error, d.error), first.fetched_at,
               coalesce(f.link_text, '')
        from fetches f
        left join documents d on d.sha256 = f.sha256
        join (select url, min(fetched_at) as fetched_at from fetches group by url) first
          using (url)
        where f.kind in ('report_page', 'attachment')
          and f.id = (select max(id) from fetches latest where latest.url = f.url)
          and (f.error_kind is not null
               or (d.error_kind is not null and d.error_kind != ?))
        order by f.site_id, f.url
        """,
        [NOT_A_REPORT],
    ).fetchall()


def headline_by_site(db: Database) -> list[dict[str, Any]]:
    """``report_headline`` rows with the publisher's level and key, by site, publisher, year."""
    cursor = db.execute(
        "select h.*, r.publisher_key from report_headline h join reports r using (report_id) "
        "order by h.site_id, r.publisher_key, h.year"
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def failed_navigation_pages(db: Database) -> int:
    return db.execute(
        "select count(distinct url) from fetches where kind = 'page' and error_kind is not null"
    ).fetchone()[0]


def sites_entered(db: Database) -> set[str]:
    return {r[0] for r in db.execute("select distinct site_id from site_entry_points")}


def reports_by_site_year(db: Database) -> dict[str, Counter[int]]:
    reports: dict[str, Counter[int]] = {}
    for site_id, year, count in db.execute(
        "select site_id, year, count(*) from reports group by site_id, year"
    ):
        reports.setdefault(site_id, Counter())[year or 0] += count
    return reports


def area_failures(db: Database) -> dict[str, Counter[str]]:
    """Per site: failed URLs by reason (``HTTP <status>`` or the error kind)."""
    failures: dict[str, Counter[str]] = {}
    for site_id, reason, count in db.execute(
        "select f.site_id, case when f.error_kind is not null and f.status > 0 "
        "then 'HTTP ' || f.status else coalesce(f.error_kind, d.error_kind) end, "
        "count(distinct f.url) from fetches f left join documents d on d.sha256 = f.sha256 "
        "where f.error_kind is not null or (d.error_kind is not null and d.error_kind != ?) "
        "group by 1, 2",
        [NOT_A_REPORT],
    ):
        failures.setdefault(site_id, Counter())[reason] += count
    return failures


# --- export ------------------------------------------------------------------------------------


def table_rows(db: Database, view: str) -> tuple[list[str], sqlite3.Cursor]:
    """A view's column names and its rows, by site, publisher and year."""
    if view not in ("report_headline", "report_figures"):
        raise ValueError(f"not an export view: {view}")
    cursor = db.execute(f"select * from {view} order by site_id, publisher, year")
    return [column[0] for column in cursor.description], cursor
