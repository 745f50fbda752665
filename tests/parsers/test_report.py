"""Golden tests: every figure of the five real seed bodies, field by field.

The ``*.expected.json`` files beside the seeds were written by reading each text.  Their
format: scalar fields as in the JSON output; ``sections`` as [number, heading];
``active_disclosure`` as row → column → figure; ``applications`` as row → the seven
applicant columns in printed order (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构,
其他, 总计), where null is a cell the printed row does not let anyone place;
``review_litigation`` as row → [维持, 纠正, 其他, 未审结, 总计]; ``prose`` as
[table, row, column, figure, printed phrase]; ``checks`` as [check, subject, ok].
"""

from __future__ import annotations

from typing import Any

import pytest

from parsers import parse_report
from tests.conftest import FIXTURES, SEED_NAMES, expected_table_cells, golden, parsed_seed

_SCALARS = ("publisher", "publisher_level", "year", "template", "title", "publish_date")


def _expected_table_cells(name: str) -> dict[tuple[str, str, str], Any]:
    return expected_table_cells(golden(name))


def _cell_cases() -> list[Any]:
    return [
        pytest.param(name, key, value, id=f"{name[:3]}-{'/'.join(key)}")
        for name in SEED_NAMES
        for key, value in _expected_table_cells(name).items()
    ]


def _prose_cases() -> list[Any]:
    return [
        pytest.param(name, *entry, id=f"{name[:3]}-{'/'.join(entry[:3])}")
        for name in SEED_NAMES
        for entry in golden(name)["prose"]
    ]


@pytest.mark.parametrize("field", _SCALARS)
def test_scalar_fields(seed_name: str, field: str) -> None:
    assert getattr(parsed_seed(seed_name), field) == golden(seed_name)[field]


def test_sections(seed_name: str) -> None:
    report = parsed_seed(seed_name)
    got = [[section.number, section.heading] for section in report.sections]
    assert got == golden(seed_name)["sections"]


@pytest.mark.parametrize(("name", "key", "expected"), _cell_cases())
def test_table_cell(name: str, key: tuple[str, str, str], expected: Any) -> None:
    got = parsed_seed(name).value(*key)
    if expected is None:
        assert got is None, f"{'/'.join(key)} cannot be read from the printed row"
        return
    assert got == expected
    assert type(got) is type(expected)


def test_no_table_figure_beyond_golden(seed_name: str) -> None:
    expected = {key for key, value in _expected_table_cells(seed_name).items() if value is not None}
    got = {(v.table, v.row, v.column) for v in parsed_seed(seed_name).values if v.source == "table"}
    assert got == expected


@pytest.mark.parametrize(("name", "table", "row", "column", "value", "label"), _prose_cases())
def test_prose_figure(name: str, table: str, row: str, column: str, value: int, label: str) -> None:
    matches = [
        v
        for v in parsed_seed(name).values
        if (v.table, v.row, v.column, v.source) == (table, row, column, "prose")
    ]
    assert [(m.value, m.label) for m in matches] == [(value, label)]


def test_no_prose_figure_beyond_golden(seed_name: str) -> None:
    expected = {tuple(entry[:3]) for entry in golden(seed_name)["prose"]}
    got = {(v.table, v.row, v.column) for v in parsed_seed(seed_name).values if v.source == "prose"}
    assert got == expected


def test_check_outcomes(seed_name: str) -> None:
    got = sorted((c.check, c.subject, c.ok) for c in parsed_seed(seed_name).checks)
    expected = sorted(tuple(entry) for entry in golden(seed_name)["checks"])
    assert got == expected


def test_every_left_out_cell_is_explained() -> None:
    """Seed 001's unreadable cells are absent *and* named in a warning."""
    report = parsed_seed("001_7b3c60a2029ed6a7")
    explained = [w for w in report.warnings if "left out (ambiguous)" in w]
    assert len(explained) == 18  # the 18 result rows printed with 6 figures


# --- text-level expectations named by the corpus index ------------------------------------


def test_chrome_of_whole_page_is_absent() -> None:
    report = parsed_seed("004_921786cd5a80cdaf")
    body = "\n".join(section.text for section in report.sections)
    assert "现公布开封市祥符区2016年度" not in body  # the preamble is not a section
    assert "主动公开政府信息数3940条" in body
    assert "增强工作积极性和主动性。" in report.sections[-1].text
    for chrome in ("热点排行", "图片新闻", "最新新闻", "当前位置", "次浏览", "分享到", "RSS订阅"):
        assert chrome not in body


