"""Split body text into its numbered top-level sections.

Reports number their sections 一、二、三 … but many restart an inner outline with 一、
inside a section (seed 000: 一、总体情况 then 一、主动公开情况 … 五、监督保障情况, then the
real 二、主动公开政府信息情况), skip a number, or break a heading across two lines.  The
top-level headings are therefore chosen as the heaviest strictly increasing run of
numbers, where a heading whose title is a known section title for its number weighs most
(``template.SECTION_TITLES``), a known title under another number less, anything else 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import TOP_HEADING_RE, is_table_line
from .model import Section
from .template import SECTION_TITLES

__all__ = ["Heading", "find_headings", "parse_chinese_numeral", "split_sections"]

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_MAX_HEADING = 40
_TITLE_ENDINGS = ("情况", "事项", "问题", "概述", "计划", "措施", "。", "工作", "说明")
_JOIN_MAX = 10
_WEIGHT_EXACT, _WEIGHT_KNOWN, _WEIGHT_OTHER = 10, 5, 1


def parse_chinese_numeral(text: str) -> int | None:
    """一 … 九十九 → int; None for anything else."""
    if not text:
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        high = _NUMERALS.get(tens, 0) if tens else 1
        low = _NUMERALS.get(ones, 0) if ones else 0
        if (tens and not high) or (ones and not low):
            return None
        return high * 10 + low
    return _NUMERALS.get(text) if len(text) == 1 else None


def title_group(title: str) -> int | None:
    """Index (1-based) of the known section title this heading names, if any."""
    compact = "".join(title.split())
    for index, fragments in enumerate(SECTION_TITLES, start=1):
        if any(fragment in compact for fragment in fragments):
            return index
    return None


@dataclass(frozen=True, slots=True)
class Heading:
    """A line that looks like a top-level heading, and the lines it spans (1 or 2)."""

    line: int
    span: int
    number: int
    title: str
    weight: int


def _weight(number: int, title: str) -> int:
    group = title_group(title)
    if group is None:
        return _WEIGHT_OTHER
    return _WEIGHT_EXACT if group == number else _WEIGHT_KNOWN


def _next_nonblank(lines: list[str], start: int) -> int | None:
    for index in range(start, min(len(lines), start + 3)):
        if lines[index].strip():
            return index
    return None


def find_headings(lines: list[str]) -> list[Heading]:
    """Every line that could be a top-level heading, with headings broken over lines joined."""
    found: list[Heading] = []
    for index, line in enumerate(lines):
        if is_table_line(line):
            continue
        match = TOP_HEADING_RE.match(line.strip())
        if not match:
            continue
        number = parse_chinese_numeral(match["num"])
        title = match["text"].strip()
        if number is None or len(title) > _MAX_HEADING or title[:1] == "是":
            continue
        span = 1
        nxt = _next_nonblank(lines, index + 1)
        if nxt is not None and not title.endswith(_TITLE_ENDINGS):
            cont = lines[nxt].strip()
            if (
                not is_table_line(lines[nxt])
                and len(cont) <= _JOIN_MAX
                and not TOP_HEADING_RE.match(cont)
                and not re.search(r"[。，,；;]", cont[:-1])
                and len(title) + len(cont) <= _MAX_HEADING
            ):
                title, span = title + cont, nxt - index + 1
        if not title:
            continue
        found.append(Heading(index, span, number, title, _weight(number, title)))
    return found


def _top_level(headings: list[Heading]) -> list[Heading]:
    """The heaviest subsequence of headings with strictly increasing numbers."""
    best: list[tuple[int, int]] = []  # (total weight, predecessor index) per heading
    for i, heading in enumerate(headings):
        score, pred = heading.weight, -1
        for j in range(i):
            if headings[j].number < heading.number and best[j][0] + heading.weight > score:
                score, pred = best[j][0] + heading.weight, j
        best.append((score, pred))
    if not best:
        return []
    # Ties go to the run that ends later: trailing sections are real, not an inner outline.
    i = max(range(len(best)), key=lambda k: (best[k][0], k))
    chain: list[Heading] = []
    while i >= 0:
        chain.append(headings[i])
        i = best[i][1]
    return chain[::-1]


def split_sections(lines: list[str]) -> tuple[list[str], list[Section]]:
    """Return the preamble lines before the first heading and the numbered sections."""
    tops = _top_level(find_headings(lines))
    if not tops:
        return lines, []
    sections = []
    for k, heading in enumerate(tops):
        end = tops[k + 1].line if k + 1 < len(tops) else len(lines)
        body = [line for line in lines[heading.line + heading.span : end]]
        text = "\n".join(line for line in body if line.strip())
        sections.append(Section(heading.number, heading.title, text))
    return lines[: tops[0].line], sections
