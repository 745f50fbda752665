"""Who published a report, for which year, under which title, and when.

The title line names the publisher and the covered year
(``祥符区人民政府2021年政府信息公开工作年度报告``); when a body has no title line the
attachment's file name often closes it (seed 003).  The covered year is the year in the
title, not the publication year.
"""

from __future__ import annotations

import functools
import itertools
import re

from .patterns import lazy

__all__ = [
    "find_publish_date",
    "find_publisher_in_body",
    "find_title",
    "find_year_in_opening",
    "find_year_in_text",
    "has_report_opening",
    "is_about_a_report",
    "parse_title",
    "publisher_level",
]

_TITLE_RE = lazy(r"(?:政府信息公开|政务公开|信息公开).{0,12}(?:年度报告|年报|工作报告)")
_FILE_SUFFIX_RE = lazy(r"\.(?:pdf|docx?|wps|txt|html?)$", re.IGNORECASE)
_MAX_TITLE = 80
_MAX_PUBLISHER_LINE = 30
_LEADING_YEAR_RE = lazy(r"^(?:19|20)\d{2}\s*年")
_HEAD_LINES = 40
_TAIL_LINES = 4
_YEAR_RE = lazy(r"(?P<year>(?:19|20)\d{2})\s*年(?:度)?")
_YEAR_IN_BRACKETS_RE = lazy(r"[(（](?P<year>(?:19|20)\d{2})\s*年度?[)）]")
_PUBLISHER_TAIL_RE = lazy(r"^(?P<pub>.*?)(?:政府信息公开|政务公开|信息公开)")
_PERIOD_RE = lazy(
    r"(?:统计期限|统计期间|统计时限|统计时间|时间范围)[^。]{0,8}?为?(?P<year>(?:19|20)\d{2})年1月1日"
)
_DATE_LINE_RE = lazy(
    r"(?:发布时间|发布日期|公开日期|成文日期|印发日期|日期)\s*[:：]?\s*"
    r"(?P<y>(?:19|20)\d{2})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})"
)
_SIGNATURE_DATE_RE = lazy(r"^(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")


def _clean(text: str) -> str:
    return text.strip(' \t:：,，.。、|-—_"“”《》()（）')


def _publisher_line(line: str) -> bool:
    """A short line that can be the first half of a title set on two lines."""
    text = line.strip()
    return (
        0 < len(text) <= _MAX_PUBLISHER_LINE
        and "\t" not in line
        and not re.search(r"[\d。，,：:；;]", text)
        and not _TITLE_RE.search(text)
    )


def find_title(lines: list[str]) -> str | None:
    """The report's title: near the top, else an attachment file name near the end.

    PDFs often set it on two lines (淮安市人民政府 / 2024年政府信息公开工作年度报告): a
    title line that opens with the year takes the short line above it as its publisher.
    """
    head = lines[:_HEAD_LINES]
    tail = lines[-_TAIL_LINES:] if len(lines) > _HEAD_LINES else []
    for index, line in [*enumerate(head), *((None, t) for t in reversed(tail))]:
        text = _FILE_SUFFIX_RE.sub("", line.strip())
        if "\t" in line or len(text) > _MAX_TITLE or not _TITLE_RE.search(text):
            continue
        if not _YEAR_RE.search(text):
            continue
        if index and _LEADING_YEAR_RE.match(text):
            above = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
            if _publisher_line(above):
                text = above.strip() + text
        return _clean(text)
    return None


def parse_title(title: str) -> tuple[str | None, int | None]:
    """(publisher, covered year) as the title prints them."""
    bracketed = _YEAR_IN_BRACKETS_RE.search(title)
    match = _YEAR_RE.search(title)
    if match is None:
        return None, None
    year = int((bracketed or match)["year"])
    publisher = _clean(title[: match.start()])
    if not publisher:
        tail = _PUBLISHER_TAIL_RE.match(title[match.end() :])
        if tail:
            publisher = _clean(tail["pub"])
            if publisher.endswith("人民"):
                publisher += "政府"  # "…区人民政府信息公开…" shares 政府
    publisher = re.sub(r"^关于|关于$", "", publisher).strip()
    return (publisher or None), year


