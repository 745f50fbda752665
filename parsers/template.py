"""The printed labels of the national report formats, mapped to canonical keys (data only).

Sources: 国办公开办函〔2019〕60号 (the "2019" format, used for the 2019 and 2020 reports)
and 国办公开办函〔2021〕30号 (the "2021" format, from the 2021 reports on; its blank form
is ``tests/fixtures/template/template_2021_blank.docx`` once document extraction exists).
Before 2019 there was no fixed table (国务院令第492号): figures sit in prose.

Labels are matched on a *matching key* (``label_key``): simplified text without spaces,
brackets, numbering or punctuation, so ``（三）不予公开 1.属于国家秘密`` and
``(三) 不予公开1、属于国家秘密`` look the same.  Each entry is a tuple of fragments that
must all occur in the key; entries are tried in order, the most specific first.
"""

from __future__ import annotations

from functools import lru_cache

from .patterns import lazy

TYPE_CHECKING = False  # typing's, without importing typing (see parsers/__init__.py)
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "ACTIVE_COLUMNS",
    "ACTIVE_DEFAULT_COLUMNS",
    "ACTIVE_ROWS",
    "APPLICANT_COLUMNS",
    "APPLICATION_ROWS",
    "FORMAT_MARKERS",
    "FORMAT_NOTICES",
    "NEW_OUTLINE_WORDS",
    "RESULT_ROWS",
    "REVIEW_COLUMNS",
    "REVIEW_ROWS",
    "SECTION_TITLES",
    "SUBTOTAL_HEADER",
    "TABLE_HEADINGS",
    "TABLE_NAMES",
    "columns_for_header",
    "label_key",
    "match_label",
    "statistics_key",
    "table_of_heading",
]

TABLE_NAMES: Final = ("active_disclosure", "applications", "review_litigation")

_STRIP_RE = lazy(
    r"[\s()（）【】\[\]〔〕<>《》“”\"'‘’、,，.．。:：;；·\-—_/]"
    r"|^[一二三四五六七八九十]+(?=[^一二三四五六七八九十])"
)
_NUMBERING_RE = lazy(r"^(?:[一二三四五六七八九十]+|\d+)(?=[^\d])")


@lru_cache(maxsize=8192)
def label_key(label: str) -> str:
    """Reduce a printed label to the form the vocabularies below are written in."""
    key = _STRIP_RE.sub("", label)
    # Sub-row numbering such as "1" in "1.属于国家秘密" (after the dot has gone).
    return _NUMBERING_RE.sub("", key)


def match_label(label: str, vocabulary: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """Return the key of the first vocabulary entry whose fragments all occur in ``label``."""
    key = label_key(label)
    if not key:
        return None
    for canonical, fragments in vocabulary:
        if all(fragment in key for fragment in fragments):
            return canonical
    return None


# --- 表二 主动公开政府信息情况 ---------------------------------------------------------------

ACTIVE_ROWS: Final = (
    ("regulations", ("规章",)),
    ("normative_documents", ("规范性文件",)),
    ("other_services", ("其他对外管理服务",)),
    ("licensing", ("行政许可",)),
    ("penalties", ("行政处罚",)),
    ("coercion", ("行政强制",)),
    ("fees", ("行政事业性收费",)),
    ("procurement", ("政府集中采购",)),
)

# Column headers of 表二; the 2021 and 2019 formats share 处理决定数量 and 金额.
ACTIVE_COLUMNS: Final = (
    ("issued", ("本年制发",)),
    ("repealed", ("本年废止",)),
    ("in_force", ("现行有效",)),
    ("new_made", ("本年新制作",)),
    ("new_published", ("本年新公开",)),
    ("total_published", ("对外公开总数",)),
    ("prev_items", ("上一年项目",)),
    ("change", ("本年增减",)),
    ("change", ("增减",)),
    ("decisions", ("处理决定",)),
    ("items", ("采购项目",)),
    ("amount", ("金额",)),
)

# When a report prints no column header for a block, the format says what the numbers are.
ACTIVE_DEFAULT_COLUMNS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "2021": {
        "regulations": ("issued", "repealed", "in_force"),
        "normative_documents": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",),
        "penalties": ("decisions",),
        "coercion": ("decisions",),
        "fees": ("amount",),
    },
    "2019": {
        "regulations": ("new_made", "new_published", "total_published"),
        "normative_documents": ("new_made", "new_published", "total_published"),
        "licensing": ("prev_items", "change", "decisions"),
        "other_services": ("prev_items", "change", "decisions"),
        "penalties": ("prev_items", "change", "decisions"),
        "coercion": ("prev_items", "change", "decisions"),
        "fees": ("prev_items", "change"),
        "procurement": ("items", "amount"),
    },
}

