"""Table rows: which column each printed figure fills.

``resolve_row`` places a row's figures (read by ``numbers.parse_number``) under its
columns.  A row whose number of figures does not fit the layout (a cell lost or repeated by
the page's markup or a converter) is resolved only when the readings that make the row add
up (自然人 + the five 法人 columns = 总计) agree on a figure; every figure they disagree on is
left out.  Both table readers (``tables`` for grid rows, ``align`` for token streams) use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import combinations

from .model import Number
from .template import ORG_COLUMNS

__all__ = ["adds_up", "resolve_row"]

_MAX_EXTRA = 3
_MAX_MISSING = 2


# --- row resolution -----------------------------------------------------------------------


@lru_cache(maxsize=64)
def _sum_layout(
    columns: tuple[str, ...],
) -> tuple[int | None, tuple[int, ...], int | None, tuple[int, ...]]:
    """Where a row's 总计, its addends, its 小计 and the 法人 columns sit."""
    index = {c: i for i, c in enumerate(columns)}
    addends = tuple(i for i, c in enumerate(columns) if c not in ("total", "org_subtotal"))
    orgs = tuple(index[c] for c in ORG_COLUMNS if c in index)
    return index.get("total"), addends, index.get("org_subtotal"), orgs


def _within(values: list[Number | None], whole: Number) -> bool:
    present = [v for v in values if v is not None]
    # With a gap among the parts the gap may hold the difference.
    return sum(present) == whole if len(present) == len(values) else sum(present) <= whole


def adds_up(vector: Sequence[Number | None], columns: Sequence[str]) -> bool:
    """自然人 + 法人 columns = 总计 (and 小计 = the 法人 columns, where printed).

    Missing cells (None) may hold any non-negative figure, so a reading with a gap among
    the addends adds up when the printed addends do not exceed the printed total.
    """
    if len(vector) != len(columns):
        raise ValueError("a reading has one cell per column")
    total_at, addends_at, subtotal_at, orgs_at = _sum_layout(tuple(columns))
    total = vector[total_at] if total_at is not None else None
    if total is None:
        return False
    addends = [vector[i] for i in addends_at]
    if any(v is not None and v < 0 for v in addends):
        return False
    ok = _within(addends, total)
    subtotal = vector[subtotal_at] if subtotal_at is not None else None
    if ok and subtotal is not None:
        ok = _within([vector[i] for i in orgs_at], subtotal)
    return ok


def _readings(numbers: Sequence[Number], width: int) -> Iterable[tuple[Number | None, ...]]:
    n = len(numbers)
    if n > width:
        for dropped in combinations(range(n), n - width):
            # A surplus figure is a merged cell repeated: it equals a neighbour.
            if all(
                (i > 0 and numbers[i - 1] == numbers[i])
                or (i + 1 < n and numbers[i + 1] == numbers[i])
                for i in dropped
            ):
                yield tuple(v for i, v in enumerate(numbers) if i not in dropped)
    else:
        for gaps in combinations(range(width), width - n):
            it = iter(numbers)
            yield tuple(None if i in gaps else next(it) for i in range(width))


def resolve_row(
    numbers: Sequence[Number],
    columns: Sequence[str],
    *,
    upper: dict[str, Number] | None = None,
    damaged: bool = False,
    max_extra: int = _MAX_EXTRA,
    max_missing: int = _MAX_MISSING,
) -> tuple[dict[str, Number], str | None]:
    """Assign a row's printed figures to ``columns``.

    A row with exactly one figure per column is taken as printed (checks judge it) —
    unless it does not add up in a table whose other rows lost or repeated cells
    (``damaged``): there a cell lost and another repeated is as likely as a misprint.
    Otherwise every reading (a surplus figure that repeats its neighbour dropped, or a
    lost cell left empty) that makes the row add up — and, for result sub-rows, stays
    within the (七)总计 row's figures (``upper``) — is kept, and only the figures on which
    all of them agree are returned.
    """
    width = len(columns)
    n = len(numbers)
    if n == width:
        if damaged and not adds_up(numbers, columns):
            return {}, "does not add up in a table whose rows lost or repeated cells; left out"
        return dict(zip(columns, numbers, strict=True)), None
    if n > width + max_extra or n < width - max_missing or n == 0:
        return {}, f"{n} figures for {width} columns; row left out"
    valid = []
    for vector in _readings(numbers, width):
        if not adds_up(vector, columns):
            continue
        if upper and any(
            v is not None and c in upper and v > upper[c]
            for c, v in zip(columns, vector, strict=True)
        ):
            continue
        valid.append(vector)
    if not valid:
        return {}, f"{n} figures for {width} columns and no reading adds up; row left out"
    agreed: dict[str, Number] = {}
    for k, column in enumerate(columns):
        seen = {vector[k] for vector in valid}
        if len(seen) == 1 and None not in seen:
            agreed[column] = valid[0][k]  # type: ignore[assignment]
    left_out = [c for c in columns if c not in agreed]
    note = f"{n} figures for {width} columns; resolved by row sum"
    if left_out:
        note += f", left out (ambiguous): {', '.join(left_out)}"
    return agreed, note
