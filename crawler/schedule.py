"""When each site is due for a crawl: the reporting season and what earlier crawls found.

Reports on year Y-1 are due by 31 January of Y (departments) and 31 March (governments); many
appear weeks late. The **season** therefore runs from 1 January to 30 April. A site's next
crawl (``scrapy crawl reports -a due=1`` crawls only the sites due now; ``scrapy schedule``
lists them all), by the first rule that applies:

1. **never crawled to the end** (no visit of it finished: new in the registry, or every crawl
   of it was interrupted) — due now;
2. **failed** (its last finished visit had failures: a download, a status, a challenge page, a
   document that could not be read) — retried one day after that visit, two days after two
   failed visits in a row, then four, eight …, never later than rule 3 or 4 would say;
3. **in season, its government's report on last year not stored yet** — weekly: seven days
   after its last visit, and at once when the season began after that visit;
4. otherwise (its report on last year is stored, or out of season) — monthly: thirty days
   after its last visit. Departments' and townships' reports, corrections and late
   publications are found on these visits.

Only visits that finished count (every request of the site ended; ``site_visits.done``): a
crawl stopped half-way leaves the site due.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = [
    "FAILED_RETRY",
    "IN_SEASON",
    "OUT_OF_SEASON",
    "Due",
    "History",
    "Visit",
    "dues",
    "in_season",
    "next_due",
    "season_start",
]

IN_SEASON = timedelta(days=7)
OUT_OF_SEASON = timedelta(days=30)
FAILED_RETRY = timedelta(days=1)  # after one failed visit; doubled for each more in a row
SEASON_END = (4, 30)  # month, day: the season's last day (reports due 31 March, a month late)


@dataclass(frozen=True)
class Visit:
    """A finished visit of a site: when it ended and how many of its fetches failed."""

    finished_at: datetime
    failures: int


@dataclass(frozen=True)
class History:
    """What the database knows of a site: its finished visits (newest first) and the years
    of its own government's reports."""

    site_id: str
    visits: tuple[Visit, ...] = ()
    government_years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Due:
    site_id: str
    at: datetime | None  # None: now (never crawled to the end)
    reason: str

    def is_due(self, now: datetime) -> bool:
        return self.at is None or self.at <= now


def season_start(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=UTC)


def in_season(now: datetime) -> bool:
    month, day = SEASON_END
    return (now.month, now.day) <= (month, day)


def next_due(history: History, now: datetime) -> Due:
    """When ``history``'s site is next due, and why (the rules of this module, in order)."""
    if not history.visits:
        return Due(history.site_id, None, "never crawled to the end")
    last = history.visits[0].finished_at
    last_year = now.year - 1
    if in_season(now) and last_year not in history.government_years:
        opened = season_start(now.year)
        # At once when the season opened since: the opening brings a visit forward, never back.
        regular = min(opened, last + OUT_OF_SEASON) if last < opened else last + IN_SEASON
        reason = f"in season, no report on {last_year} yet: weekly"
    elif last_year in history.government_years:
        regular = last + OUT_OF_SEASON
        reason = f"report on {last_year} stored: monthly"
    else:
        regular = last + OUT_OF_SEASON
        reason = "out of season: monthly"
    failed = _failed_in_a_row(history.visits)
    if failed:
        retry = last + FAILED_RETRY * 2 ** min(failed - 1, 10)
        if retry < regular:
            return Due(history.site_id, retry, f"failed {failed}× in a row: retried")
    return Due(history.site_id, regular, reason)


def dues(database: str | None, site_ids: Iterable[str], now: datetime) -> dict[str, Due]:
    """Each site's next crawl, judged at ``now`` from the database at ``database`` (read only;
    none yet: every site is due)."""
    from . import queries

    wanted = list(site_ids)
    db = queries.open_readonly(database) if database else None
    try:
        histories = queries.site_histories(db, wanted) if db is not None else {}
    finally:
        if db is not None:
            db.close()
    return {site: next_due(histories.get(site) or History(site), now) for site in wanted}


def _failed_in_a_row(visits: Iterable[Visit]) -> int:
    count = 0
    for visit in visits:
        if not visit.failures:
            break
        count += 1
    return count
