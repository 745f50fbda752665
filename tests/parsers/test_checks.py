"""parsers/checks.py: real seed text made inconsistent; the checks fail, the figures stay."""

from __future__ import annotations

from parsers import parse_report
from tests.conftest import seed_text

SEED = "002_1802fb2dfce92170"
TOTAL_LINE = "(七) 总计\t\t6\t0\t0\t0\t0\t0\t0\t0\t6\t"
REVIEW_LINE = "\t".join(["0"] * 15)


def _failed(report: object) -> set[tuple[str, str]]:
    return {(c.check, c.subject) for c in report.checks if not c.ok}  # type: ignore[attr-defined]


def test_carried_forward_that_breaks_the_balance() -> None:
    # Seed 002 repeats cells in every 表三 row; 1,1,0,…,1 still reads unambiguously as
    # 自然人 1, 总计 1 — which breaks 一+二 = 三(七)+四 (6+0 ≠ 6+1).
    text = seed_text(SEED)
    line = "四、结转下年度继续办理\t\t" + "\t".join(["0"] * 9)
    assert line in text
    report = parse_report(text.replace(line, "四、结转下年度继续办理\t\t1\t1\t0\t0\t0\t0\t0\t0\t1"))
    assert report.value("applications", "carried_forward", "natural_person") == 1
    assert report.value("applications", "carried_forward", "total") == 1
    assert _failed(report) == {("balance", "column natural_person"), ("balance", "column total")}


def test_result_row_that_breaks_the_results_total() -> None:
    text = seed_text(SEED)
    line = "(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)\t\t" + "\t".join(["0"] * 8)
    assert line in text
    changed = line.replace("\t".join(["0"] * 8), "1\t1\t0\t0\t0\t0\t0\t1")
    report = parse_report(text.replace(line, changed))
    assert report.value("applications", "partially_disclosed", "total") == 1
    assert _failed(report) == {
        ("results_total", "column natural_person"),  # 6 ≠ 6+1
        ("results_total", "column total"),
    }


_LABELS_2021 = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果\t（一）予以公开",
    "（七）总计",
    "四、结转下年度继续办理",
]


def _undamaged_table(rows: list[list[int]]) -> str:
    lines = ["XX县人民政府2021年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    lines.append("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况")
    for label, figures in zip(_LABELS_2021, rows, strict=True):
        lines.append(label + "\t" + "\t".join(str(f) for f in figures))
    return "\n".join(lines)


def test_printed_row_that_does_not_add_up_is_kept_and_flagged() -> None:
    # Every row prints one figure per column, so the table is taken as printed.
    report = parse_report(
        _undamaged_table(
            [
                [5, 1, 0, 0, 0, 0, 6],
                [0, 0, 0, 0, 0, 0, 0],
                [5, 1, 0, 0, 0, 0, 6],
                [5, 1, 0, 0, 0, 0, 7],  # (七)总计 says 7
                [0, 0, 0, 0, 0, 0, 0],
            ]
        )
    )
    assert report.value("applications", "total_handled", "total") == 7
    assert _failed(report) == {
        ("balance", "column total"),
        ("applicant_total", "row total_handled"),
    }


def test_table_four_total_that_does_not_add_up() -> None:
    text = seed_text(SEED)
    assert REVIEW_LINE in text
    broken = "\t".join(["1", "0", "0", "0", "2"] + ["0"] * 10)
    report = parse_report(text.replace(REVIEW_LINE, broken))
    assert report.value("review_litigation", "review", "total") == 2
    # The prose still says 没有发生因信息公开提出复议或诉讼情况: that disagrees too.
    assert _failed(report) == {
        ("review_litigation_total", "表四 row review"),
        ("prose_vs_table", "review_litigation/review/total"),
    }


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
