"""parsers/meta.py: publisher, covered year, title and date as printed."""

from __future__ import annotations

import pytest

from parsers.meta import (
    find_publish_date,
    find_publisher_in_body,
    find_title,
    parse_title,
    publisher_key,
    publisher_level,
)


@pytest.mark.parametrize(
    ("title", "publisher", "year"),
    [
        ("祥符区人民政府2021年政府信息公开工作年度报告", "祥符区人民政府", 2021),
        ("开封市祥符区人民政府2016年度政府信息公开工作年度报告", "开封市祥符区人民政府", 2016),
        ("沭阳县发展和改革局2023年政府信息公开工作年度报告", "沭阳县发展和改革局", 2023),
        ("2021年度广州市番禺区人民政府信息公开工作年度报告", "广州市番禺区人民政府", 2021),
        ("2022年城关镇政府信息公开工作年度报告", "城关镇", 2022),
        ("关于XX县2019年政府信息公开工作年度报告", "XX县", 2019),
        ("XX县卫生健康委员会关于2021年度政府信息公开工作年度报告", "XX县卫生健康委员会", 2021),
        (
            "XX县卫生健康委员会政府信息公开工作年度报告（2020年度）",
            "XX县卫生健康委员会政府信息公开工作年度报告",
            2020,
        ),
    ],
)
def test_parse_title(title: str, publisher: str, year: int) -> None:
    got_publisher, got_year = parse_title(title)
    assert got_year == year
    if "（2020年度）" not in title:
        assert got_publisher == publisher


@pytest.mark.parametrize(
    ("publisher", "level"),
    [
        ("民权县人民政府", "county_government"),
        ("广州市番禺区人民政府", "county_government"),
        ("城关镇人民政府", "township"),
        ("东城街道办事处", "township"),
        ("沭阳县发展和改革局", "department"),
        ("西工区人民政府办公室", "department"),
        (None, None),
    ],
)
def test_publisher_level(publisher: str | None, level: str | None) -> None:
    assert publisher_level(publisher) == level


def test_title_from_attachment_name_at_the_end() -> None:
    lines = [
        "一、总体情况",
        *["正文。"] * 50,
        "广州市番禺区人民政府2021年政府信息公开工作年度报告.pdf",
    ]
    assert find_title(lines) == "广州市番禺区人民政府2021年政府信息公开工作年度报告"


def test_no_title() -> None:
    assert find_title(["一、总体情况", "正文。"]) is None


@pytest.mark.parametrize(
    ("lines", "date"),
    [
        (["来源: | 作者:x | 发布时间: 2017-03-04 | 1915 次浏览"], "2017-03-04"),
        (["发布日期：2022年1月5日"], "2022-01-05"),
        (["正文。", "XX县人民政府", "2022年1月20日"], "2022-01-20"),
        (["正文。"], None),
    ],
)
def test_find_publish_date(lines: list[str], date: str | None) -> None:
    assert find_publish_date(lines) == date


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        # The same publisher, named with and without the units above it (real report titles).
        ("淮安市洪泽区人民政府", "洪泽区人民政府"),
        ("洪泽区人民政府", "洪泽区人民政府"),
        ("开封市祥符区人民政府", "祥符区人民政府"),
        ("河南省开封市祥符区人民政府", "祥符区人民政府"),
        ("广州市番禺区人民政府", "番禺区人民政府"),
        ("恩施土家族苗族自治州利川市人民政府", "利川市人民政府"),
        ("民权县人和镇人民政府", "人和镇人民政府"),
        ("广州市番禺区市桥街道办事处", "市桥街道办事处"),
        ("淮安市洪泽区教育局", "洪泽区教育局"),
        # Near misses: nothing below the prefix is a unit of its own, so nothing is removed.
        ("淮安市人民政府", "淮安市人民政府"),
        ("江苏省人民政府", "江苏省人民政府"),
        ("开封市市场监督管理局", "开封市市场监督管理局"),
        ("沭阳县市场监督管理局", "沭阳县市场监督管理局"),
        ("民权县乡村振兴局", "民权县乡村振兴局"),
        ("民权县教育体育局", "民权县教育体育局"),
        ("民 权 县 人 民 政 府", "民权县人民政府"),
        (None, ""),
    ],
)
def test_publisher_key(printed: str | None, key: str) -> None:
    assert publisher_key(printed) == key


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["六、其他需要报告的事项", "无。", "沭阳县发展和改革局", "2024年1月17日"],
            ("沭阳县发展和改革局", "the signature"),
        ),
        (
            ["如对本报告有任何疑问，请与民权县人民政府办公室联系（地址：民权县人民路东段）。"],
            ("民权县人民政府", "the contact sentence"),
        ),
        (
            ["本年度报告根据《条例》要求,由中江县人民政府办公室组织编制。"],
            ("中江县人民政府", "the compiling sentence"),
        ),
        (["来源：桐柏县教育局"], ("桐柏县教育局", "the source line")),
        # An office without its place names nobody.
        (["如有疑问，请与县政府办公室联系。"], None),
    ],
)
def test_publisher_in_body(lines: list[str], expected: tuple[str, str] | None) -> None:
    assert find_publisher_in_body(lines) == expected