# Who signs or answers for a report, when no title names it.
_ORGAN = (
    r"[\u4e00-\u9fff（）()]{2,30}?"
    r"(?:人民政府|政府|管理委员会|管委会|委员会|局|委|办公室|办|中心|街道办事处|院|所|队|处)"
)
_SIGNATURE_NAME_RE = lazy(rf"^(?P<pub>{_ORGAN})$")
_SIGNATURE_DATE_LINE_RE = lazy(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$")


# (where, a word every match holds, pattern): a pattern is compiled and tried only on lines
# that hold its word (the wide CJK class costs milliseconds to compile, at every start-up).
_BODY_PUBLISHER = (
    (
        "the opening sentence",
        "编制",
        rf"编制(?P<pub>{_ORGAN})(?:19|20)\d{{2}}年(?:度)?政府信息公开工作年度报告",
    ),
    (
        "the compiling sentence",
        "编制",
        rf"(?:本(?:年度)?报告|要求)[,，]?由(?P<pub>{_ORGAN})(?:根据|依据|按照|组织)?编制",
    ),
    (
        "the contact sentence",
        "联系",
        rf"(?:请|直接|可|或)(?:与|联系)(?P<pub>{_ORGAN})(?:联系|。|，|,|（|\()",
    ),
    ("the source line", "来源", rf"^(?:信息)?来源\s*[:：]\s*(?P<pub>{_ORGAN})\s*$"),
)


@functools.cache
def _body_publisher_re(source: str) -> re.Pattern[str]:
    return re.compile(source)


# A government's office answers for it: 民权县人民政府办公室 → 民权县人民政府.
_OFFICE_RE = lazy(r"(?<=政府)(?:办公室|办公厅|办)[\u4e00-\u9fff]*$|(?<=[局委])办公室$")
_PLACE_RE = lazy(r"[\u4e00-\u9fff][省市县区旗州盟镇乡]|街道")


def _publisher_name(name: str) -> str | None:
    name = _OFFICE_RE.sub("", name.strip())
    # A bare 县政府办公室 names nobody: the name must carry its place.
    if not _PLACE_RE.search(name[:-2]) or name.startswith(("本", "我", "该")):
        return None
    return name


def find_publisher_in_body(lines: list[str]) -> tuple[str, str] | None:
    """(publisher, where it was read) from a signature, the contact or compiling sentence,
    or a source line — for bodies whose title is missing or names no publisher."""
    tail = [line.strip() for line in lines if line.strip()][-8:]
    for above, below in itertools.pairwise(tail):
        match = _SIGNATURE_NAME_RE.match(above)
        if match and _SIGNATURE_DATE_LINE_RE.match(below):
            name = _publisher_name(match["pub"])
            if name:
                return name, "the signature"
    for where, word, source in _BODY_PUBLISHER:
        for line in lines:
            if word not in line:
                continue
            match = _body_publisher_re(source).search(line.strip())
            if match:
                name = _publisher_name(match["pub"])
                if name:
                    return name, where
    return None


_YEAR_OF_REPORT_RE = lazy(r"(?P<year>(?:19|20)\d{2})\s*年度")
# The opening reports since 2008 share: 本(年度)报告根据《中华人民共和国政府信息公开条例》.
_OPENING_RE = lazy(
    r"本(?:年度)?(?:报告|年报)(?:是)?(?:根据|依据|按照)《中华人民共和国政府信息公开条例》"
    r"|根据《中华人民共和国政府信息公开条例》[^。]{0,20}编制[^。]{0,40}(?:年度报告|年报)"
)


def find_year_in_text(text: str) -> int | None:
    """The covered year from a statistics-period sentence (本报告中使用数据统计期限为…)."""
    match = _PERIOD_RE.search(text)
    return int(match["year"]) if match else None


def find_year_in_opening(lines: list[str]) -> int | None:
    """The covered year from the opening sentence's 'YYYY年度' (综合2017年度…编制)."""
    for line in lines[:_HEAD_LINES]:
        if _OPENING_RE.search(line):
            match = _YEAR_OF_REPORT_RE.search(line)
            return int(match["year"]) if match else None
    return None


# A title naming the report but heading something about it: 《…年度报告》解读, 图解, 一图读懂.
_ABOUT_A_REPORT_RE = lazy(r"解读|图解|一图读懂|政策问答|答记者问")


def is_about_a_report(title: str) -> bool:
    """The title heads an interpretation of a report (解读, 图解 …), not the report."""
    return _ABOUT_A_REPORT_RE.search(title) is not None


def has_report_opening(text: str) -> bool:
    """The body opens the way reports do: 本报告根据《中华人民共和国政府信息公开条例》…"""
    return _OPENING_RE.search(text[:4000]) is not None


def find_publish_date(lines: list[str]) -> str | None:
    """ISO date from a page metadata line, else from a signature date closing the text."""
    for line in lines[:_HEAD_LINES]:
        match = _DATE_LINE_RE.search(line)
        if match:
            return f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}"
    for line in [line.strip() for line in lines[-6:]]:
        match = _SIGNATURE_DATE_RE.match(line)
        if match:
            return f"{match['y']}-{int(match['m']):02d}-{int(match['d']):02d}"
    return None


_TOWNSHIP_RE = lazy(r"(?:乡|镇|街道|街道办事处|苏木)(?:人民政府)?$")
_GOVERNMENT_RE = lazy(r"(?:县|区|旗|市|特区|林区)(?:人民政府|政府)$")


def publisher_level(publisher: str | None) -> str | None:
    """``county_government``, ``township`` or ``department``."""
    if not publisher:
        return None
    if _TOWNSHIP_RE.search(publisher):
        return "township"
    if _GOVERNMENT_RE.search(publisher) or publisher.endswith(("管委会", "管理委员会")):
        return "county_government"
    return "department"


_HAN = r"[\u4e00-\u9fff]"


@functools.cache
def _prefix_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled on first use (the crawler's keys, never a parse): a province- or
    prefecture-level prefix followed by a county-level unit and its organ, and a county-level
    prefix followed by a township-level unit and its organ."""
    upper = re.compile(
        rf"^{_HAN}{{1,8}}?(?:省|自治区|自治州|市|州|盟|地区)(?![省市州县区盟])"
        rf"(?={_HAN}{{1,6}}?(?:自治县|县|区|旗|市|特区|林区){_HAN}{{2,}}$)"
    )
    county = re.compile(
        rf"^{_HAN}{{1,8}}?(?:自治县|县|区|旗|市)(?={_HAN}{{1,6}}?(?:乡|镇|街道|苏木){_HAN}*$)"
    )
    return upper, county


def publisher_key(publisher: str | None) -> str:
    """The publisher with the names of the units above it removed, for matching across years.

    Reports of one publisher name it differently from year to year (淮安市洪泽区人民政府,
    洪泽区人民政府; 民权县人和镇人民政府, 人和镇人民政府). The key is only meaningful within
    one site; the publisher is always stored as printed.
    """
    if not publisher:
        return ""
    upper, county = _prefix_res()
    key = re.sub(r"\s+", "", publisher)
    while True:
        stripped = upper.sub("", key, count=1)
        if stripped == key:
            break
        key = stripped
    return county.sub("", key, count=1)
