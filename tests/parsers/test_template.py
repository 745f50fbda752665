"""parsers/template.py: printed labels of both formats map to DESIGN.md's canonical keys."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from parsers.template import (
    ACTIVE_COLUMNS,
    ACTIVE_DEFAULT_COLUMNS,
    ACTIVE_ROWS,
    APPLICATION_ROWS,
    RESULT_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    label_key,
    match_label,
)

# The 2021 form's printed row labels (国办公开办函〔2021〕30号), as on the blank form.
FORM_2021_APPLICATION_LABELS = {
    "一、本年新收政府信息公开申请数量": "new_received",
    "二、上年结转政府信息公开申请数量": "carried_over",
    "（一）予以公开": "disclosed",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "partially_disclosed",
    "1.属于国家秘密": "withheld_state_secret",
    "2.其他法律行政法规禁止公开": "withheld_prohibited_by_law",
    "3.危及“三安全一稳定”": "withheld_three_safeties",
    "4.保护第三方合法权益": "withheld_third_party",
    "5.属于三类内部事务信息": "withheld_internal_affairs",
    "6.属于四类过程性信息": "withheld_process_info",
    "7.属于行政执法案卷": "withheld_enforcement_files",
    "8.属于行政查询事项": "withheld_query_matter",
    "1.本机关不掌握相关政府信息": "unavailable_not_held",
    "2.没有现成信息需要另行制作": "unavailable_needs_creation",
    "3.补正后申请内容仍不明确": "unavailable_unclear",
    "1.信访举报投诉类申请": "not_processed_petition",
    "2.重复申请": "not_processed_duplicate",
    "3.要求提供公开出版物": "not_processed_publication",
    "4.无正当理由大量反复申请": "not_processed_excessive",
    "5.要求行政机关确认或重新出具已获取信息": "not_processed_confirmation",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": "other_no_correction",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": "other_no_fee",
    "（七）总计": "total_handled",
    "四、结转下年度继续办理": "carried_forward",
}


@pytest.mark.parametrize(("label", "key"), FORM_2021_APPLICATION_LABELS.items())
def test_application_labels(label: str, key: str) -> None:
    assert match_label(label, APPLICATION_ROWS) == key


def test_every_result_row_but_other_has_a_label() -> None:
    # "other" is the 2019 "(六)其他处理" row or the 2021 sub-row "3.其他": matched by key.
    labelled = {key for key, _ in APPLICATION_ROWS}
    assert set(RESULT_ROWS) - labelled == {"other"}
    assert label_key("3.其他") == "其他"
    assert label_key("(六) 其他处理") == "其他处理"


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("规章", "regulations"),
        ("行政规范性文件", "normative_documents"),
        ("规范性文件", "normative_documents"),
        ("行政许可", "licensing"),
        ("其他对外管理服务事项", "other_services"),
        ("行政处罚", "penalties"),
        ("行政强制", "coercion"),
        ("行政事业性收费", "fees"),
        ("政府集中采购", "procurement"),
    ],
)
def test_active_rows(label: str, key: str) -> None:
    assert match_label(label, ACTIVE_ROWS) == key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("本年制发件数", "issued"),
        ("本年废止件数", "repealed"),
        ("现行有效件数", "in_force"),
        ("本年处理决定数量", "decisions"),
        ("本年收费金额（单位：万元）", "amount"),
        ("本年新制作数量", "new_made"),
        ("本年新公开数量", "new_published"),
        ("对外公开总数量", "total_published"),
        ("上一年项目数量", "prev_items"),
        ("本年增/减", "change"),
        ("处理决定数量", "decisions"),
        ("采购项目数量", "items"),
        ("采购总金额（单位：万元，保留4位小数）", "amount"),
    ],
)
def test_active_columns(label: str, key: str) -> None:
    assert match_label(label, ACTIVE_COLUMNS) == key


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("（三）不予公开 1、属于国家秘密", "属于国家秘密"),
        ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
        ("(一) 予以公开", "予以公开"),
    ],
)
def test_label_key(label: str, key: str) -> None:
    assert label_key(label).endswith(key)


# --- against the official blank 2021 form ----------------------------------------------------

FORM = Path(__file__).resolve().parent.parent / "fixtures" / "template" / "template_2021_blank.docx"


def _form_tables() -> list[list[list[str]]]:
    document = docx.Document(str(FORM))
    return [
        [[cell.text.strip() for cell in row.cells] for row in table.rows]
        for table in document.tables
    ]


def _row_label(cells: list[str]) -> str:
    """The most specific label of a form row: its last non-empty distinct text cell."""
    texts = [c for c in dict.fromkeys(cells) if c]
    return texts[-1]


def test_form_table_three_rows_map_to_every_key_once() -> None:
    table = _form_tables()[1]
    data_rows = table[3:]  # three header rows
    keys = []
    for cells in data_rows:
        label = _row_label(cells)
        key = match_label(label, APPLICATION_ROWS)
        if key is None and label_key(label) == "其他":
            key = "other"
        assert key is not None, label
        keys.append(key)
    expected = ["new_received", "carried_over", *RESULT_ROWS, "total_handled", "carried_forward"]
    assert keys == expected


def test_form_table_three_columns() -> None:
    header = _form_tables()[1][2]
    columns = [label_key(c) for c in dict.fromkeys(header[3:])]
    assert columns == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]


def test_form_table_two_rows_and_columns() -> None:
    table = _form_tables()[0]
    rows = {match_label(r[0], ACTIVE_ROWS) for r in table if match_label(r[0], ACTIVE_ROWS)}
    assert rows == {
        "regulations",
        "normative_documents",
        "licensing",
        "penalties",
        "coercion",
        "fees",
    }
    headers = {match_label(c, ACTIVE_COLUMNS) for r in table if r[0] == "信息内容" for c in r[1:]}
    assert headers == {"issued", "repealed", "in_force", "decisions", "amount"}
    assert ACTIVE_DEFAULT_COLUMNS["2021"]["fees"] == ("amount",)


def test_form_table_four_layout() -> None:
    table = _form_tables()[2]
    assert len(table[2]) == len(REVIEW_ROWS) * len(REVIEW_COLUMNS)
    outcomes = [label_key(c) for c in table[2][:5]]
    assert outcomes == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
