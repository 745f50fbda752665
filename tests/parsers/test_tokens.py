"""parsers/tokens.py: table regions and their label/figure tokens, whatever the separator."""

from __future__ import annotations

import pytest

from parsers.tokens import find_regions, tokenize


def test_tokens_split_figures_fused_onto_labels() -> None:
    tokens = tokenize(
        ["一、本年新收政府信息公开申请数量6000006", "0行政规范性文件", "保留4", "位小数"]
    )
    assert [(t.kind, t.text) for t in tokens] == [
        ("label", "一、本年新收政府信息公开申请数量"),
        ("figure", "6000006"),
        ("figure", "0"),
        ("label", "行政规范性文件"),
        ("label", "保留4"),
        ("label", "位小数"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "│ 一、本年新收政府信息公开申请数量 │ 26 │        │   │  │   │   │ 26 │",
        "| 一、本年新收政府信息公开申请数量 | 26 |  |  |  |  |  | 26 |",
    ],
    ids=["box", "pipes"],
)
def test_blank_cells_of_a_drawn_grid_hold_their_columns(line: str) -> None:
    tokens = tokenize([line])
    assert [t.text for t in tokens if t.kind == "figure"] == ["26", "", "", "", "", "", "26"]


@pytest.mark.parametrize(
    "line",
    ["├────┼────┤", "| --- | --- | :---: |", "+-----+------+", "----------  ------"],
)
def test_rule_lines_are_no_tokens(line: str) -> None:
    assert tokenize([line]) == []


def test_prose_sentences_in_a_region_are_no_tokens() -> None:
    assert tokenize(["2023年度我局共收到依申请信息公开26件。"]) == []


def test_vertical_group_label_characters_stay_apart_from_row_figures() -> None:
    # 本 / 年 / 度 printed down the margin: "1" before "年" stays a figure.
    tokens = tokenize(["本 1 0 0 0 0 0 1", "年", "度"])
    assert [t.text for t in tokens if t.kind == "figure"] == ["1", "0", "0", "0", "0", "0", "1"]


def test_regions_start_at_the_section_heading_not_an_overview_paragraph() -> None:
    lines = [
        "一、总体情况",
        "（一）主动公开政府信息情况",
        "全年主动公开信息249条，其中政策解读9条",
        "二、主动公开政府信息情况",
        "规章 0 0 0",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量 26 0 0 0 0 0 26",
        "四、结转下年度继续办理 0 0 0 0 0 0 0",
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
        "五、存在的主要问题及改进情况",
        "无。",
    ]
    regions = find_regions(lines)
    assert regions["active_disclosure"] == ["规章 0 0 0"]
    assert regions["applications"][-1] == "四、结转下年度继续办理 0 0 0 0 0 0 0"
    assert regions["review_litigation"] == ["行政复议 行政诉讼", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"]
