"""parsers/tables.py: figures anchored on labels; misfit rows resolved only by the row sum."""

from __future__ import annotations

import pytest

from parsers.tables import parse_number, read_tables, resolve_row
from parsers.template import APPLICANT_COLUMNS

COLS = APPLICANT_COLUMNS


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("0", 0),
        ("13", 13),
        ("-53", -53),
        ("1723.2952", 1723.2952),
        ("24,092", 24092),
        ("13件", 13),
        ("795万元", 795),
        ("", None),
        ("—", None),
        ("/", None),
        ("无", None),
        ("13 0", None),
        ("第1项", None),
        ("1.属于国家秘密", None),
    ],
)
def test_parse_number(cell: str, number: float | None) -> None:
    got = parse_number(cell)
    assert got == number
    assert type(got) is type(number)


def test_row_with_one_figure_per_column_is_taken_as_printed() -> None:
    # Even when it does not add up: the check reports it, the parser never corrects.
    cells, note = resolve_row([5, 1, 0, 0, 0, 0, 9], COLS)
    assert cells == dict(zip(COLS, [5, 1, 0, 0, 0, 0, 9], strict=True))
    assert note is None


def test_repeated_zero_is_dropped() -> None:  # seed 001, 一、本年新收
    cells, note = resolve_row([13, 0, 0, 0, 0, 0, 0, 13], COLS)
    assert cells == dict(zip(COLS, [13, 0, 0, 0, 0, 0, 13], strict=True))
    assert note and "resolved by row sum" in note


def test_two_surplus_figures_resolve_only_as_neighbour_repeats() -> None:  # seed 002, (七)总计
    # Dropping both 6s would also "add up" (all zeros) but a 6 repeats no neighbour.
    cells, _ = resolve_row([6, 0, 0, 0, 0, 0, 0, 0, 6], COLS)
    assert cells == dict(zip(COLS, [6, 0, 0, 0, 0, 0, 6], strict=True))


def test_surplus_figure_that_repeats_nothing_leaves_row_out() -> None:
    # Dropping the 7 would make 3+1+2 = 6, but 7 repeats neither neighbour.
    cells, note = resolve_row([3, 1, 2, 7, 0, 0, 0, 6], COLS)
    assert cells == {}
    assert note and "left out" in note


def test_lost_cell_keeps_only_what_every_reading_agrees_on() -> None:  # seed 001, (一)予以公开
    cells, note = resolve_row([10, 0, 0, 0, 0, 10], COLS, upper={c: 0 for c in COLS[1:-1]})
    assert cells == {"natural_person": 10, "total": 10}
    assert note and "commercial" in note


def test_lost_cell_without_bounds_is_ambiguous_even_for_natural_person() -> None:
    # Without the (七)总计 row, the 10 could be 商业企业's with 自然人 lost.
    cells, _ = resolve_row([10, 0, 0, 0, 0, 10], COLS)
    assert cells == {"total": 10}


def test_lost_cell_that_cannot_add_up_leaves_row_out() -> None:
    cells, note = resolve_row([1, 0, 0, 0, 0, 9], COLS)  # 1+0+… can be ≤ 9: a gap may hold 8
    assert cells == {"total": 9}
    cells, note = resolve_row([9, 0, 0, 0, 0, 1], COLS)  # 9 > 1 in every reading
    assert cells == {}
    assert note and "no reading adds up" in note


def test_far_too_many_or_too_few_figures() -> None:
    assert resolve_row([0] * 12, COLS)[0] == {}
    assert resolve_row([0] * 3, COLS)[0] == {}
    assert resolve_row([], COLS)[0] == {}


_HEADERLESS_2019 = """二、主动公开政府信息情况
规章\t0\t0\t0
行政许可\t67\t25\t24092
行政事业性收费\t14\t0\t
"""


def test_table_two_without_column_header_uses_the_format() -> None:
    read = read_tables(_HEADERLESS_2019.split("\n"), "2019")
    got = {(v.row, v.column): v.value for v in read.values}
    assert got == {
        ("regulations", "new_made"): 0,
        ("regulations", "new_published"): 0,
        ("regulations", "total_published"): 0,
        ("licensing", "prev_items"): 67,
        ("licensing", "change"): 25,
        ("licensing", "decisions"): 24092,
        ("fees", "prev_items"): 14,
        ("fees", "change"): 0,
    }


def test_table_four_with_wrong_count_is_left_out_with_warning() -> None:
    lines = [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议\t\t行政诉讼",
        "0\t0\t0\t0\t0\t0\t0",
    ]
    read = read_tables(lines, "2021")
    assert read.values == []
    assert any("表四 has 7 figures" in w for w in read.warnings)


