"""parsers/normalize.py on the damage the real seeds carry, and on its edges."""

from __future__ import annotations

import difflib

import pytest

from parsers.normalize import (
    normalize_digits,
    normalize_text,
    normalize_whitespace,
    repair_mojibake,
    strip_markup,
    strip_pinyin,
    to_simplified,
)
from tests.conftest import SEED_NAMES, seed_text


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("番禺區(qū)以", "番禺區以"),
        ("發(fā)布", "發布"),
        ("監(jiān)督", "監督"),
        ("政務(wù)公開", "政務公開"),
        ("（試行）", "（試行）"),  # untoned bracket content is text, not pinyin
        ("規定(shi)", "規定(shi)"),  # no tone mark: left alone
        ("2021年(fā)", "2021年"),
        ("abc(fā)", "abc(fā)"),  # not after a Han character
    ],
)
def test_strip_pinyin(damaged: str, repaired: str) -> None:
    assert strip_pinyin(damaged) == repaired


def test_to_simplified() -> None:
    assert to_simplified("番禺區政府門戶網站發布") == "番禺区政府门户网站发布"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Real lines of seed 003: GBK bytes of traditional text decoded one byte late.
        ("?。ㄋ模┢脚_建設(shè)方面", "（四）平臺建設(shè)方面"),
        ("?。ㄎ澹┍O(jiān)督保障方面", "（五）監(jiān)督保障方面"),
    ],
)
def test_repair_mojibake(line: str, expected: str) -> None:
    assert repair_mojibake(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "本年新收政府信息公开申请数量?是否",  # a real question mark before text
        "问题? 答复",
        "2021年,全区共受理政府信息公开申请455件",
    ],
)
def test_repair_mojibake_leaves_sound_lines_alone(line: str) -> None:
    assert repair_mojibake(line) == line


def test_the_issue_example_heading_is_repaired_as_far_as_bytes_survive() -> None:
    # "?。ㄒ唬┲鲃庸_方面": the bytes of 公開 were partly lost by the broken converter,
    # so only what survives is restored: the numbering, 主动 and 方面.
    repaired = normalize_text("?。ㄒ唬┲鲃庸_方面")
    assert repaired.startswith("（一）主动")
    assert repaired.endswith("方面")


def test_seed_003_headings_after_full_normalisation() -> None:
    lines = normalize_text(seed_text("003_9a9840e34a30576e")).split("\n")
    assert "（四）平台建设方面" in lines
    assert "（五）监督保障方面" in lines
    assert "一、总体情况" in lines


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("管理方面</span>", "管理方面"),
        ("<b>二是</b>规范", "二是规范"),
        ("**二是规范公开流程。**建立", "二是规范公开流程。建立"),
        ("A&nbsp;B &lt;C&gt;", "A\xa0B <C>"),
        ("3*4=12", "3*4=12"),
    ],
)
def test_strip_markup(raw: str, clean: str) -> None:
    assert strip_markup(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("１２３件", "123件"),
        ("１７２３．２９５２", "1723.2952"),
        ("－５３", "-53"),
        ("１００％", "100%"),
        ("第2021－3号", "第2021－3号"),  # a dash between numbers is not a minus
    ],
)
def test_normalize_digits(raw: str, clean: str) -> None:
    assert normalize_digits(raw) == clean


def test_normalize_whitespace_keeps_cells() -> None:
    raw = "  规章 \t 0\t\u30000 \r\n\u200b行政\u00a0许可\t\t"
    assert normalize_whitespace(raw) == "规章\t0\t0\n行政许可\t\t"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("2024 年，受理 95 件", "2024年，受理95件"),  # PDF text around figures
        ("邮 编 ： 223100 ，", "邮编：223100，"),  # justified PDF lines
        ("1 0 0", "1 0 0"),  # figures stay apart
        ("WPS Office 文档", "WPS Office 文档"),  # Latin words keep their space
    ],
)
def test_spaces_in_chinese_text(raw: str, clean: str) -> None:
    assert normalize_whitespace(raw) == clean


def test_normalize_text_is_idempotent_on_seeds() -> None:
    for name in ("000_9eac42a2908535b6", "003_9a9840e34a30576e", "004_921786cd5a80cdaf"):
        once = normalize_text(seed_text(name))
        assert normalize_text(once) == once


_SENTENCE = "（一）主动公开方面，2021年共收到依申请公开10件。"


def test_utf8_read_as_gbk_is_undone() -> None:
    # As browsers decode it: GBK maps the byte 0x80 to €, so nothing is lost.
    assert repair_mojibake("锛堜竴锛変富鍔ㄥ叕寮€鏂归潰") == "（一）主动公开方面"


def test_utf8_read_as_gbk_with_lost_bytes_marks_the_loss() -> None:
    damaged = _SENTENCE.encode("utf-8").decode("gbk", errors="replace")
    repaired = repair_mojibake(damaged)
    assert repaired.startswith("（一）主动公")
    assert "2021年共收到依申请公" in repaired
    assert "\ufffd" in repaired  # what was lost stays visibly lost


def test_only_the_damaged_lines_of_the_seeds_change() -> None:
    changed = {
        name: [line for line in seed_text(name).split("\n") if repair_mojibake(line) != line]
        for name in SEED_NAMES
    }
    assert {name: len(lines) for name, lines in changed.items()} == {
        "000_9eac42a2908535b6": 0,
        "001_7b3c60a2029ed6a7": 0,
        "002_1802fb2dfce92170": 0,
        "003_9a9840e34a30576e": 4,  # the four "?。ㄒ…" section headings
        "004_921786cd5a80cdaf": 0,
    }


@pytest.mark.parametrize(
    "sound",
    [
        "政府信息公开工作年度报告，本年度共收到申请95件。",
        "依申请公开政府信息情况：予以公开50件，部分公开3件。",
    ],
)
@pytest.mark.parametrize("lost", [2, 3, 6])
def test_a_lost_lead_byte_costs_only_the_characters_around_it(sound: str, lost: int) -> None:
    raw = bytearray(sound.encode("gbk"))
    raw[lost * 2] = ord("?")  # a lead byte lost, shown as "?"
    damaged = bytes(raw).decode("gbk", errors="replace")
    repaired = repair_mojibake(damaged)
    kept = sum(b.size for b in difflib.SequenceMatcher(None, sound, repaired).get_matching_blocks())
    assert kept >= len(sound) - 3  # the lost character and the one or two it shifted


def test_each_lost_byte_rereads_only_its_own_stretch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Was: every lost byte re-read the whole rest of the line (31 s for 12 000 characters of
    "?中文"); the text re-read over all lost bytes is now at most the line itself."""
    import parsers.normalize as normalize

    read: list[int] = []
    original = normalize._redecode

    def counting(segment: str) -> str | None:
        read.append(len(segment))
        return original(segment)

    monkeypatch.setattr(normalize, "_redecode", counting)
    line = "?中文" * 4000
    normalize.repair_mojibake(line)
    assert len(read) == 4000 and sum(read) <= len(line)
