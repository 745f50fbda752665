"""Bad invocations end with one line saying what is wrong and what to do, exit status 2."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.arguments import FIRST_YEAR, ArgumentError, check_database, parse_flag, parse_years
from tests.crawler.replay import scrapy

TODAY = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2021", (2021,)),
        ("2019-2021", (2019, 2020, 2021)),
        ("2021,2023", (2021, 2023)),
        ("2019-2020, 2024", (2019, 2020, 2024)),
        ("2008", (2008,)),
        ("2026", (2026,)),
        ("", None),
        (None, None),
    ],
)
def test_year_lists(text: str | None, years: tuple[int, ...] | None) -> None:
    assert parse_years(text, today=TODAY) == years


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("abc", "not a year list"),
        ("2021;2023", "not a year list"),
        ("21", "not a year list"),
        ("2024-2019", "empty range"),
        ("1990", "outside"),
        ("2007-2010", "outside"),
        ("2027", "outside"),  # a year not over yet has no report
    ],
)
def test_bad_year_lists_say_what_to_write(text: str, says: str) -> None:
    with pytest.raises(ArgumentError, match=says):
        parse_years(text, today=TODAY)


@given(st.integers(FIRST_YEAR, 2026), st.integers(FIRST_YEAR, 2026))
def test_a_range_is_every_year_between_its_ends(a: int, b: int) -> None:
    first, last = min(a, b), max(a, b)
    assert parse_years(f"{first}-{last}", today=TODAY) == tuple(range(first, last + 1))


@pytest.mark.parametrize(("text", "value"), [("1", True), ("yes", True), ("0", False), ("", False)])
def test_flags(text: str, value: bool) -> None:
    assert parse_flag("full", text) is value


def test_a_database_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(ArgumentError, match="is a file, not a directory"):
        check_database(tmp_path / "file" / "r.db")
    (tmp_path / "junk.db").write_bytes(b"not a database at all, not even close" * 10)
    with pytest.raises(ArgumentError, match="not a SQLite database"):
        check_database(tmp_path / "junk.db")
    check_database(tmp_path / "new" / "r.db")  # made where it can be


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return scrapy(*args, succeed=False)  # offline, never a traceback


CRAWL = ("crawl", "reports", "-s", "GKNB_SITES=demo", "-s", "CASSETTE_MODE=replay")


@pytest.mark.crawl
@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("-a", "years=abc"), "years='abc': not a year list"),
        (("-a", "years=2024-2019"), "empty range"),
        (("-a", "years=1990"), "1990 is outside"),
        (("-a", "years=2099"), "2099 is outside"),
        (("-a", "site=nonexistent"), "site=nonexistent: no such site"),
        (("-a", "full=maybe"), "write full=1 or full=0"),
        (("-a", "due=later"), "write due=1 or due=0"),
        (("-a", "colour=red"), "unknown argument"),
        (("-s", "GKNB_SITES=/nonexistent.toml"), "cannot read the registry"),
        (("-s", "GKNB_FRESH_DAYS=soon"), "not a number"),
        (("-s", "CONCURRENT_REQUESTS=0"), "at least 1"),
        (("-s", "CASSETTE_MODE=rewind"), "write off, record or replay"),
    ],
)
def test_a_bad_crawl_invocation_is_one_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    result = run(*CRAWL, "-s", f"GKNB_DATABASE={tmp_path / 'r.db'}", *args)
    assert result.returncode == 2, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], lines
    assert not (tmp_path / "r.db").exists()  # nothing started


@pytest.mark.crawl
@pytest.mark.parametrize(
    ("spider", "url", "says"),
    [
        ("store", None, "the store of a distributed crawl needs -s GKNB_REDIS_URL"),
        ("store", "redis://127.0.0.1:9/0", "no Redis answers there"),
        ("reports", "redis://127.0.0.1:9/0", "no Redis answers there"),
        ("reports", "not-a-url", "no Redis answers there"),
    ],
)
def test_a_distributed_crawl_without_its_redis_is_one_line_and_exit_2(
    tmp_path: Path, spider: str, url: str | None, says: str
) -> None:
    redis = ("-s", f"GKNB_REDIS_URL={url}") if url else ()
    result = run(
        "crawl", spider, "-s", "GKNB_SITES=demo", "-s", f"GKNB_DATABASE={tmp_path / 'r.db'}", *redis
    )
    assert result.returncode == 2, result.stderr[-2000:]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], lines


@pytest.mark.crawl
def test_an_unwritable_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run(*CRAWL, "-s", f"GKNB_DATABASE={tmp_path / 'file' / 'r.db'}")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: -s GKNB_DATABASE={tmp_path / 'file' / 'r.db'}: {tmp_path / 'file'} is a file, "
        "not a directory"
    ]


@pytest.mark.crawl
def test_reparse_of_an_unknown_site_is_an_error(tmp_path: Path) -> None:
    from crawler.storage import Storage

    Storage(tmp_path / "r.db", tmp_path / "raw").close()
    result = run(
        "reparse",
        "-a",
        "site=nonexistent",
        "-s",
        f"GKNB_DATABASE={tmp_path / 'r.db'}",
        "-s",
        f"GKNB_RAW_DIR={tmp_path / 'raw'}",
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: -a site=nonexistent: no such site in the database (`scrapy summary`)"
    ]
