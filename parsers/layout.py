"""Line-level layout of body text: page furniture out, sentences broken by a page rejoined.

Body text is one paragraph per line and one table row per line (cells separated by tabs).
PDF and Word exports add page-number lines (``- 4 -``, ``第 4 页``) and break a sentence
where a page ended ("通报监" / "督结果。"); both are undone here before anything is read.
"""

from __future__ import annotations

from .patterns import lazy

__all__ = [
    "SUBHEADING_RE",
    "TOP_HEADING_RE",
    "is_page_number",
    "is_table_line",
    "join_broken_lines",
    "remove_page_numbers",
]

_PAGE_NUMBER_RES = (
    lazy(r"^[-—–－~～_\s]*\d{1,4}[-—–－~～_\s]*$"),  # "- 4 -", "—4—"; bare numbers: see below
    lazy(r"^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"),
    lazy(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    lazy(r"^(?:page|Page|PAGE)\s*\d{1,4}(?:\s*of\s*\d{1,4})?$"),
)
_DASH_RE = lazy(r"[-—–－~～]")
_NEGATIVE_RE = lazy(r"^[-－−]\d{1,4}$")

# "一、总体情况", "二．主动公开…", "第三部分 …": top-level numbering.
TOP_HEADING_RE = lazy(
    r"^(?:第)?(?P<num>[一二三四五六七八九十]{1,3})(?:[、.．，,]|部分[、.．:：\s]?)\s*(?P<text>.*)$"
)
# "(一)", "（二）", "1.", "一是": inner outline levels.
SUBHEADING_RE = lazy(
    r"^(?:[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．]|[一二三四五六七八九十]是)"
)
# "存在问题：…", "整改情况：…" open a paragraph of their own.
_LEAD_LABEL_RE = lazy(r"^[^，。,]{1,8}[：:]")
# A report title line ends here; the next line starts the body.
_TITLE_END_RE = lazy(r"(?:年度报告|年报|工作报告)$")
_TERMINAL = "。！？；：:;!?”’」』）)》…"


def is_table_line(line: str) -> bool:
    """A table row: at least two cells."""
    return "\t" in line


def is_page_number(line: str) -> bool:
    """A page-number line such as ``- 4 -``, ``—4—``, ``第4页 共10页`` or ``4/10``."""
    stripped = line.strip()
    if not stripped or "\t" in line:
        return False
    first, *rest = _PAGE_NUMBER_RES
    if first.match(stripped):
        # A bare "12" may be a figure, and "-53" is one (本年增/减 on a line of its own,
        # as PDF converters print a cell per line): only a dash after the number, or a
        # dash set apart from it, makes page furniture ("- 4 -", "—4—", "- 4").
        return bool(_DASH_RE.search(stripped)) and not _NEGATIVE_RE.match(stripped)
    return any(pattern.match(stripped) for pattern in rest)


def remove_page_numbers(lines: list[str]) -> list[str]:
    """Drop page-number lines."""
    return [line for line in lines if not is_page_number(line)]


def _starts_new_block(line: str) -> bool:
    return bool(TOP_HEADING_RE.match(line) or SUBHEADING_RE.match(line))


def join_broken_lines(
    lines: list[str], *, min_length: int = 15, min_length_across_blank: int = 40
) -> list[str]:
    """Rejoin prose lines that a page break split mid-sentence (blank lines between allowed).

    A line is continued when it is prose of at least ``min_length`` characters (
    ``min_length_across_blank`` when blank lines intervene: a page break falls inside a
    paragraph, not after a title) that does not end a sentence, and the next non-blank line
    is prose that does not open a new numbered block.  Headings and table rows are never
    joined.
    """
    out: list[str] = []
    pending_blank = 0
    for line in lines:
        if not line.strip():
            pending_blank += 1
            continue
        prev = out[-1] if out else ""
        if (
            prev
            and len(prev) >= (min_length_across_blank if pending_blank else min_length)
            and not is_table_line(prev)
            and not is_table_line(line)
            and prev[-1] not in _TERMINAL
            and not TOP_HEADING_RE.match(prev)
            and not _TITLE_END_RE.search(prev)
            and not _starts_new_block(line)
            and line[0] not in "(（"
            and not _LEAD_LABEL_RE.match(line)
            and pending_blank <= 2
        ):
            out[-1] = prev + line
        else:
            out.extend([""] * min(pending_blank, 1))
            out.append(line)
        pending_blank = 0
    return out
