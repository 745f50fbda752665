"""parsers/sections.py: top-level sections despite inner outlines and broken headings."""

from __future__ import annotations

import pytest

from parsers.sections import parse_chinese_numeral, split_sections


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("", None),
        ("十十", None),
    ],
)
def test_parse_chinese_numeral(text: str, number: int | None) -> None:
    assert parse_chinese_numeral(text) == number


def _headings(lines: list[str]) -> list[tuple[int, str]]:
    return [(s.number, s.heading) for s in split_sections(lines)[1]]


def test_inner_outline_restarting_at_one() -> None:
    lines = [
        "XX县人民政府2021年政府信息公开工作年度报告",
        "一、总体情况",
        "概述。",
        "一、深化重点领域信息公开",
        "二、加强政策解读和回应关切",
        "三、深入推进决策和执行公开",
        "二、主动公开政府信息情况",
        "规章\t0\t0\t0",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "无",
    ]
    assert [n for n, _ in _headings(lines)] == [1, 2, 3, 4, 5, 6]
    preamble, sections = split_sections(lines)
    assert preamble == lines[:1]
    assert "三、深入推进决策和执行公开" in sections[0].text
    assert sections[1].text == "规章\t0\t0\t0"


def test_heading_broken_across_lines() -> None:
    lines = [
        "一、总体情况",
        "正文。",
        "四、政府信息公开行政复议、行政",
        "诉讼情况",
        "表四",
        "五、存在的主要问题及改进情况",
    ]
    assert _headings(lines) == [
        (1, "总体情况"),
        (4, "政府信息公开行政复议、行政诉讼情况"),
        (5, "存在的主要问题及改进情况"),
    ]


def test_table_rows_are_never_headings() -> None:
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t6\t0\t0\t0\t0\t0\t6",
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    assert [n for n, _ in _headings(lines)] == [3, 4]


def test_text_without_headings() -> None:
    preamble, sections = split_sections(["只有正文。", "没有编号。"])
    assert sections == []
    assert preamble == ["只有正文。", "没有编号。"]
