"""The layout matrix: golden documents as body text from many tools, and how to score a parse.

``tests/fixtures/variants/`` holds the outputs of ``tests/tools/make_variants.py`` (committed;
each with a sidecar naming tool, version, flags, source and golden file).  A variant is
scored against its document's golden figures: *exact*, *different* (a figure other than the
printed one — never allowed), *absent*, and *invented* (a figure where the golden file has
none — never allowed).  ``bench/accuracy.py`` prints the same scores per tool.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from parsers import AnnualReport
from tests.conftest import FIXTURES, expected_table_cells

VARIANTS = FIXTURES / "variants"

Key = tuple[str, str, str, str]  # table, row, column, source


@dataclass(frozen=True)
class Variant:
    name: str  # file stem: <document>.<tool>
    document: str
    tool: str
    path: Path
    golden_path: str
    compare_prose: bool

    def text(self) -> str:
        return self.path.read_text("utf-8")

    def golden(self) -> dict[str, Any]:
        return load_golden(self.golden_path)


@cache
def load_golden(relative: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / relative).read_text("utf-8"))
    return data


def variants() -> list[Variant]:
    """Every variant of the committed matrix, in manifest order."""
    manifest = json.loads((VARIANTS / "MANIFEST.json").read_text("utf-8"))
    found = []
    for entry in manifest:
        stem = entry["variant"].removesuffix(".txt")
        document, tool = stem.split(".", 1)
        found.append(
            Variant(
                stem,
                document,
                tool,
                VARIANTS / entry["variant"],
                entry["golden"],
                entry["compare_prose"],
            )
        )
    return found


def expected_figures(variant: Variant) -> dict[Key, Any]:
    """(table, row, column, source) → the printed figure; None where none may be read."""
    golden = variant.golden()
    expected: dict[Key, Any] = {
        (*key, "table"): value for key, value in expected_table_cells(golden).items()
    }
    if variant.compare_prose:
        for table, row, column, value, _label in golden["prose"]:
            expected[(table, row, column, "prose")] = value
    return expected


@dataclass
class Score:
    exact: int = 0
    different: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    year_ok: bool = True
    template_ok: bool = True

    @property
    def expected(self) -> int:
        return self.exact + len(self.different) + len(self.absent)


def score(variant: Variant, report: AnnualReport | None) -> Score:
    """Compare a parse with the golden figures (``report`` None: the parse was refused)."""
    golden = variant.golden()
    expected = expected_figures(variant)
    result = Score()
    got: dict[Key, Any] = {}
    if report is not None:
        for value in report.values:
            if value.source == "prose" and not variant.compare_prose:
                continue
            got.setdefault((value.table, value.row, value.column, value.source), value.value)
        result.year_ok = report.year == golden["year"]
        result.template_ok = report.template == golden["template"]
    else:
        result.year_ok = result.template_ok = False
    for key, value in expected.items():
        name = "/".join(key)
        if value is None:
            if key in got:
                result.invented.append(f"{name}={got[key]}")
            continue
        if key not in got:
            result.absent.append(name)
        elif got[key] == value and type(got[key]) is type(value):
            result.exact += 1
        else:
            result.different.append(f"{name}: {got[key]} for {value}")
    for key, value in got.items():
        if key not in expected:
            result.invented.append(f"{'/'.join(key)}={value}")
    return result
