"""When a site is due (crawler/schedule.py): the rules one by one, their properties over any
history, and ``-a due=1`` / ``scrapy schedule`` on a crawled database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.schedule import (
    FAILED_RETRY,
    IN_SEASON,
    OUT_OF_SEASON,
    History,
    Visit,
    in_season,
    next_due,
)
from tests.crawler.replay import CASSETTES, command, replay, storage_settings

SITE = "jiangsu_huaian_hongze"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def history(*visits: tuple[str, int], years: tuple[int, ...] = ()) -> History:
    return History(SITE, tuple(Visit(at(t), f) for t, f in visits), frozenset(years))


def test_the_season_is_january_to_april() -> None:
    assert in_season(at("2027-01-01T00:00")) and in_season(at("2027-04-30T23:59"))
    assert not in_season(at("2027-05-01T00:00")) and not in_season(at("2026-12-31T23:59"))


def test_a_site_never_crawled_to_the_end_is_due_now() -> None:
    due = next_due(History(SITE), at("2026-07-01T00:00"))
    assert due.at is None and due.is_due(at("2000-01-01T00:00"))
    assert due.reason == "never crawled to the end"


def test_in_season_without_last_years_report_weekly() -> None:
    due = next_due(history(("2027-02-01T06:00", 0), years=(2025,)), at("2027-02-03T06:00"))
    assert due.at == at("2027-02-01T06:00") + IN_SEASON
    assert "no report on 2026" in due.reason


def test_in_season_with_last_years_report_monthly() -> None:
    due = next_due(history(("2027-02-01T06:00", 0), years=(2026,)), at("2027-02-03T06:00"))
    assert due.at == at("2027-02-01T06:00") + OUT_OF_SEASON
    assert due.reason == "report on 2026 stored: monthly"


def test_out_of_season_monthly() -> None:
    due = next_due(history(("2026-11-20T06:00", 0)), at("2026-11-25T06:00"))
    assert due.at == at("2026-11-20T06:00") + OUT_OF_SEASON
    assert due.reason == "out of season: monthly"


def test_the_season_opening_makes_a_site_due_at_once() -> None:
    """Visited on 20 December; on 2 January its report on the year just ended is awaited."""
    due = next_due(history(("2026-12-20T06:00", 0), years=(2025,)), at("2027-01-02T06:00"))
    assert due.at == at("2027-01-01T00:00") and due.is_due(at("2027-01-02T06:00"))


def test_the_season_opening_never_puts_a_monthly_visit_back() -> None:
    """Visited on 1 December: due on 31 December (monthly), not on 1 January."""
    due = next_due(history(("2008-12-01T23:00", 0)), at("2009-01-01T00:00"))
    assert due.at == at("2008-12-01T23:00") + OUT_OF_SEASON


def test_a_failed_site_is_retried_sooner_and_backs_off() -> None:
    now = at("2026-08-10T00:00")
    last = "2026-08-09T00:00"
    once = next_due(history((last, 3), ("2026-07-01T00:00", 0)), now)
    assert once.at == at(last) + FAILED_RETRY and once.reason == "failed 1× in a row: retried"
    thrice = next_due(history((last, 1), ("2026-08-05T00:00", 2), ("2026-08-03T00:00", 1)), now)
    assert thrice.at == at(last) + FAILED_RETRY * 4
    many = next_due(history(*((f"2026-08-0{d}T00:00", 1) for d in range(9, 0, -1))), now)
    assert many.at == at(last) + OUT_OF_SEASON and many.reason == "out of season: monthly"


moments = st.datetimes(
    min_value=datetime(2009, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
)


@given(
    now=moments,
    ages=st.lists(st.integers(min_value=0, max_value=400 * 24), max_size=6),
    failures=st.lists(st.integers(min_value=0, max_value=3), min_size=6, max_size=6),
    years=st.frozensets(st.integers(min_value=2008, max_value=2041), max_size=5),
)
def test_any_history_is_due_between_one_day_and_one_month_after_its_last_visit(
    now: datetime, ages: list[int], failures: list[int], years: frozenset[int]
) -> None:
    visits = tuple(
        Visit(now - timedelta(hours=age), failed)
        for age, failed in zip(sorted(ages), failures, strict=False)
    )
    due = next_due(History(SITE, visits, years), now)
    if not visits:
        assert due.at is None
        return
    assert due.at is not None
    last = visits[0].finished_at
    assert due.at <= last + OUT_OF_SEASON
    assert due.at >= min(last + FAILED_RETRY, datetime(now.year, 1, 1, tzinfo=UTC))
    if not visits[0].failures and (now.year - 1) in years:
        assert due.at == last + OUT_OF_SEASON  # last year's report stored: never weekly


@pytest.mark.crawl
def test_due_crawls_only_the_sites_due(workdir: Path) -> None:
    """After a crawl nothing is due but the sites whose visit failed, a day later; a site
    whose visit never finished is due at once."""
    database = workdir / "r.db"
    with sqlite3.connect(database) as connection:
        visits = dict(connection.execute("select site_id, failures from site_visits"))
        assert len(visits) == 7
        failed = {site for site, failures in visits.items() if failures}
        assert failed, "the demo has unreadable documents: those sites failed"
        schedule = command("schedule", *storage_settings(workdir), "-s", "GKNB_SITES=demo")
        assert schedule.startswith("0 of 7 sites due")
        # A day and a half later (in any season: their last visits stay within a week).
        connection.execute("update site_visits set finished_at = ?", [_ago(hours=36)])
        connection.execute(
            "update site_visits set done = 0 where site_id = 'guangdong_guangzhou_panyu'"
        )
    expected = failed | {"guangdong_guangzhou_panyu"}
    schedule = command("schedule", "--due", *storage_settings(workdir), "-s", "GKNB_SITES=demo")
    listed = {line.split("\t")[0] for line in schedule.splitlines() if "\t" in line}
    assert listed == expected, schedule
    replay(workdir, CASSETTES, "-a", "due=1").close()
    with sqlite3.connect(database) as connection:
        (run_id, total, arguments) = connection.execute(
            "select run_id, sites_total, arguments from crawl_runs order by run_id desc"
        ).fetchone()
        visited = {
            site
            for (site,) in connection.execute(
                "select site_id from site_visits where run_id = ?", [run_id]
            )
        }
        fetched = {
            site
            for (site,) in connection.execute(
                "select distinct site_id from fetches where fetched_at >= "
                "(select started_at from crawl_runs where run_id = ?)",
                [run_id],
            )
        }
    assert total == len(expected) and visited == expected and '"due": true' in arguments
    assert fetched <= expected


def _ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat(timespec="seconds")
