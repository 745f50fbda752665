"""parsers/prose.py: only figures a sentence names unambiguously."""

from __future__ import annotations

import pytest

from parsers.prose import read_prose


def _figures(text: str) -> set[tuple[str, str, str, int]]:
    values, _ = read_prose(text.split("\n"))
    return {(v.table, v.row, v.column, v.value) for v in values}


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("2021年共收到依申请公开10件，已全部办结。", ("applications", "new_received", "total", 10)),
        ("全年共受理依申请公开政府信息13件。", ("applications", "new_received", "total", 13)),
        ("2016年我区依申请公开4项。", ("applications", "new_received", "total", 4)),
        ("本年度共收到政府信息公开申请28件。", ("applications", "new_received", "total", 28)),
        ("结转上年度政府信息公开申请9件。", ("applications", "carried_over", "total", 9)),
        (
            "其中451件按时办结，13件结转下年度继续办理。",
            ("applications", "carried_forward", "total", 13),
        ),
        ("一年来，主动公开政府信息数3940条。", ("active_disclosure", "all", "published", 3940)),
        ("因政府信息公开申请行政复议1次。", ("review_litigation", "review", "total", 1)),
    ],
)
def test_figures_read(sentence: str, figure: tuple[str, str, str, int]) -> None:
    assert figure in _figures(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "通过电视台播发新闻信息3000多条。",  # approximate
        "全年发布各类公开信息4325余条。",  # approximate
        "发生1起针对2019年政府信息公开事务的行政复议和行政诉讼。",  # lumped together
        "共收到来信来访185条，办结率100%。",  # not information-disclosure requests
        "区政府门户网站搭建依申请公开系统。",  # no figure
        "接受网友提问件2320件，均按时给予答复。",
    ],
)
def test_no_figure_read(sentence: str) -> None:
    assert _figures(sentence) == set()


def test_review_outcomes_stay_with_their_clause() -> None:
    text = (
        "所作答复被行政复议共18件，其中结果维持15宗，结果纠正0宗，其他结果2宗，尚未审结1宗；"
        "被行政诉讼10件，其中结果维持3宗，结果纠正0宗，其他结果4宗，尚未审结3宗。"
    )
    got = _figures(text)
    assert ("review_litigation", "review", "upheld", 15) in got
    assert ("review_litigation", "litigation", "upheld", 3) in got
    assert ("review_litigation", "litigation", "pending", 3) in got


def test_table_rows_are_not_prose() -> None:
    assert _figures("一、本年新收政府信息公开申请数量\t6\t0\t0\t0\t0\t0\t6") == set()


def test_disagreeing_repetition_is_warned() -> None:
    values, warnings = read_prose(["共收到依申请公开10件。", "全年收到依申请公开12件。"])
    assert [v.value for v in values] == [10]
    assert warnings and "twice" in warnings[0]
