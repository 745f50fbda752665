"""Property tests: damage the real seeds the way converters do; the parse never invents.

Random whitespace, inserted page-number lines, cells dropped or repeated in table rows and
blank lines shuffled in or out must never raise and never yield a figure that differs from
the clean parse: a damaged figure may only go missing, and a table figure that goes missing
is explained in ``warnings``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import AnnualReport, parse_report
from tests.conftest import SEED_NAMES, parsed_seed, seed_text

_SPACES = [" ", "\u3000", "\u00a0", "  "]
_PAGE_NUMBERS = ["- 3 -", "—4—", "第 2 页", "5/12", "－ 11 －"]
# Example counts come from the Hypothesis profile (tests/conftest.py): "default" keeps the
# suite fast; HYPOTHESIS_PROFILE=fuzz runs thousands.
_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _figures(report: AnnualReport) -> dict[tuple[str, str, str, str], float]:
    return {(v.table, v.row, v.column, v.source): v.value for v in report.values}


def _assert_no_invention(clean: AnnualReport, damaged: AnnualReport) -> None:
    """No figure may change; figures may go missing (table ones with a warning).

    A damaged parse may read a figure the clean parse left out: a cell repeated into a row
    that had lost one restores the row's width, and a full-width row that adds up is read.
    """
    before, after = _figures(clean), _figures(damaged)
    changed = {k: (before[k], v) for k, v in after.items() if k in before and before[k] != v}
    assert not changed, f"figures that differ from the clean parse (clean, damaged): {changed}"
    lost_table = [key for key in before if key not in after and key[3] == "table"]
    if lost_table:
        assert damaged.warnings, f"table figures lost without a warning: {lost_table[:5]}"


@st.composite
def _whitespace(draw: st.DrawFn, text: str) -> str:
    chars = list(text)
    for _ in range(draw(st.integers(1, 25))):
        at = draw(st.integers(0, len(chars)))
        chars.insert(at, draw(st.sampled_from(_SPACES)))
    return "".join(chars)


@st.composite
def _page_numbers(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(_PAGE_NUMBERS)))
    return "\n".join(lines)


@st.composite
def _blank_lines(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 10))):
        if draw(st.booleans()):
            lines.insert(draw(st.integers(0, len(lines))), "")
        else:
            blanks = [i for i, line in enumerate(lines) if not line.strip()]
            if blanks:
                del lines[draw(st.sampled_from(blanks))]
    return "\n".join(lines)


@st.composite
def _cells(draw: st.DrawFn, text: str) -> str:
    """Drop one cell, or repeat one next to itself, in some table rows (one change a row)."""
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if "\t" in line]
    if not rows:
        return text
    for i in draw(st.lists(st.sampled_from(rows), min_size=1, max_size=6, unique=True)):
        cells = lines[i].split("\t")
        at = draw(st.integers(0, len(cells) - 1))
        if draw(st.booleans()):
            del cells[at]
        else:
            cells.insert(at, cells[at])
        lines[i] = "\t".join(cells)
    return "\n".join(lines)


_DAMAGE = {
    "whitespace": _whitespace,
    "page_numbers": _page_numbers,
    "blank_lines": _blank_lines,
    "cells": _cells,
}


@_SETTINGS
@given(data=st.data(), name=st.sampled_from(SEED_NAMES), kind=st.sampled_from(sorted(_DAMAGE)))
def test_damage_never_invents_a_figure(data: st.DataObject, name: str, kind: str) -> None:
    damaged_text = data.draw(_DAMAGE[kind](seed_text(name)), label=kind)
    _assert_no_invention(parsed_seed(name), parse_report(damaged_text))


@_SETTINGS
@given(data=st.data(), name=st.sampled_from(SEED_NAMES))
def test_combined_damage_never_invents_a_figure(data: st.DataObject, name: str) -> None:
    text = seed_text(name)
    for kind in data.draw(st.permutations(sorted(_DAMAGE)), label="order"):
        if data.draw(st.booleans(), label=f"apply {kind}"):
            text = data.draw(_DAMAGE[kind](text), label=kind)
    _assert_no_invention(parsed_seed(name), parse_report(text))


def test_page_numbers_and_blank_lines_lose_nothing() -> None:
    """Layout furniture alone must not cost a single figure."""
    for name in SEED_NAMES:
        lines = seed_text(name).split("\n")
        damaged = []
        for i, line in enumerate(lines):
            damaged.append(line)
            if i % 7 == 3:
                damaged.extend(["", f"- {i} -", ""])
        assert _figures(parse_report("\n".join(damaged))) == _figures(parsed_seed(name))
