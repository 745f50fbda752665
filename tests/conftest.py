"""Shared fixtures: the real seed report bodies shipped under tests/fixtures/seeds/."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from parsers import AnnualReport, parse_report
from parsers.template import APPLICANT_COLUMNS, REVIEW_COLUMNS

settings.register_profile("default", max_examples=80)
settings.register_profile("fuzz", max_examples=5000)
# The parser tier alone (`pytest -m "not crawl"`) is the quick loop while editing parsers:
# fewer examples per property; the default run keeps 80 and the fuzz run 5 000.
settings.register_profile("quick", max_examples=25)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config: pytest.Config) -> None:
    if "HYPOTHESIS_PROFILE" not in os.environ and _parser_tier_only(config):
        settings.load_profile("quick")


FIXTURES = Path(__file__).parent / "fixtures"
SEED_DIR = FIXTURES / "seeds"
SEED_NAMES = sorted(path.stem for path in SEED_DIR.glob("*.txt"))


def seed_text(name: str) -> str:
    """A seed body exactly as shipped (UTF-8)."""
    return (SEED_DIR / f"{name}.txt").read_text(encoding="utf-8")


@cache
def parsed_seed(name: str) -> AnnualReport:
    """The parse of one seed, computed once per test session."""
    return parse_report(seed_text(name))


@cache
def golden(name: str) -> dict[str, Any]:
    """The hand-written expectations for one seed."""
    data: dict[str, Any] = json.loads(
        (SEED_DIR / f"{name}.expected.json").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture(params=SEED_NAMES)
def seed_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def expected_table_cells(data: dict[str, Any]) -> dict[tuple[str, str, str], Any]:
    """(table, row, column) → expected figure (None: must be absent) from a golden file.

    Golden format: ``active_disclosure`` row → column → figure; ``applications`` row → the
    seven applicant columns in printed order; ``review_litigation`` row → [维持, 纠正, 其他,
    未审结, 总计].
    """
    cells: dict[tuple[str, str, str], Any] = {}
    for row, columns in data["active_disclosure"].items():
        for column, value in columns.items():
            cells[("active_disclosure", row, column)] = value
    for row, values in data["applications"].items():
        assert len(values) == len(APPLICANT_COLUMNS), f"golden row {row} needs 7 cells"
        for column, value in zip(APPLICANT_COLUMNS, values, strict=True):
            cells[("applications", row, column)] = value
    for row, values in data["review_litigation"].items():
        for column, value in zip(REVIEW_COLUMNS, values, strict=True):
            cells[("review_litigation", row, column)] = value
    return cells


def assert_report_matches(report: AnnualReport, data: dict[str, Any]) -> None:
    """Every golden table cell, prose figure and check outcome, and nothing beyond them."""
    expected = expected_table_cells(data)
    got = {(v.table, v.row, v.column): v.value for v in report.values if v.source == "table"}
    assert got == {key: value for key, value in expected.items() if value is not None}
    prose = {
        (v.table, v.row, v.column, v.value, v.label) for v in report.values if v.source == "prose"
    }
    assert prose == {tuple(entry) for entry in data["prose"]}
    checks = sorted((c.check, c.subject, c.ok) for c in report.checks)
    assert checks == sorted(tuple(entry) for entry in data["checks"])


# The crawler tier: everything that crawls, replays, serves or runs a command.
CRAWL_TIER = ("crawler", "simulator", "test_readme.py")


def _parser_tier_only(config: pytest.Config) -> bool:
    return bool(config.getoption("markexpr") == "not crawl")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The parser tier alone does not even import the crawler tier (Scrapy, Twisted …)."""
    tests = Path(__file__).parent
    if _parser_tier_only(config) and collection_path.is_relative_to(tests):
        relative = collection_path.relative_to(tests)
        if relative.parts and relative.parts[0] in CRAWL_TIER:
            return True
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        relative = Path(str(item.path)).relative_to(tests)
        if relative.parts[0] in CRAWL_TIER:
            item.add_marker(pytest.mark.crawl)
