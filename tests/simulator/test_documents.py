"""The synthetic documents the demo portals serve: every figure is the real report's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers import parse_document
from parsers.errors import ScannedPdfError
from tests.conftest import SEED_DIR, expected_table_cells

SYNTHETIC = Path(__file__).resolve().parents[2] / "simulator" / "content" / "synthetic"
GOLDEN = json.loads((SEED_DIR / "002_1802fb2dfce92170.expected.json").read_text("utf-8"))


@pytest.mark.parametrize(
    "name", ["minquan_2021_form.pdf", "minquan_2021_form_large.pdf", "minquan_2021_form.docx"]
)
def test_filled_form_carries_the_real_figures(name: str) -> None:
    report = parse_document((SYNTHETIC / name).read_bytes())
    assert (report.publisher, report.year, report.template) == ("民权县人民政府", 2021, "2021")
    got = {(v.table, v.row, v.column): v.value for v in report.values if v.source == "table"}
    assert got == {k: v for k, v in expected_table_cells(GOLDEN).items() if v is not None}
    assert all(check.ok for check in report.checks)


def test_scan_has_no_text_layer() -> None:
    with pytest.raises(ScannedPdfError):
        parse_document((SYNTHETIC / "hongze_2023_scan.pdf").read_bytes())
