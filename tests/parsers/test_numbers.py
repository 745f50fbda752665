"""Printed figures: read as printed, within what a count can be (and SQLite can hold)."""

from __future__ import annotations

import pytest

from parsers import parse_report
from parsers.numbers import MAX_DIGITS, is_blank, parse_number
from tests.conftest import seed_text


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1,723.5", 1723.5),
        ("-53", -53),
        ("13件", 13),
        ("7730.28万元", 7730.28),
        ("9" * MAX_DIGITS, int("9" * MAX_DIGITS)),
        ("9" * (MAX_DIGITS + 1), None),  # no count a report prints; too big for SQLite at 20
        ("99999999999999999999", None),
        ("9" * 5000, None),  # was: ValueError (Python's 4 300-digit int limit)
        ("9" * 400 + ".5", None),  # was: float('inf')
        ("1e5", None),
        ("", None),
    ],
)
def test_parse_number(cell: str, value: object) -> None:
    assert parse_number(cell) == value


def test_blank_cells_are_not_zero() -> None:
    assert is_blank("—") and is_blank(" / ") and not is_blank("0")


@pytest.mark.parametrize("huge", ["99999999999999999999", "9" * 4301])
def test_a_huge_printed_figure_is_a_warning_not_a_crash(huge: str) -> None:
    text = seed_text("002_1802fb2dfce92170")
    damaged = text.replace("收到", f"收到{huge}件", 1).replace("\t6\n", f"\t{huge}\n", 1)
    report = parse_report(damaged)
    assert all(abs(v.value) < 10**MAX_DIGITS for v in report.values)
    assert not any(str(v.value) == huge for v in report.values)