# --- 表三 收到和处理政府信息公开申请情况 -------------------------------------------------------

# Applicant columns in printed order; ``org_subtotal`` only where a report prints 小计.
APPLICANT_COLUMNS: Final = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
APPLICANT_ADDENDS: Final = APPLICANT_COLUMNS[:-1]
ORG_COLUMNS: Final = APPLICANT_COLUMNS[1:-1]

SUBTOTAL_HEADER: Final = "小计"


def columns_for_header(header_key: str) -> tuple[str, ...] | None:
    """表三's columns for a header (its label keys joined in printed order): the format's
    seven, with ``org_subtotal`` where a county prints 小计 — before or after the 法人
    columns, as printed; None when 小计 is printed but its place cannot be told."""
    sub = header_key.find(SUBTOTAL_HEADER)
    if sub < 0:
        return APPLICANT_COLUMNS
    first_org = header_key.find("商业")
    if first_org < 0:
        return None
    if sub < first_org:
        return ("natural_person", "org_subtotal", *ORG_COLUMNS, "total")
    return ("natural_person", *ORG_COLUMNS, "org_subtotal", "total")


# Result sub-rows of 三、本年度办理结果, whose sum is (七)总计.
RESULT_ROWS: Final = (
    "disclosed",
    "partially_disclosed",
    "withheld_state_secret",
    "withheld_prohibited_by_law",
    "withheld_three_safeties",
    "withheld_third_party",
    "withheld_internal_affairs",
    "withheld_process_info",
    "withheld_enforcement_files",
    "withheld_query_matter",
    "unavailable_not_held",
    "unavailable_needs_creation",
    "unavailable_unclear",
    "not_processed_petition",
    "not_processed_duplicate",
    "not_processed_publication",
    "not_processed_excessive",
    "not_processed_confirmation",
    "other_no_correction",
    "other_no_fee",
    "other",
)

# Order matters: specific sub-rows before the group labels that share their words.
APPLICATION_ROWS: Final = (
    ("new_received", ("本年新收",)),
    ("carried_over", ("上年结转",)),
    ("carried_forward", ("结转下年度",)),
    ("disclosed", ("予以公开",)),
    ("partially_disclosed", ("部分公开",)),
    ("withheld_state_secret", ("国家秘密",)),
    # 2019: 其他法律法规禁止公开; 2021: 其他法律行政法规禁止公开.
    ("withheld_prohibited_by_law", ("禁止公开",)),
    # 洪泽区 2023/2024 PDFs print "2.其他法律行政止公开" (法规禁 missing from the form).
    ("withheld_prohibited_by_law", ("其他法律",)),
    ("withheld_three_safeties", ("三安全一稳定",)),
    ("withheld_three_safeties", ("危及",)),
    ("withheld_third_party", ("第三方合法权益",)),
    ("withheld_internal_affairs", ("内部事务",)),
    ("withheld_process_info", ("过程性信息",)),
    ("withheld_enforcement_files", ("行政执法案卷",)),
    ("withheld_query_matter", ("行政查询事项",)),
    ("unavailable_not_held", ("不掌握",)),
    ("unavailable_needs_creation", ("另行制作",)),
    ("unavailable_unclear", ("仍不明确",)),
    ("not_processed_petition", ("信访举报投诉",)),
    ("not_processed_duplicate", ("重复申请",)),
    ("not_processed_publication", ("公开出版物",)),
    ("not_processed_excessive", ("大量反复",)),
    ("not_processed_confirmation", ("确认或重新出具",)),
    ("other_no_correction", ("逾期不补正",)),
    ("other_no_fee", ("收费通知",)),
    ("total_handled", ("总计",)),
)
# Labels that name a group, not a row of figures (a 2021 (六) header, 三、本年度办理结果 …).
APPLICATION_GROUPS: Final = (
    ("results", ("本年度办理结果",)),
    ("withheld", ("不予公开",)),
    ("unavailable", ("无法提供",)),
    ("not_processed", ("不予处理",)),
    ("other_group", ("其他处理",)),
)
# "(六)其他处理" carrying figures (2019) and the 2021 sub-row "3.其他" are both ``other``.
OTHER_ROW_KEYS: Final = ("其他处理", "其他")

# --- 表四 政府信息公开行政复议、行政诉讼情况 ---------------------------------------------------

