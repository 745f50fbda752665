"""What a user may pass to the crawl (``-a`` spider arguments, ``-s`` settings), checked
before anything starts: a wrong value ends the command with one line saying what is wrong
and what to do (exit status 2), never a traceback in the middle of a crawl.

The spider parses its arguments with the same functions, so a value accepted here means the
same thing there.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "FIRST_YEAR",
    "ArgumentError",
    "check_crawl",
    "check_database",
    "parse_flag",
    "parse_years",
]

FIRST_YEAR = (
    2008  # 《政府信息公开条例》 took effect on 1 May 2008: no report covers an earlier year
)
EXIT_USAGE = 2

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")
_YEARS_RE = re.compile(r"^\d{4}(?:-\d{4})?(?:,\d{4}(?:-\d{4})?)*$")


class ArgumentError(ValueError):
    """A value the crawl cannot use; its message says what is wrong and what to do."""


def parse_years(value: str | None, *, today: datetime | None = None) -> tuple[int, ...] | None:
    """``-a years=``: ``2021``, ``2019-2024``, ``2021,2023`` or ``2019-2021,2024`` → the years
    covered, in order; None when not given. Years before 2008, after the current one, and
    empty ranges (``2024-2019``) are refused."""
    if value is None or not value.strip():
        return None
    text = value.replace(" ", "")
    if not _YEARS_RE.match(text):
        raise ArgumentError(
            f"-a years={value!r}: not a year list; write e.g. years=2021, years=2019-2024 "
            "or years=2021,2023"
        )
    last_year = (today or datetime.now(UTC)).year
    years: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        start, end = int(first), int(last or first)
        if end < start:
            raise ArgumentError(
                f"-a years={value!r}: {part} is an empty range; write {end}-{start}"
            )
        if start < FIRST_YEAR or end > last_year:
            raise ArgumentError(
                f"-a years={value!r}: reports cover {FIRST_YEAR} (the regulations took effect) "
                f"to {last_year}; {part} is outside"
            )
        years.update(range(start, end + 1))
    return tuple(sorted(years))


def parse_flag(name: str, value: str | bool | None) -> bool:
    """``-a full=1``: 1/0, true/false, yes/no, on/off."""
    if isinstance(value, bool):
        return value
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ArgumentError(f"-a {name}={value!r}: write {name}=1 or {name}=0")


def check_database(path: str | os.PathLike[str]) -> None:
    """The database can be created or written where ``GKNB_DATABASE`` says."""
    database = Path(path)
    what = f"-s GKNB_DATABASE={database}"
    for directory in (database.parent, *database.parent.parents):
        if directory.exists() and not directory.is_dir():
            raise ArgumentError(f"{what}: {directory} is a file, not a directory")
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArgumentError(
            f"{what}: cannot make its directory ({exc.strerror}); choose a writable path"
        ) from None
    if database.exists() and not database.is_file():
        raise ArgumentError(f"{what}: not a file; choose a database file path")
    # Opened and a write transaction taken (then given back): what the crawl will do first.
    try:
        connection = sqlite3.connect(database, timeout=1)
        try:
            connection.execute("begin immediate")
            connection.rollback()
        finally:
            connection.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):  # another crawl is writing: this one waits its turn
            return
        raise ArgumentError(f"{what}: cannot write it ({exc}); choose a writable path") from None
    except sqlite3.DatabaseError as exc:
        raise ArgumentError(f"{what}: not a SQLite database ({exc})") from None


_NUMBERS = {  # setting: (type, smallest allowed)
    "GKNB_FRESH_DAYS": (float, 0.0),
    "GKNB_PARSE_WORKERS": (int, 0),
    "GKNB_PARSE_TIMEOUT": (float, 1.0),
    "GKNB_PARSE_MEMORY_MB": (int, 64),
    "GKNB_MAX_CRAWL_DELAY": (float, 0.0),
    "GKNB_MAX_RETRY_AFTER": (float, 0.0),
    "GKNB_MAX_LIST_PAGES": (int, 1),
    "DOWNLOAD_DELAY": (float, 0.0),
    "CONCURRENT_REQUESTS": (int, 1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": (int, 1),
    "DOWNLOAD_TIMEOUT": (float, 1.0),
}


def check_crawl(settings: Any, spider_args: Mapping[str, str], *, store: bool = False) -> None:
    """Every ``-a`` and ``-s`` value ``scrapy crawl reports`` (or ``store``) uses: known, well
    formed, and pointing at a registry that loads, a database that can be written and, for a
    distributed crawl, a Redis server that answers."""
    from .sites import load_sites, registry_path

    known = {"site", "years", "full", "due", "_job"}  # _job: the id Scrapyd gives a job
    for name in spider_args:
        if name not in known:
            raise ArgumentError(
                f"-a {name}=…: unknown argument; the crawl takes -a site=ID, -a years=…, "
                "-a full=1 and -a due=1"
            )
    parse_years(spider_args.get("years"))
    parse_flag("full", spider_args.get("full", "0"))
    parse_flag("due", spider_args.get("due", "0"))
    for name, (kind, least) in _NUMBERS.items():
        raw = settings.get(name)
        if raw is None:
            continue
        try:
            number = kind(raw)
        except (TypeError, ValueError):
            raise ArgumentError(
                f"-s {name}={raw!r}: not a number; write e.g. -s {name}={kind(least)}"
            ) from None
        if number < least:
            raise ArgumentError(f"-s {name}={raw!r}: must be at least {kind(least)}")
    mode = str(settings.get("CASSETTE_MODE", "off")).lower()
    if mode not in ("off", "record", "replay"):
        raise ArgumentError(f"-s CASSETTE_MODE={mode!r}: write off, record or replay")
    name = settings.get("GKNB_SITES")
    try:
        sites = load_sites(registry_path(name))
    except (ValueError, OSError) as exc:  # a RegistryError, or TOML that does not parse
        raise ArgumentError(
            f"-s GKNB_SITES={name}: {exc}; use china, demo or the path of a sites.toml "
            "(see `scrapy sites`)"
        ) from None
    site = spider_args.get("site")
    if site is not None and site not in {s.site_id for s in sites}:
        raise ArgumentError(
            f"-a site={site}: no such site in the registry {name}; `scrapy sites` lists them"
        )
    check_database(settings.get("GKNB_DATABASE"))
    check_redis(settings.get("GKNB_REDIS_URL"), store=store)


def check_redis(url: str | None, *, store: bool = False) -> None:
    """A distributed crawl's Redis: the extra installed, the server answering."""
    if not url:
        if store:
            raise ArgumentError(
                "the store of a distributed crawl needs -s GKNB_REDIS_URL=redis://HOST:PORT/DB"
            )
        return
    try:
        import redis
        import scrapy_redis  # noqa: F401
    except ImportError:
        raise ArgumentError(
            f"-s GKNB_REDIS_URL={url}: the distributed crawl needs scrapy-redis; "
            "pip install 'gknb[distributed]'"
        ) from None
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except (redis.RedisError, ValueError) as exc:
        raise ArgumentError(f"-s GKNB_REDIS_URL={url}: no Redis answers there ({exc})") from None
