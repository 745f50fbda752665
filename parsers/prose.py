"""Figures stated in prose: pre-2019 reports, and reports whose tables were images.

Only sentences that name their figure unambiguously are read: the counted thing, then the
number, then its unit (``共受理政府信息公开申请455件``, ``行政复议1次``).  Approximate
figures (``3000多条``, ``4325余条``) and clauses that lump reviews and lawsuits together
(``1起…行政复议和行政诉讼``) are not figures.  Each figure keeps the phrase it was read
from as its label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .layout import is_table_line
from .model import Value
from .numbers import MAX_DIGITS
from .patterns import lazy

__all__ = ["read_prose"]

# Not the tail of a longer number ("1 3件" is no "3件"), nor a decimal's fraction.
_NUM = rf"(?<![\d.])(?<!\d )(?P<n>\d{{1,{MAX_DIGITS}}})(?!\d)"
_UNIT = r"(?:件|条|项|个|宗|起|次|份)(?![多余])"
_GAP = r"[^，,。；;：:\d]{0,12}?"

# (table, row, column, word, pattern) – the pattern's group "n" is the figure.  The word is in
# every match (a test checks it): a clause without it is not searched, nor the pattern compiled.
_APPLICATION = r"(?:(?:政府)?信息公开(?:的)?申请|依申请(?:信息)?公开(?:政府信息)?(?:的)?(?:申请)?)"
_SCOPE = r"(?:我区|我县|我市|全区|全县|全市|本机关|本级)?"

_PATTERNS: tuple[tuple[str, str, str, str, re.Pattern[str]], ...] = (
    (  # 共收到依申请公开10件 / 受理政府信息公开申请455件 / 收到有关政府信息公开的申请7条
        "applications",
        "new_received",
        "total",
        "申请",
        lazy(
            r"(?:收到|受理|接收|接到|办理)"
            + _GAP
            + _APPLICATION
            + r"(?:共|共计|数量?为?)?"
            + _NUM
            + _UNIT
        ),
    ),
    (  # 2016年我区依申请公开4项
        "applications",
        "new_received",
        "total",
        "依申请公开",
        lazy(r"(?<![收理到])依申请公开(?:政府信息)?(?:申请)?(?:共|数量?为?)?" + _NUM + _UNIT),
    ),
    (  # 共收到70件申请 / 共受理12件政府信息公开申请
        "applications",
        "new_received",
        "total",
        "申请",
        lazy(
            r"(?:共|全年|本年度?)(?:收到|受理|接收)"
            + _NUM
            + _UNIT
            + r"(?:(?:政府)?信息公开|依申请公开)?(?:的)?申请"
        ),
    ),
    (
        "applications",
        "carried_over",
        "total",
        "结转",
        lazy(r"(?:上年度?结转|结转上年度?)" + _GAP + _NUM + _UNIT),
    ),
    (
        "applications",
        "carried_forward",
        "total",
        "下",
        # 13件结转下年度继续办理 / 另有103件顺延到下年度答复
        lazy(_NUM + _UNIT + r"(?:申请)?(?:结转|顺延)(?:至|到)?下(?:一)?年度?"),
    ),
    (
        "applications",
        "carried_forward",
        "total",
        "结转",
        lazy(r"结转(?:至|到)?下(?:一)?年度?(?:继续办理)?(?:的)?(?:申请)?" + _NUM + _UNIT),
    ),
    (  # 其中予以公开10件 / 同意公开10件 / 全部公开的12件
        "applications",
        "disclosed",
        "total",
        "公开",
        lazy(r"(?<![不分])(?:予以公开|同意公开|全部公开)(?:的)?(?:共|共计)?" + _NUM + _UNIT),
    ),
    (
        "applications",
        "partially_disclosed",
        "total",
        "部分公开",
        lazy(r"部分公开(?:的)?(?:共|共计)?" + _NUM + _UNIT),
    ),
    (  # 不予公开1件 / 不同意公开2件
        "applications",
        "withheld",
        "total",
        "公开",
        lazy(r"(?:不予公开|不同意公开)(?:的)?(?:共|共计)?" + _NUM + _UNIT),
    ),
    (  # 主动公开政府信息数3940条 / 主动公开我区各级单位政府信息2645条
        "active_disclosure",
        "all",
        "published",
        "主动公开",
        lazy(
            r"主动公开(?:了)?" + _SCOPE + r"(?:各级单位|各类)?政府信息(?:数|数量|总数)?"
            r"(?:共|共计|合计)?" + _NUM + r"(?:条|件|项)(?![多余])"
        ),
    ),
)

_REVIEW_RE = lazy(r"行政复议(?:案件)?(?:共|共计)?" + _NUM + _UNIT)
_LITIGATION_RE = lazy(r"(?:行政诉讼|提起诉讼|起诉)(?:案件)?(?:共|共计)?" + _NUM + _UNIT)
_OUTCOMES = (
    ("upheld", lazy(r"(?:结果)?维持" + _NUM + _UNIT)),
    ("corrected", lazy(r"(?:结果)?纠正" + _NUM + _UNIT)),
    ("other", lazy(r"其他结果" + _NUM + _UNIT)),
    ("pending", lazy(r"尚未审结" + _NUM + _UNIT)),
)
_CLAUSE_SPLIT_RE = lazy(r"[；;。]")
# Words right before a figure that make it one unit's or one channel's share of the total.
# ("本单位" is the publisher itself and stays.)
_PART_RE = lazy(r"县直|区直|市直|乡镇|街道|各部门|各单位|所属|网站|平台|通过|专栏")
_PART_WINDOW = 8
_DIGIT_RE = lazy(r"\d")


# A zero stated in words: no request received, no review or lawsuit brought.
_NONE = r"(?:未|没有|无|均未|并未|尚未)"
_ZERO_APPLICATIONS_RE = lazy(
    _NONE + r"(?:收到|受理|接到|接收|发生)[^，,。；;\d]{0,24}?"
    r"(?:政府信息公开|依申请公开|信息公开)[^，,。；;\d]{0,8}?申请"
    r"|" + _NONE + r"依申请公开(?:政府信息)?(?:的)?(?:申请|事项|情况)"
)
# "未经复议直接起诉" is 表四's column, not a zero: the negation must govern an event.
_ZERO_REVIEW_RE = lazy(
    _NONE + r"(?!经)(?:发生|出现|接到|收到|产生|有|提起|提出)?[^，,。；;\d]{0,30}?(?:复议|诉讼)"
    r"[^，,。；;\d]{0,16}"
)
_EVENT_RE = lazy(r"发生|出现|接到|收到|产生|提起|提出|情况|案件|事项")
_SUBCLAUSE_SPLIT_RE = lazy(r"[，,；;。]")
_NONE_WORD_RE = lazy(_NONE)
# Every figure pattern names one of these; a clause without them holds none of ours.
_TOPIC_RE = lazy(r"申请|公开|复议|诉讼|起诉|结转|顺延")


def _zero_values(clause: str) -> Iterable[Value]:
    """Zeros a sub-clause states in words, each labelled with its phrase."""
    for part in _SUBCLAUSE_SPLIT_RE.split(clause):
        if _DIGIT_RE.search(part) or _PART_RE.search(part):
            continue  # a figure or one unit's share is not a zero for the whole
        match = _ZERO_APPLICATIONS_RE.search(part)
        if match:
            yield Value("applications", "new_received", "total", 0, "prose", match.group(0))
        match = _ZERO_REVIEW_RE.search(part)
        if (
            match
            and "举报" not in part
            and "申诉" not in match.group(0)
            and _EVENT_RE.search(match.group(0))
        ):
            phrase = match.group(0)
            if "复议" in phrase:
                yield Value("review_litigation", "review", "total", 0, "prose", phrase)
            if "诉讼" in phrase:
                yield Value("review_litigation", "litigation", "total", 0, "prose", phrase)


def _review_clause(clause: str) -> Iterable[Value]:
    """A clause about reviews or lawsuits: its total and the outcomes it lists."""
    review = _REVIEW_RE.search(clause) if "复议" in clause else None
    litigation = _LITIGATION_RE.search(clause) if "诉" in clause else None
    if review and litigation:
        return  # both in one clause: which outcome belongs to which is not said
    match, row = (review, "review") if review else (litigation, "litigation")
    if match is None:
        return
    yield Value("review_litigation", row, "total", int(match["n"]), "prose", match.group(0))
    for column, pattern in _OUTCOMES:
        outcome = pattern.search(clause, match.end())
        if outcome:
            yield Value(
                "review_litigation", row, column, int(outcome["n"]), "prose", outcome.group(0)
            )


def read_prose(lines: Iterable[str]) -> tuple[list[Value], list[str]]:
    """Every unambiguous prose figure; a key stated twice with different figures is warned."""
    found: dict[tuple[str, str, str], Value] = {}
    warnings: list[str] = []

    def keep(value: Value) -> None:
        key = (value.table, value.row, value.column)
        first = found.get(key)
        if first is None:
            found[key] = value
        elif first.value != value.value:
            warnings.append(
                f"prose gives {value.table}/{value.row}/{value.column} twice: "
                f"{first.label!r} and {value.label!r}; the first is kept"
            )

    for line in lines:
        if is_table_line(line):
            continue
        if not _DIGIT_RE.search(line) and not _NONE_WORD_RE.search(line):
            continue  # neither a figure nor a zero in words
        for clause in _CLAUSE_SPLIT_RE.split(line):
            if _DIGIT_RE.search(clause) and _TOPIC_RE.search(clause):
                for table, row, column, word, pattern in _PATTERNS:
                    if word not in clause:
                        continue
                    for match in pattern.finditer(clause):
                        if _PART_RE.search(
                            clause[max(0, match.start() - _PART_WINDOW) : match.start()]
                        ):
                            continue  # "各乡镇主动公开政府信息602条": a part, not the total
                        keep(Value(table, row, column, int(match["n"]), "prose", match.group(0)))
                        break
                for value in _review_clause(clause):
                    keep(value)
            if _NONE_WORD_RE.search(clause):
                for value in _zero_values(clause):
                    keep(value)
    return list(found.values()), warnings