def test_numbers_after_table_four_do_not_join_it() -> None:
    lines = [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议\t\t\t\t\t行政诉讼",
        "\t".join(["1", "0", "0", "0", "1"] + ["0"] * 10),
        "五、存在的主要问题及改进情况",
        "2020\t2021",
    ]
    read = read_tables(lines, "2021")
    assert len(read.values) == 15
    assert [w for w in read.warnings if "表四" in w] == []


def test_unknown_row_labels_are_reported() -> None:
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "申请人情况\t自然人",
        "某某合计\t1\t0\t0\t0\t0\t0\t1",
    ]
    read = read_tables(lines, "2021")
    assert read.values == []
    assert any("unknown label" in w for w in read.warnings)


# The 统计表 of a real pre-2019 report: 平潭县人民政府2013年政府信息公开工作年度报告 (附件1),
# cells as in the page's HTML table (changwu/pingtan-gov-zwgk-archive, zfxxgknb/201401/80754,
# page.html): 指标名称 | 计量单位 | 2013年度 | 历年累计.
PINGTAN_2013_STATISTICS = """附件1：平潭县人民政府2013年政府信息公开情况统计表
指标名称\t计量单位\t2013年度\t历年累计
主动公开信息数\t条\t1853\t5395
其中：1.网站公开\t条\t1713\t5017
2.政府公报公开\t条\t0\t7
受理依申请公开信息总数\t条\t7\t28
其中：1.当面申请数\t条\t0\t18
2.传真申请数\t条\t0\t0
3.电子邮件申请数\t条\t3\t6
4.网上申请数\t条\t4\t4
5.信函申请数\t条\t0\t0
6.其它形式申请数\t条\t0\t0
对申请的答复数\t条\t3\t24
其中：1.同意公开答复数\t条\t2\t19
2.同意部分公开答复数\t条\t1\t3
3.否决公开答复数\t条\t0\t2
行政复议数\t条\t0\t0
行政诉讼数\t条\t0\t0
行政申诉数\t条\t0\t0"""


def test_pre2019_statistics_table_reads_this_year_never_the_cumulative() -> None:
    read = read_tables(PINGTAN_2013_STATISTICS.split("\n"), "pre2019")
    got = {(v.table, v.row, v.column): v.value for v in read.values}
    assert got == {
        ("active_disclosure", "all", "published"): 1853,
        ("applications", "new_received", "total"): 7,
        ("applications", "disclosed", "total"): 2,
        ("applications", "partially_disclosed", "total"): 1,
        ("applications", "withheld", "total"): 0,
        ("review_litigation", "review", "total"): 0,
        ("review_litigation", "litigation", "total"): 0,
    }
    assert all(v.source == "table" for v in read.values)


def test_statistics_row_without_unit_cell_still_finds_the_year_column() -> None:
    lines = ["政府信息公开情况统计表", "统计指标\t单位\t2016年度\t历年累计", "行政复议数\t0\t5"]
    read = read_tables(lines, "pre2019")
    assert [(v.row, v.value) for v in read.values] == [("review", 0)]


def test_statistics_report_of_complaints_is_not_the_lawsuit_count() -> None:
    # 平潭 2016 统计表: "接受行政诉讼、举报数" precedes "行政诉讼数".
    lines = [
        "指标名称\t计量单位\t2016年度\t历年累计",
        "接受行政诉讼、举报数\t件\t3\t9",
        "行政诉讼数\t件\t0\t0",
    ]
    read = read_tables(lines, "pre2019")
    assert [(v.row, v.value) for v in read.values] == [("litigation", 0)]


def test_statistics_without_header_and_two_figures_is_left_out() -> None:
    read = read_tables(["政府信息公开情况统计表", "行政复议数\t条\t1\t4"], "pre2019")
    assert read.values == []
    assert read.warnings


def test_unreadable_cell_blocks_placement_by_count() -> None:
    # Found by the property tests: "1 238" is no figure, and a repeated -53 made the row
    # look like three figures for three columns.
    lines = [
        "第二十条第（六）项\t\t\t",
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
        "行政处罚\t1 238\t-53\t-53\t948",
    ]
    read = read_tables(lines, "2019")
    assert read.values == []
    assert any("left out" in w for w in read.warnings)


def test_repeated_header_and_row_cells_do_not_shift_figures() -> None:
    # Found by the property tests: both the header and the row repeated a cell.
    lines = [
        "第二十条第（一）项\t\t\t",
        "信息内容\t信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "行政规范性文件\t2\t0\t0\t53",
    ]
    read = read_tables(lines, "2021")
    assert read.values == []
