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

settings.register_profile("default", max_examples=80)
settings.register_profile("fuzz", max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

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
