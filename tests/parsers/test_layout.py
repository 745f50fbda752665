"""parsers/layout.py: page furniture and sentences broken by a page."""

from __future__ import annotations

import pytest

from parsers.layout import is_page_number, join_broken_lines


@pytest.mark.parametrize("line", ["- 4 -", "—4—", "－ 12 －", "第4页", "第 4 页 共 10 页", "3/10"])
def test_page_numbers(line: str) -> None:
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["13", "2021", "规章\t0", "一、总体情况", "-53\t1"])
def test_not_page_numbers(line: str) -> None:
    assert not is_page_number(line)


def test_sentence_across_a_page_break_is_joined() -> None:
    lines = [
        "并建立行政执法监督制度，持续加强“双随机、一公开”监管，并及时通过网站和新媒体通报监",
        "",
        "督结果。",
    ]
    assert join_broken_lines(lines) == [lines[0] + "督结果。"]


@pytest.mark.parametrize(
    "lines",
    [
        [
            "开封市祥符区人民政府2016年度政府信息公开工作年度报告",
            "",
            "",
            "根据《条例》规定，现公布…",
        ],
        ["一、总体情况", "2021年，全县政务公开工作…"],
        [
            "政务公开工作更加规范开展，确保各项任务落到实处取得实效",
            "",
            "存在问题：公开平台建设有待提升。",
        ],
        ["本年新收政府信息公开申请数量统计如下所示", "规章\t0\t0\t0"],
        ["围绕群众关切持续深化政务公开工作的主要做法", "(一) 基层政务公开。"],
    ],
)
def test_lines_that_must_stay_apart(lines: list[str]) -> None:
    assert [line for line in join_broken_lines(lines) if line] == [line for line in lines if line]


@pytest.mark.parametrize("line", ["-53", "－7", "-1238"])
def test_a_negative_figure_on_its_own_line_is_no_page_number(line: str) -> None:
    # 本年增/减 printed a cell per line (PyMuPDF, pdfminer): the figure stays.
    assert not is_page_number(line)