def test_traditional_text_becomes_simplified() -> None:
    report = parsed_seed("003_9a9840e34a30576e")
    body = "\n".join(section.text for section in report.sections)
    assert "全区共受理政府信息公开申请455件" in body
    assert "（四）平台建设方面" in body  # an out-of-phase GBK line, repaired
    assert "（五）监督保障方面" in body
    for damage in ("區", "發", "(qū)", "(fā)", "</span>", "ㄋ模"):
        assert damage not in body
    assert not report.sections[-1].text.endswith(".pdf")  # the file name is the title


def test_sentence_broken_by_page_is_rejoined() -> None:
    report = parsed_seed("002_1802fb2dfce92170")
    assert "通报监督结果。" in report.sections[0].text


def test_markdown_emphasis_is_dropped() -> None:
    report = parsed_seed("001_7b3c60a2029ed6a7")
    text = report.sections[0].text
    assert "二是规范公开流程。" in text
    assert "**" not in text


def test_inner_outline_is_not_a_section() -> None:
    report = parsed_seed("000_9eac42a2908535b6")
    first = report.sections[0].text
    assert "一、主动公开情况" in first
    assert "五、监督保障情况" in first


# The opening sentence the 2021 format prescribes, as reports without a title line print it.
_UNTITLED_2021 = (
    "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与"
    "政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
    "（国办公开办函〔2021〕30号）要求编制。本报告中所列数据的统计期限自2022年1月1日起至"
    "2022年12月31日止。\n一、总体情况\n全年工作稳步推进。\n二、主动公开政府信息情况\n"
)


def test_untitled_body_takes_year_from_period_and_template_from_citation() -> None:
    report = parse_report(_UNTITLED_2021)
    assert (report.year, report.template, report.publisher) == (2022, "2021", None)
    assert any("〔2021〕30号" in w for w in report.warnings)


def _opening(name: str) -> str:
    return (FIXTURES / "openings" / f"{name}.txt").read_text("utf-8")


# Figures read off the excerpts' own text (pipe rows, header spans collapsed).
_LONGGANG = {
    ("active_disclosure", "normative_documents", "issued"): 5,
    ("active_disclosure", "normative_documents", "repealed"): 1,
    ("active_disclosure", "normative_documents", "in_force"): 25,
    ("applications", "new_received", "natural_person"): 58,
    ("applications", "new_received", "commercial"): 7,
    ("applications", "new_received", "legal_service"): 1,
    ("applications", "new_received", "total"): 66,
    ("applications", "carried_over", "total"): 2,
    ("applications", "disclosed", "commercial"): 1,
    ("applications", "disclosed", "total"): 3,
    ("applications", "partially_disclosed", "natural_person"): 16,
    ("applications", "partially_disclosed", "total"): 17,
    ("applications", "withheld_internal_affairs", "total"): 1,
    ("applications", "withheld_process_info", "total"): 0,
}


@pytest.mark.parametrize(("key", "expected"), _LONGGANG.items(), ids=lambda k: str(k))
def test_pipe_rows_of_a_real_report(key: tuple[str, str, str], expected: int) -> None:
    report = parse_report(_opening("longgang_2024_excerpt"))
    assert report.value(*key) == expected


def test_pipe_rows_labels_are_the_rows_own() -> None:
    report = parse_report(_opening("longgang_2024_excerpt"))
    labels = {v.row: v.label for v in report.values if v.table == "active_disclosure"}
    assert labels["regulations"] == "规章"
    assert (report.year, report.template) == (2024, "2021")


def test_zero_in_words_beside_a_table_of_zeros() -> None:
    report = parse_report(_opening("zhanjiang_dfz_2023_excerpt"))
    assert report.publisher == "湛江市人民政府地方志办公室"
    prose = [v for v in report.values if v.source == "prose"]
    # 全年未收到行政许可申请 is no figure of ours; 全年未接到信息公开申请 is a 0.
    assert [(v.row, v.column, v.value, v.label) for v in prose] == [
        ("new_received", "total", 0, "未接到信息公开申请")
    ]
    assert report.value("applications", "new_received", "total") == 0
    check = next(c for c in report.checks if c.subject == "applications/new_received/total")
    assert check.ok
