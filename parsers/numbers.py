"""Printed figures: what one table cell or number in a sentence says.

``parse_number`` reads a printed cell (``"1,723.5"``, ``"-53"``, ``"13件"``); ``is_blank``
tells a cell that prints "nothing here" (``—``, ``/``, ``无``), which is not zero.  The
extractors (HTML, PDF, Word) and the table readers all read cells through these.
"""

from __future__ import annotations

from functools import lru_cache

from .model import Number
from .patterns import lazy

__all__ = ["BLANK_CELLS", "MAX_DIGITS", "is_blank", "parse_number"]

_NUMBER_RE = lazy(r"^[-+]?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?$|^[-+]?\d+(?:\.\d+)?$")
_UNIT_RE = lazy(r"(?:件|条|项|个|宗|次|份|万元|元)$")
# The most digits a printed figure may have: more is no count a report prints, and would not
# fit SQLite's INTEGER (2**63 - 1 has 19 digits); such a "figure" is not read (the row says why).
MAX_DIGITS = 15
# Cells that print "nothing here" – not a figure, and certainly not zero.
BLANK_CELLS = frozenset({"", "-", "—", "——", "－", "/", "／", "\\", "无", "空", "—/—", "*"})


@lru_cache(maxsize=8192)
def parse_number(cell: str) -> Number | None:
    """A printed figure (``"1,723.5"``, ``"-53"``, ``"13件"``) or None when it is not one."""
    text = cell.strip()
    text = _UNIT_RE.sub("", text)
    if not _NUMBER_RE.match(text):
        return None
    text = text.replace(",", "").replace("，", "").lstrip("+")
    if sum(ch.isdigit() for ch in text) > MAX_DIGITS:
        return None
    if "." in text:
        return float(text)
    return int(text)


def is_blank(cell: str) -> bool:
    return cell.strip() in BLANK_CELLS
