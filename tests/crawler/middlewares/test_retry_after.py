"""Retry-After read as the server wrote it: seconds or an HTTP date."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

from crawler.middlewares.retry_after import retry_after_seconds

NOW = datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC).timestamp()


def test_seconds_and_dates() -> None:
    assert retry_after_seconds("120", NOW) == 120.0
    assert retry_after_seconds(" 0 ", NOW) == 0.0
    later = format_datetime(datetime(2026, 3, 1, 8, 0, 30, tzinfo=UTC), usegmt=True)
    assert retry_after_seconds(later, NOW) == 30.0
    earlier = format_datetime(datetime(2026, 3, 1, 7, 0, 0, tzinfo=UTC), usegmt=True)
    assert retry_after_seconds(earlier, NOW) == 0.0


def test_what_cannot_be_read_is_none() -> None:
    for value in ("", "soon", "-5", "1.5", "Mon, 99 Foo 2026 25:61:00 GMT", "x" * 10_000):
        assert retry_after_seconds(value, NOW) is None, value
    assert retry_after_seconds("9" * 400, NOW) == 999_999_999.0  # no 400-digit sleep
