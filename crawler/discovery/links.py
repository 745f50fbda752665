"""Link words and URL tokens that lead to 年报 — kept as data, each proven by a portal.

A link is a *report* when its text names a covered year and an annual disclosure report
(``平潭综合实验区2021年度政府信息公开工作年度报告``) and is none of the near misses that
share those words (解读, 工作要点, 统计表 …).  Columns, navigation and pagination are
recognised by their words and URL tokens.  Links themselves are read, and attachments told,
by ``parsers.links`` (shared with the HTML extractor).
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "is_column_link",
    "is_nav_link",
    "is_next_page",
    "may_follow",
    "report_year",
]

_REPORT_WORDS = r"(?:政府信息公开|政务公开|信息公开).{0,12}?(?:年度报告|年报|工作报告)"
_REPORT_RE = re.compile(
    # 洪泽区人民政府2023年政府信息公开工作年度报告, 应急管理部：2024年政府信息公开工作报告
    rf"(?P<year>(?:19|20)\d{{2}})\s*年度?.{{0,30}}?{_REPORT_WORDS}"
    # 政府信息公开工作年度报告（2021年度）
    rf"|{_REPORT_WORDS}\s*[(（]\s*(?P<late>(?:19|20)\d{{2}})\s*年?度?\s*[)）]"
)
_HAN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_HAN_YEAR_RE = re.compile(r"[〇○零一二三四五六七八九]{4}(?=\s*年)")
# Titles that carry the report words but are not reports.
NEAR_MISSES = (
    "解读",
    "工作要点",
    "要点",
    "统计表",
    "考核",
    "计划",
    "通知",
    "意见",
    "图解",
    "问答",
    "评估",
    "提纲",
)
COLUMN_WORDS = ("年度报告", "年报")
COLUMN_URL_TOKENS = ("zfxxgknb", "xxgknb", "gknb", "ndbg", "bmnb", "xznb")
NAV_WORDS = ("政府信息公开", "政务公开", "信息公开")
NAV_URL_TOKENS = ("zfxxgk", "xxgk", "zwgk", "gkmlpt")
NEXT_WORDS = ("下一页", "下页", "后一页")


@functools.lru_cache(maxsize=8192)  # a portal's menus repeat on every page
def _text(text: str) -> str:
    """NFKC, trimmed, with a year in Chinese numerals (二〇二一年) written in digits."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    return _HAN_YEAR_RE.sub(lambda m: "".join(_HAN_DIGITS[c] for c in m.group()), text)


@functools.lru_cache(maxsize=8192)
def report_year(text: str) -> int | None:
    """The covered year a report title names, or None when the text is no report title."""
    text = _text(text)
    match = _REPORT_RE.search(text)
    if match is None or any(word in text for word in NEAR_MISSES):
        return None
    return int(match["year"] or match["late"])


def is_column_link(text: str, url: str) -> bool:
    text = _text(text)
    if report_year(text) is not None or any(word in text for word in NEAR_MISSES):
        return False
    if any(word in text for word in COLUMN_WORDS) and len(text) <= 40:
        return True
    path = url.lower().split("?")[0]
    return any(f"/{token}" in path for token in COLUMN_URL_TOKENS)


def is_nav_link(text: str, url: str) -> bool:
    """A menu entry into the disclosure area: short, no year, no article or near-miss words."""
    text = _text(text)
    if (
        text
        and any(word in text for word in NAV_WORDS)
        and len(text) <= 12
        and not re.search(r"(?:19|20)\d{2}", text)
        and not text.startswith("关于")
        and not any(word in text for word in NEAR_MISSES)
    ):
        return True
    path = url.lower().split("?")[0].rstrip("/")
    return (
        any(path.endswith(f"/{token}") or f"/{token}/" in path + "/" for token in NAV_URL_TOKENS)
        and len(text) <= 20
    )


def is_next_page(text: str, url: str) -> bool:
    text = _text(text)
    return any(word in text for word in NEXT_WORDS) or bool(re.search(r"/index_\d+\.s?html?$", url))


def may_follow(text: str, url: str) -> bool:
    """Whether the spider may follow a link at all: a report, a next page, a column or a
    way into the disclosure area (whether it does depends on the site's hosts, the years
    asked for and the depth). The links of a page the crawl keeps (``page_links``) are
    these."""
    return (
        report_year(text) is not None
        or is_next_page(text, url)
        or is_column_link(text, url)
        or is_nav_link(text, url)
    )
