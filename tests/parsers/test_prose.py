"""parsers/prose.py: only figures a sentence names unambiguously."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.prose import _LITIGATION_RE, _PATTERNS, _REVIEW_RE, read_prose


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


# Sentences of real pre-2019 and 2021 reports of 平潭 (changwu/pingtan-gov-zwgk-archive,
# zfxxgknb 201401/80754 and 201701/80485 and 202202/80613, page.txt), quoted verbatim.
PINGTAN_2013 = (
    "2013年制作、获取政府信息总数3618条，其中主动公开政府信息1853条，作为依申请公开信息数107条，"
    "不予公开信息数1658条。主动公开的政府信息，县直各单位主动公开政府信息1251条，占67.5%。"
    "各乡镇主动公开政府信息602条，占32.5%。"
)
PINGTAN_2013_REQUESTS = (
    "2013年全县共收到有关政府信息公开的申请7条，网上申请数3条，信函申请数4条；"
    "对依申请公开的答复总数3条，其中同意公开答复数2条，其它公开答复数1条；"
)
PINGTAN_2016 = (
    "2016年全区主动公开政府信息3460条。其中，区管委会及区直各部门主动公开政府信息1822条，"
    "占53%。各乡镇主动公开政府信息1638条，占47%"
)
PINGTAN_2021 = "本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。"
PINGTAN_2021_ACTIVE = (
    "全年主动公开我区各级单位政府信息2645条，主要通过政府网站、政务新媒体进行公开。"
)


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        (PINGTAN_2013, {("active_disclosure", "all", "published", 1853)}),
        (PINGTAN_2013_REQUESTS, {("applications", "new_received", "total", 7)}),
        (PINGTAN_2016, {("active_disclosure", "all", "published", 3460)}),
        (
            PINGTAN_2021,
            {
                ("applications", "new_received", "total", 70),
                ("applications", "carried_forward", "total", 1),
            },
        ),
        (PINGTAN_2021_ACTIVE, {("active_disclosure", "all", "published", 2645)}),
    ],
)
def test_real_sentences(text: str, figures: set[tuple[str, str, str, int]]) -> None:
    assert _figures(text) == figures


def test_parts_of_the_total_raise_no_warning() -> None:
    _, warnings = read_prose([PINGTAN_2016])
    assert warnings == []


_GATED = [(word, pattern) for _, _, _, word, pattern in _PATTERNS] + [
    ("复议", _REVIEW_RE),
    ("诉", _LITIGATION_RE),
]


@pytest.mark.parametrize(("word", "pattern"), _GATED, ids=[p.pattern[:24] for _, p in _GATED])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_match_holds_the_word_its_pattern_is_gated_by(
    word: str, pattern: re.Pattern[str], data: st.DataObject
) -> None:
    """A clause without the word is never searched: no text the pattern matches may lack it."""
    match = data.draw(st.from_regex(re.compile(pattern.pattern), fullmatch=True))
    assert word in match
