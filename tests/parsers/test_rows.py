"""parsers/rows.py: printed figures, and which column each of a row's figures fills."""

from __future__ import annotations

import pytest

from parsers.numbers import is_blank, parse_number
from parsers.rows import adds_up, resolve_row
from parsers.template import APPLICANT_COLUMNS

WITH_SUBTOTAL = ("natural_person", *APPLICANT_COLUMNS[1:-1], "org_subtotal", "total")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1,723.5", 1723.5), ("-53", -53), ("13件", 13), ("0", 0), ("1 238", None), ("—", None)],
)
def test_parse_number(cell: str, expected: float | None) -> None:
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["", "-", "—", "／", "无", " "])
def test_blank_cells(cell: str) -> None:
    assert is_blank(cell)


def test_a_row_with_a_subtotal_adds_up_both_ways() -> None:
    assert adds_up([5, 3, 0, 1, 0, 0, 4, 9], WITH_SUBTOTAL)
    assert not adds_up([5, 3, 0, 1, 0, 0, 3, 9], WITH_SUBTOTAL)  # 小计 is not 3+1
    assert not adds_up([5, 3, 0, 1, 0, 0, 4, 8], WITH_SUBTOTAL)  # 总计 is not 5+4


def test_a_short_row_places_only_what_every_reading_agrees_on() -> None:
    read, note = resolve_row([26, 26], APPLICANT_COLUMNS, max_missing=5)
    assert read == {"total": 26}
    assert note is not None and "ambiguous" in note


def test_a_short_row_beyond_the_missing_limit_is_left_out() -> None:
    read, note = resolve_row([26, 26], APPLICANT_COLUMNS)
    assert read == {}
    assert note is not None and "left out" in note


def test_a_damaged_row_of_full_width_must_add_up() -> None:
    read, _ = resolve_row([6, 6, 0, 0, 0, 0, 0], APPLICANT_COLUMNS, damaged=True)
    assert read == {}
    read, _ = resolve_row([6, 0, 0, 0, 0, 0, 6], APPLICANT_COLUMNS, damaged=True)
    assert read["total"] == 6