REVIEW_ROWS: Final = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLUMNS: Final = ("upheld", "corrected", "other", "pending", "total")
REVIEW_ROW_LABELS: Final = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼 未经复议直接起诉",
    "litigation_after_review": "行政诉讼 复议后起诉",
    "litigation": "行政诉讼",
}
REVIEW_COLUMN_LABELS: Final = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

# --- pre-2019 政府信息公开情况统计表 ------------------------------------------------

# Rows of the statistics table appended to 2008–2018 reports (指标名称 | 计量单位 | 本年度 |
# 历年累计).  ``None`` marks rows that must not be read as another key ("接受行政诉讼、举报数"
# is not the lawsuit count).  Keys are DESIGN.md's prose aggregates.
STATISTICS_ROWS: Final[tuple[tuple[tuple[str, str, str] | None, tuple[str, ...]], ...]] = (
    (None, ("举报",)),
    (("active_disclosure", "all", "published"), ("主动公开", "数")),
    (("applications", "new_received", "total"), ("受理", "申请")),
    (("applications", "new_received", "total"), ("收到", "申请")),
    (("applications", "new_received", "total"), ("依申请公开", "总数")),
    (("applications", "partially_disclosed", "total"), ("部分公开答复",)),
    (("applications", "withheld", "total"), ("不同意公开答复",)),
    (("applications", "withheld", "total"), ("否决公开答复",)),
    (("applications", "withheld", "total"), ("不予公开答复",)),
    (("applications", "disclosed", "total"), ("同意公开答复",)),
    (("review_litigation", "review", "total"), ("行政复议",)),
    (("review_litigation", "litigation", "total"), ("行政诉讼",)),
)


def statistics_key(label: str) -> tuple[str, str, str] | None:
    """The canonical key a 统计表 row label counts, or None (also for rows that must not be
    read as another key, such as 接受行政诉讼、举报数)."""
    key = label_key(label)
    for canonical, fragments in STATISTICS_ROWS:
        if all(fragment in key for fragment in fragments):
            return canonical
    return None


# Header cells: the covered year's column, and the cumulative one that must never be read.
STATISTICS_HEADER_MARKERS: Final = ("指标名称", "统计指标", "指标")
STATISTICS_CUMULATIVE: Final = ("累计",)
STATISTICS_YEAR_RE: Final = lazy(r"(?:(?:19|20)\d{2}年|本年|统计数|本期)")

# --- format markers and section titles --------------------------------------------------

# Printed words that only one format has (matched on label keys of the whole text).
FORMAT_MARKERS: Final = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "逾期不补正", "本年收费金额"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量"),
}

# The notices that set the formats, as label keys print them (brackets dropped:
# 国办公开办函〔2021〕30号 → 国办公开办函202130号).  Reports of 2021 on often still cite the
# 2019 notice, so that one only says "one of the new formats".
FORMAT_NOTICES: Final = {"2021": "202130号", "2019": "201960号"}
# Only the 2019/2021 formats call section 三 this; openings name it in their outline.
NEW_OUTLINE_WORDS: Final = "收到和处理政府信息公开申请"
# Words of the headings that open each table (all fragments must occur in a short line).
TABLE_HEADINGS: Final = (
    ("active_disclosure", ("主动公开政府信息情况",)),
    ("applications", (NEW_OUTLINE_WORDS,)),
    ("applications", ("依申请公开政府信息情况",)),
    ("review_litigation", ("行政复议", "行政诉讼")),
)


def table_of_heading(key: str) -> str | None:
    """The table a heading's label key opens (统计表 for the pre-2019 statistics table)."""
    if key.endswith("统计表"):
        return "statistics"
    for table, fragments in TABLE_HEADINGS:
        if all(fragment in key for fragment in fragments):
            return table
    return None


# Canonical top-level section titles (2019/2021 formats, and the pre-2019 outline).
# A numbered heading containing one of these fragments is a top-level heading.
SECTION_TITLES: Final = (
    ("总体情况", "概述", "基本情况"),
    ("主动公开政府信息情况", "主动公开政府信息的情况", "主动公开情况"),
    ("收到和处理政府信息公开申请", "依申请公开政府信息", "政府信息公开申请", "依申请公开情况"),
    ("行政复议", "行政诉讼", "复议"),
    ("存在的主要问题", "主要问题", "存在问题", "问题及改进", "改进措施", "工作计划"),
    ("其他需要报告", "其他事项"),
    ("政府信息公开情况", "收费及减免", "处理费"),
)
