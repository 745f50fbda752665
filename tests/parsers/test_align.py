"""parsers/align.py: a golden 表三 re-laid at random is read the same, or not at all.

The golden figures of the real 淮安市 2024 report (every cell printed, rich figures) are laid out
the ways converters lay tables out — a row per line with tabs, pipes, runs of spaces or single
spaces; a cell per line; all labels first and the figures column by column; each row's digits
fused with no separator — and parsed.  No figure may differ from the golden one and none may
be invented; the unambiguous layouts must give every figure.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers import parse_report
from parsers.template import APPLICANT_COLUMNS
from tests.layout_matrix import load_golden
from tests.parsers.test_tables import PINGTAN_2013_STATISTICS

GOLDEN = load_golden("pdf/001_huaian_shi_2024.expected.json")
ROWS: list[tuple[str, str]] = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("disclosed", "（一）予以公开"),
    ("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withheld_state_secret", "1.属于国家秘密"),
    ("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("withheld_three_safeties", "3.危及“三安全一稳定”"),
    ("withheld_third_party", "4.保护第三方合法权益"),
    ("withheld_internal_affairs", "5.属于三类内部事务信息"),
    ("withheld_process_info", "6.属于四类过程性信息"),
    ("withheld_enforcement_files", "7.属于行政执法案卷"),
    ("withheld_query_matter", "8.属于行政查询事项"),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "3.补正后申请内容仍不明确"),
    ("not_processed_petition", "1.信访举报投诉类申请"),
    ("not_processed_duplicate", "2.重复申请"),
    ("not_processed_publication", "3.要求提供公开出版物"),
    ("not_processed_excessive", "4.无正当理由大量反复申请"),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "3.其他"),
    ("total_handled", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
HEAD = [
    "淮安市人民政府2024年政府信息公开工作年度报告",
    "三、收到和处理政府信息公开申请情况",
]
HEADER = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]
TAIL = ["四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "无。"]


def _figures(row: str) -> list[str]:
    return [str(v) for v in GOLDEN["applications"][row]]


def lay_out(layout: str, drop: frozenset[str] = frozenset()) -> str:
    """The table in one layout; rows in ``drop`` lose their third figure."""
    body: list[str] = []
    if layout == "columns":
        body += [label for _, label in ROWS]
        for c in range(len(APPLICANT_COLUMNS)):
            body += [_figures(row)[c] for row, _ in ROWS]
    for row, label in ROWS if layout != "columns" else []:
        cells = _figures(row)
        if row in drop:
            del cells[2]
        if layout == "tabs":
            body.append("\t".join([label, *cells]))
        elif layout == "pipes":
            body.append("| " + " | ".join([label, *cells]) + " |")
        elif layout == "spaces":
            body.append("   ".join([label, *cells]))
        elif layout == "single":
            body.append(" ".join([label, *cells]))
        elif layout == "cells":
            body += [label, *cells]
        elif layout == "fused":
            body.append(label + "".join(cells))
    return "\n".join([*HEAD, *HEADER, *body, *TAIL])


def _read(text: str) -> dict[tuple[str, str], Any]:
    report = parse_report(text)
    return {
        (v.row, v.column): v.value
        for v in report.values
        if v.table == "applications" and v.source == "table"
    }


def _golden_cells() -> dict[tuple[str, str], int]:
    return {
        (row, column): value
        for row, values in GOLDEN["applications"].items()
        for column, value in zip(APPLICANT_COLUMNS, values, strict=True)
    }


@given(st.sampled_from(["tabs", "pipes", "spaces", "single", "cells", "columns"]))
def test_unambiguous_layouts_give_every_figure(layout: str) -> None:
    assert _read(lay_out(layout)) == _golden_cells()


def test_fused_rows_never_give_another_figure() -> None:
    got = _read(lay_out("fused"))
    golden = _golden_cells()
    assert got, "fused rows that add up in one way only are read"
    assert {key: value for key, value in got.items() if golden[key] != value} == {}


@given(
    st.sampled_from(["tabs", "spaces", "single", "cells"]),
    st.lists(st.integers(min_value=0, max_value=len(ROWS) - 1), max_size=3, unique=True),
)
def test_a_dropped_figure_never_shifts_another(layout: str, damaged: list[int]) -> None:
    """Drop one figure from some rows: those rows may go, no other figure may change."""
    text = lay_out(layout, frozenset(ROWS[index][0] for index in damaged))
    got = _read(text)
    golden = _golden_cells()
    assert {key: value for key, value in got.items() if golden[key] != value} == {}


def test_a_short_row_gives_its_total_only_when_it_adds_up_to_more_than_zero() -> None:
    text = "\n".join(
        [
            *HEAD,
            "一、本年新收政府信息公开申请数量",
            "26",
            "26",
            "二、上年结转政府信息公开申请数量",
            "0",
            "0",
            "（一）予以公开",  # a full row: the short ones are not one page's blank columns
            "20 3 0 0 0 0 23",
            *TAIL,
        ]
    )
    got = _read(text)
    assert got[("new_received", "total")] == 26
    assert ("new_received", "natural_person") not in got  # any 法人 column could hold it
    assert ("carried_over", "total") not in got  # "0 0" among full rows places nothing


def test_table_two_runs_in_page_order_when_labels_follow_their_figures() -> None:
    # pdftotext's default mode on the real 洪泽区 2023 PDF: 行政许可's figure comes before
    # its label, and so on down the table; each run has its row's number of columns.
    text = "\n".join(
        [
            "洪泽区人民政府2023年政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            "第二十条第（一）项",
            "信息内容",
            "本年制发件数",
            "本年废止件数",
            "现行有效件数",
            "规章",
            "0",
            "0",
            "0",
            "行政规范性文件",
            "0",
            "5",
            "5",
            "第二十条第（五）项",
            "信息内容",
            "本年处理决定数量",
            "550",
            "行政许可",
            "第二十条第（六）项",
            "信息内容",
            "本年处理决定数量",
            "行政处罚",
            "4119",
            "行政强制",
            "195",
            "第二十条第（八）项",
            "信息内容",
            "本年收费金额（单位：万元）",
            "7730.28",
            "行政事业性收费",
            "三、收到和处理政府信息公开申请情况",
        ]
    )
    report = parse_report(text)
    got = {(v.row, v.column): v.value for v in report.values if v.table == "active_disclosure"}
    assert got == {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 0,
        ("normative_documents", "repealed"): 5,
        ("normative_documents", "in_force"): 5,
        ("licensing", "decisions"): 550,
        ("penalties", "decisions"): 4119,
        ("coercion", "decisions"): 195,
        ("fees", "amount"): 7730.28,
    }


def test_table_two_runs_that_do_not_fit_the_widths_are_not_read() -> None:
    text = "\n".join(
        [
            "洪泽区人民政府2023年政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            "规章",
            "行政规范性文件",
            "1 8 0 26 11 66",  # column by column: which row is which cannot be told
            "三、收到和处理政府信息公开申请情况",
        ]
    )
    report = parse_report(text)
    assert [v for v in report.values if v.table == "active_disclosure"] == []
    assert any("表二" in w for w in report.warnings)


_ROW_LAYOUTS = ("tabs", "pipes", "spaces", "single", "cells")


def _row_text(layout: str, label: str, cells: list[str]) -> str:
    return {
        "tabs": "\t".join([label, *cells]),
        "pipes": "| " + " | ".join([label, *cells]) + " |",
        "spaces": "   ".join([label, *cells]),
        "single": " ".join([label, *cells]),
        "cells": "\n".join([label, *cells]),
        "fused": label + "".join(cells),
    }[layout]


@given(st.lists(st.sampled_from(_ROW_LAYOUTS), min_size=len(ROWS), max_size=len(ROWS)))
def test_rows_each_in_their_own_layout(layouts: list[str]) -> None:
    """A converter that lays out rows differently (a wrapped row, a cell per line) still
    gives every figure — unless tab rows mix with others (the grid reader then owns the
    table and other rows are not its)."""
    body = [
        _row_text(layout, label, _figures(row))
        for layout, (row, label) in zip(layouts, ROWS, strict=True)
    ]
    got = _read("\n".join([*HEAD, *HEADER, *body, *TAIL]))
    golden = _golden_cells()
    assert {key: value for key, value in got.items() if golden[key] != value} == {}
    if "tabs" not in layouts:
        assert got == golden


@given(st.sets(st.integers(min_value=0, max_value=len(ROWS) - 1), max_size=len(ROWS)))
def test_fused_rows_among_spaced_ones(fused: set[int]) -> None:
    """Rows whose digits lost their separators, with their row sums intact: a figure is
    read only where every cut that adds up agrees, and never differs from the golden."""
    body = [
        _row_text("fused" if i in fused else "single", label, _figures(row))
        for i, (row, label) in enumerate(ROWS)
    ]
    got = _read("\n".join([*HEAD, *HEADER, *body, *TAIL]))
    golden = _golden_cells()
    assert {key: value for key, value in got.items() if golden[key] != value} == {}


def test_table_two_rows_of_one_column_may_share_a_run() -> None:
    # pdftotext: 行政处罚 and 行政强制 print their figures together before the second label.
    text = "\n".join(
        [
            "民权县人民政府2021年政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            "规章",
            "0 0 0",
            "行政规范性文件",
            "12 0 133",
            "行政许可",
            "13323",
            "行政处罚",
            "2240",
            "41",
            "行政强制",
            "795",
            "行政事业性收费",
            "三、收到和处理政府信息公开申请情况",
        ]
    )
    report = parse_report(text)
    got = {(v.row, v.column): v.value for v in report.values if v.table == "active_disclosure"}
    assert got[("penalties", "decisions")] == 2240
    assert got[("coercion", "decisions")] == 41
    assert got[("fees", "amount")] == 795


@pytest.mark.parametrize("layout", ["single", "cells", "pipes"])
@pytest.mark.parametrize("first", [False, True], ids=["subtotal_after", "subtotal_before"])
def test_a_subtotal_column_where_the_header_prints_one(layout: str, first: bool) -> None:
    """Some counties add 小计 to the 法人 columns; the header says where it stands."""
    words = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    header = [
        "自然人",
        "法人或其他组织",
        *(["小计", *words] if first else [*words, "小计"]),
        "总计",
    ]
    body = []
    for row, label in ROWS:
        natural, *orgs, total = (int(v) for v in _figures(row))
        cells = [natural, *([sum(orgs), *orgs] if first else [*orgs, sum(orgs)]), total]
        body.append(_row_text(layout, label, [str(c) for c in cells]))
    text = "\n".join([*HEAD, HEADER[0], " ".join(header), *body, *TAIL])
    got = _read(text)
    expected = dict(_golden_cells())
    for row, _ in ROWS:
        expected[(row, "org_subtotal")] = sum(int(v) for v in _figures(row)[1:-1])
    assert got == expected


_PINGTAN_2013_VALUES = {
    ("active_disclosure", "all", "published"): 1853,
    ("applications", "new_received", "total"): 7,
    ("applications", "disclosed", "total"): 2,
    ("applications", "partially_disclosed", "total"): 1,
    ("applications", "withheld", "total"): 0,
    ("review_litigation", "review", "total"): 0,
    ("review_litigation", "litigation", "total"): 0,
}


@pytest.mark.parametrize("layout", ["single", "spaces", "pipes", "cells"])
def test_pre2019_statistics_table_in_any_layout(layout: str) -> None:
    """The real 平潭 2013 统计表 (see test_tables) as converters lay it out: this year's
    figures, never the cumulative ones, exactly as the grid reader reads them."""
    caption, *rows = PINGTAN_2013_STATISTICS.split("\n")
    separator = {"single": " ", "spaces": "    ", "pipes": " | ", "cells": "\n"}[layout]
    body = [row.replace("\t", separator) for row in rows]
    if layout == "pipes":
        body = [f"| {row} |" for row in body]
    text = "\n".join(
        [
            "平潭县人民政府2013年政府信息公开工作年度报告",
            "一、概述",
            "全年工作稳步推进。",
            caption,
            *body,
        ]
    )
    report = parse_report(text)
    got = {(v.table, v.row, v.column): v.value for v in report.values if v.source == "table"}
    assert got == _PINGTAN_2013_VALUES


def test_statistics_row_with_one_figure_under_two_columns_is_left_out() -> None:
    text = "\n".join(
        [
            "平潭县人民政府2016年政府信息公开工作年度报告",
            "政府信息公开情况统计表",
            "指标名称 计量单位 2016年度 历年累计",
            "行政复议数 件 4",
            "接受行政诉讼、举报数 件 3 9",
            "行政诉讼数 件 0 0",
        ]
    )
    report = parse_report(text)
    got = {(v.row, v.value) for v in report.values if v.source == "table"}
    assert got == {("litigation", 0)}
    assert any("行政复议数" in w for w in report.warnings)


def test_rows_all_short_by_the_same_blank_cells_give_their_totals() -> None:
    # 沭阳县 2023: only 自然人 and 总计 are filled; a converter drops the blank cells.
    filled = {"new_received": "26", "disclosed": "26", "total_handled": "26"}
    body = []
    for row, label in ROWS:
        figure = filled.get(row, "0")
        body += [label, figure, figure]
    got = _read("\n".join([*HEAD, *HEADER, *body, *TAIL]))
    assert got[("new_received", "total")] == 26
    assert got[("total_handled", "total")] == 26
    assert got[("carried_over", "total")] == 0
    assert all(column == "total" for _, column in got)  # which column held 26 is not said
