"""parsers/checks.py: real seed text made inconsistent; the checks fail, the figures stay."""

from __future__ import annotations

from parsers import parse_report
from tests.conftest import seed_text

SEED = "002_1802fb2dfce92170"
TOTAL_LINE = "(七) 总计\t\t6\t0\t0\t0\t0\t0\t0\t0\t6\t"
REVIEW_LINE = "\t".join(["0"] * 15)


def _failed(report: object) -> set[tuple[str, str]]:
    return {(c.check, c.subject) for c in report.checks if not c.ok}  # type: ignore[attr-defined]


def test_printed_total_that_does_not_add_up_is_kept_and_flagged() -> None:
    text = seed_text(SEED)
    assert TOTAL_LINE in text
    report = parse_report(text.replace(TOTAL_LINE, "(七) 总计\t\t6\t0\t0\t0\t0\t0\t7"))
    assert report.value("applications", "total_handled", "total") == 7  # as printed
    assert report.value("applications", "total_handled", "natural_person") == 6
    assert _failed(report) == {
        ("balance", "column total"),  # 6+0 ≠ 7+0
        ("results_total", "column total"),  # 7 ≠ 6
        ("applicant_total", "row total_handled"),  # 7 ≠ 6+0+…
    }


def test_table_four_total_that_does_not_add_up() -> None:
    text = seed_text(SEED)
    assert REVIEW_LINE in text
    broken = "\t".join(["1", "0", "0", "0", "2"] + ["0"] * 10)
    report = parse_report(text.replace(REVIEW_LINE, broken))
    assert report.value("review_litigation", "review", "total") == 2
    assert _failed(report) == {("review_litigation_total", "表四 row review")}


def test_prose_that_disagrees_with_the_table() -> None:
    text = seed_text(SEED)
    report = parse_report(text.replace("收到依申请公开6件", "收到依申请公开7件"))
    assert report.value("applications", "new_received", "total", source="prose") == 7
    assert report.value("applications", "new_received", "total") == 6
    assert _failed(report) == {("prose_vs_table", "applications/new_received/total")}
    detail = next(c.detail for c in report.checks if c.check == "prose_vs_table")
    assert "7≠table 6" in detail


def test_prose_lawsuits_against_both_lawsuit_rows() -> None:
    body = (
        "XX县人民政府2021年政府信息公开工作年度报告\n"
        "一、总体情况\n全年被行政诉讼3件。\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "行政复议\t\t\t\t\t行政诉讼\n" + "\t".join(["0"] * 5 + ["1", "0", "0", "0", "1"] * 2)
    )
    report = parse_report(body)
    check = next(c for c in report.checks if c.check == "prose_vs_table")
    assert (check.subject, check.ok) == ("review_litigation/litigation/total", False)  # 3 ≠ 1+1
