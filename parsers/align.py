"""Read 表二, 表三 and 表四 from body text in any layout, by aligning tokens with the format.

Converters lay a table out in many ways: a row per line with cells separated by pipes, box
drawing, runs of spaces or single spaces; a cell per line; labels wrapped around their
figures; figure blocks before their labels; all labels first and then the figures column by
column; digits fused with no separator at all.  What stays constant is the format: each
table has fixed rows in a fixed order and a fixed number of figures per row, and carries its
own arithmetic.  So a table region is turned into a stream of *label* tokens and *figure*
tokens whatever the separator (``tokens``), the labels are aligned with the format's rows (in order:
the longest run of matches that respects the printed order), figures go to the row whose
label they follow (or precede, or fill column by column — whichever reading the arithmetic
accepts), and every row is resolved by ``rows.resolve_row``: a figure is placed only where
every reading that adds up agrees.  Nothing is moved or invented; what cannot be placed is
absent with a warning naming it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, product

from .model import Number, Value
from .numbers import MAX_DIGITS, parse_number
from .patterns import lazy
from .rows import adds_up, resolve_row
from .template import (
    ACTIVE_DEFAULT_COLUMNS,
    ACTIVE_ROWS,
    APPLICANT_COLUMNS,
    APPLICATION_GROUPS,
    APPLICATION_ROWS,
    RESULT_ROWS,
    REVIEW_COLUMN_LABELS,
    REVIEW_COLUMNS,
    REVIEW_ROW_LABELS,
    REVIEW_ROWS,
    STATISTICS_CUMULATIVE,
    STATISTICS_YEAR_RE,
    columns_for_header,
    label_key,
    match_label,
    statistics_key,
)
from .tokens import NUMBERED_RE, Token, find_regions, tokenize

__all__ = ["read_stream_tables"]

# --- aligning labels with the format's rows ---------------------------------------------------


def _longest_ordered(matches: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of (token index, row order) whose row order strictly rises.

    Among equally long ones, each step takes the earliest chain found (so a header word
    such as 总计 printed before the rows is the one left out).  O(matches × rows).
    """
    # best[rank] = (length, position in matches) of the earliest longest chain ending there
    best: dict[int, tuple[int, int]] = {}
    previous: list[int] = []
    lengths: list[int] = []
    for position, (_, rank) in enumerate(matches):
        length, parent = 0, -1
        for other, (other_length, other_position) in best.items():
            if other < rank and (
                other_length > length or (other_length == length and other_position < parent)
            ):
                length, parent = other_length, other_position
        previous.append(parent)
        lengths.append(length + 1)
        if rank not in best or best[rank][0] < length + 1:
            best[rank] = (length + 1, position)
    if not matches:
        return []
    top = max(lengths)
    end = lengths.index(top)
    chain = []
    while end >= 0:
        chain.append(matches[end])
        end = previous[end]
    return chain[::-1]


def _align(
    tokens: Sequence[Token], match: Iterable[tuple[int, str]], order: Sequence[str]
) -> list[tuple[int, str]]:
    """(token index, row) of the row labels, kept only in the format's order."""
    rank = {row: i for i, row in enumerate(order)}
    matches = [(index, rank[row]) for index, row in match if row in rank]
    return [(index, order[r]) for index, r in _longest_ordered(matches)]


_MAX_JOIN = 3


def _is_group_label(text: str) -> bool:
    return match_label(text, APPLICATION_GROUPS) is not None


def _match_labels(
    tokens: Sequence[Token],
    match: Callable[[str], str | None],
    is_group: Callable[[str], bool],
) -> tuple[list[tuple[int, str]], set[int], dict[int, str]]:
    """Row labels (token index, row), numbered labels that name no row (blockers), and the
    text of labels matched on joined pieces.

    A label wrapped over lines ("5.要求行政机关确认或重" … "新出具已获取信息") is matched
    on its pieces joined, figures between them notwithstanding.  A numbered label that still
    names no row opens a row nobody can identify: figures after it belong to no known row.
    """
    matched: list[tuple[int, str]] = []
    blockers: set[int] = set()
    texts: dict[int, str] = {}
    labels = [k for k, t in enumerate(tokens) if t.kind == "label"]
    used: set[int] = set()
    for position, k in enumerate(labels):
        if k in used:
            continue
        text = tokens[k].text
        row = match(text)
        joined = text
        previous = k
        for later in labels[position + 1 : position + 1 + _MAX_JOIN]:
            if row is not None or NUMBERED_RE.match(tokens[later].text):
                break
            if later != previous + 1 and not NUMBERED_RE.match(text):
                break  # only a numbered row label wraps around its figures
            candidate = match(joined + tokens[later].text)
            if candidate is None and later != previous + 1:
                break
            previous = later
            joined += tokens[later].text
            row = candidate
            if row is not None:
                used.add(later)
        if row is None:
            previous = k
        if row is not None:
            # An adjacent continuation anchors where the row's words end; a numbered label
            # wrapped around its figures anchors at its start.
            wrapped = previous != k and any(tokens[i].kind == "figure" for i in range(k, previous))
            anchor = k if wrapped else previous
            matched.append((anchor, row))
            # Header words run into a row label are not part of it.
            own = tokens[previous].text
            texts[anchor] = own if previous != k and match(own) == row else joined
        elif NUMBERED_RE.match(text) and not is_group(text):
            blockers.add(k)
    return matched, blockers, texts


def _segments(
    tokens: Sequence[Token],
    anchors: list[tuple[int, str]],
    after: bool,
    blockers: set[int] = frozenset(),  # type: ignore[assignment]
) -> dict[str, list[str]]:
    """The figure texts of ``_segment_tokens``."""
    return {
        row: [t.text for t in found]
        for row, found in _segment_tokens(tokens, anchors, after, blockers).items()
    }


def _segment_tokens(
    tokens: Sequence[Token],
    anchors: list[tuple[int, str]],
    after: bool,
    blockers: set[int] = frozenset(),  # type: ignore[assignment]
) -> dict[str, list[Token]]:
    """Figures of each row: those after its label (or, ``after`` False, before it).

    Figures next to a blocker (a row label nobody can identify) belong to no row.
    """
    figures: dict[str, list[Token]] = {row: [] for _, row in anchors}
    if not anchors:
        return figures
    owners = {index: row for index, row in anchors}
    marks = sorted([*owners, *blockers])
    for k, token in enumerate(tokens):
        if token.kind != "figure":
            continue
        at = bisect_left(marks, k)
        if after:
            mark = marks[at - 1] if at > 0 else None
        else:
            mark = marks[at] if at < len(marks) and marks[at] != k else None
        if mark is not None and mark in owners:
            figures[owners[mark]].append(token)
    return figures


_ACTIVE_WORDS = {row: words[0] for row, words in ACTIVE_ROWS}


def _active_runs(
    tokens: Sequence[Token],
    figures: dict[str, list[Token]],
    layout: dict[str, tuple[str, ...]],
    found_rows: set[str],
) -> dict[str, list[Token]] | None:
    """表二 read as runs of figures in page order, when labels-then-figures does not fit.

    The figures, in page order, fill the rows whose labels were found, in the format's
    order and widths (3, 3, 1, 1, 1, 1 in 2021) — only when they fill them exactly and every
    run of figures ends where a row ends: the alignment is then unique.
    """
    rows = [row for row in layout if row in found_rows]
    fits = all(
        len([t for t in figures.get(row, []) if t.text]) in (0, len(layout[row])) for row in rows
    )
    gaps = [row for row in rows if not figures.get(row)]
    if fits and not any(any(figures.get(r) for r in rows[rows.index(row) + 1 :]) for row in gaps):
        return None  # labels then figures fit: nothing to recover
    runs = [[t for t in run if t.text] for run in _figure_runs(tokens)]
    runs = [run for run in runs if run]
    # Rows may sit side by side in one run, but a label never falls inside a row: every
    # place a run ends must be a place a row ends, and the figures must fill the rows.
    widths = [len(layout[row]) for row in rows]
    row_ends = set(accumulate(widths))
    run_ends = set(accumulate(len(run) for run in runs))
    if not runs or sum(widths) != sum(len(run) for run in runs) or not run_ends <= row_ends:
        return None
    # A run over several rows of more than one column could be printed row by row or
    # column by column (pdfminer): which is which cannot be told.
    start = 0
    for run in runs:
        spanned = [
            w
            for w, end in zip(widths, accumulate(widths), strict=True)
            if start < end <= start + len(run)
        ]
        if len(spanned) > 1 and any(w > 1 for w in spanned):
            return None
        start += len(run)
    stream = [token for run in runs for token in run]
    starts = [0, *accumulate(widths)]
    return {row: stream[starts[i] : starts[i + 1]] for i, row in enumerate(rows)}


# --- fused digits -----------------------------------------------------------------------------

_MAX_SPLITS = 2048
_MAX_BLOCKS = 4
_MAX_COMBINATIONS = 16
# A row with more surplus figures than this took another row's figures, not a repeated cell.
_MAX_EXTRA = 2


def _splits(digits: str, max_parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to cut a digit run into at most ``max_parts`` figures (no figure but 0
    starts with 0)."""
    if not digits:
        yield ()
        return
    if max_parts <= 0:
        return
    if digits[0] == "0":
        for rest in _splits(digits[1:], max_parts - 1):
            yield (0, *rest)
        return
    for cut in range(1, min(len(digits), MAX_DIGITS) + 1):
        head = digits[:cut]
        for rest in _splits(digits[cut:], max_parts - 1):
            yield (int(head), *rest)


def _fused_readings(texts: Sequence[str], width: int) -> Iterator[list[Number]]:
    """The figure lists a row's tokens can stand for when digit runs are fused cells.

    Nothing when the cuts are too many to try them all: a reading chosen among some of
    them could be contradicted by one not tried.
    """
    for numbers in _fused_cache(tuple(texts), width):
        yield list(numbers)


@lru_cache(maxsize=1024)
def _fused_cache(texts: tuple[str, ...], width: int) -> tuple[tuple[Number, ...], ...]:
    return tuple(tuple(n) for n in _enumerate_fused(texts, width))


def _enumerate_fused(texts: Sequence[str], width: int) -> Iterator[list[Number]]:
    options: list[list[tuple[Number, ...]]] = []
    total = 1
    for text in texts:
        value = parse_number(text)
        if value is None:
            return
        if isinstance(value, int) and text.isdigit() and len(text) > 1:
            cuts: list[tuple[Number, ...]] = []
            for cut in _splits(text, width + _MAX_EXTRA):
                cuts.append(cut)
                if len(cuts) > _MAX_SPLITS:
                    return
        else:
            cuts = [(value,)]
        options.append(cuts)
        total *= len(cuts)
        if total > _MAX_SPLITS:
            return
    for combination in product(*options):
        numbers = [n for part in combination for n in part]
        if len(numbers) <= width + _MAX_EXTRA:
            yield numbers


# A row's words from the format, for figures placed by the format's row order alone.
_ROW_WORDS = {row: words[0] for row, words in reversed(APPLICATION_ROWS)} | {"other": "其他"}
_READING_NAMES = {
    "before": "before their labels",
    "rows": "cut row by row apart from the labels",
    "columns": "column by column apart from the labels",
    "blocks": "in blocks after their runs of labels",
    "runs": "as runs of figures in page order, labels set aside",
}


def _shifted_rows(figures: dict[str, list[str]], order: Sequence[str], width: int) -> set[str]:
    """Rows between a row that took a second row's figures and the next row left empty.

    A label printed beside the middle of its row's figures (pdfplumber) hands the figures
    after it to the next label: one row gets two rows' figures, the rows after it get their
    successor's, until a row is left with none.
    """
    shifted: set[str] = set()
    active = False
    for row in order:
        if row not in figures:
            continue
        count = len(figures[row])
        if count >= 2 * width - 1:
            active = True
            continue
        if count == 0:
            active = False
        elif active:
            shifted.add(row)
    return shifted


def _sums_hold(cells: dict[str, dict[str, Number]]) -> bool:
    """The balance 一+二 = 三(七)+四 holds in the 总计 column and no sum is broken."""
    parts = [cells.get(row, {}).get("total") for row in _BALANCE_ROWS]
    return None not in parts and not _failed_sums(cells)


def _failed_sums(cells: dict[str, dict[str, Number]]) -> list[str]:
    """The table's own sums that the cells break: 一+二 = 三(七)+四, (七) = its sub-rows."""
    failed = []
    for column in APPLICANT_COLUMNS:
        parts = [cells.get(row, {}).get(column) for row in _BALANCE_ROWS]
        if None not in parts:
            received, carried, handled, forward = parts
            if received + carried != handled + forward:  # type: ignore[operator]
                failed.append(f"一+二≠三(七)+四 in {column}")
        results = [cells.get(row, {}).get(column) for row in RESULT_ROWS]
        handled = cells.get("total_handled", {}).get(column)
        present = [v for v in results if v is not None]
        if handled is not None and present and sum(present) > handled:
            failed.append(f"results exceed (七)总计 in {column}")
        complete = None not in results
        if handled is not None and complete and sum(present) != handled:
            failed.append(f"results ≠ (七)总计 in {column}")
    return failed


_BALANCE_ROWS = ("new_received", "carried_over", "total_handled", "carried_forward")


def _by_column(
    texts: Sequence[str], rows: Sequence[str], columns: Sequence[str] = APPLICANT_COLUMNS
) -> dict[str, list[str]]:
    """Figures printed column by column, one column of ``len(rows)`` figures after another.

    pdfminer may emit the 总计 column's boxes before a column printed left of it; the 总计
    column is the one that is the sum of all the others in every row, and is put last when
    the columns it jumped over are all zeros (so no figure depends on their order).
    """
    count = len(rows)
    blocks = [list(texts[c * count : (c + 1) * count]) for c in range(len(texts) // count)]
    numbers = [[parse_number(t) for t in block] for block in blocks]
    last = len(blocks) - 1
    # With a 小计 column two columns are sums of others: no column is moved then.
    if last > 0 and "org_subtotal" not in columns and all(None not in c for c in numbers):
        sums = [
            c
            for c in range(1, len(blocks))  # the first column is 自然人, never the total
            if any(numbers[c])
            and all(
                numbers[c][r] == sum(numbers[o][r] for o in range(len(blocks)) if o != c)  # type: ignore[misc]
                for r in range(count)
            )
        ]
        if len(sums) == 1 and sums[0] != last:
            jumped = range(sums[0] + 1, len(blocks))
            if all(not any(numbers[o]) for o in jumped):
                total = blocks.pop(sums[0])
                blocks.append(total)
    return {row: [block[i] for block in blocks] for i, row in enumerate(rows)}


def _figure_runs(tokens: Sequence[Token]) -> list[list[Token]]:
    """Maximal runs of consecutive figure tokens (blank grid cells included)."""
    runs: list[list[Token]] = []
    for k, token in enumerate(tokens):
        if token.kind != "figure":
            continue
        if runs and k > 0 and tokens[k - 1].kind == "figure":
            runs[-1].append(token)
        else:
            runs.append([token])
    return runs


def _best_cuts(
    texts: Sequence[str], rows: Sequence[str], columns: Sequence[str]
) -> list[dict[str, list[str]]]:
    """The ways to cut one run of figures into ``rows`` that the row sums favour most.

    A run holds its rows row by row, column by column, or some rows row by row and the
    rest as a block column by column; every cut with the most evidence is returned (the
    table's sums decide between them).
    """
    width = len(columns)
    cuts: list[dict[str, list[str]]] = []
    for lead in range(len(rows) + 1):
        if 0 < len(rows) - lead < 2:
            continue  # a column-wise block of one row is that row
        cut = {r: list(texts[i * width : (i + 1) * width]) for i, r in enumerate(rows[:lead])}
        if lead < len(rows):
            cut.update(_by_column(texts[lead * width :], rows[lead:], columns))
        if cut not in cuts:
            cuts.append(cut)
    scores = [_sum_evidence(cut, columns) for cut in cuts]
    return [cut for cut, score in zip(cuts, scores, strict=True) if score == max(scores)]


def _combine(options: Sequence[list[dict[str, list[str]]]]) -> list[dict[str, list[str]]]:
    """Every reading made of one option per run (at most ``_MAX_COMBINATIONS``)."""
    readings = []
    for combination in product(*options):
        reading: dict[str, list[str]] = {}
        for part in combination:
            reading.update(part)
        readings.append(reading)
        if len(readings) >= _MAX_COMBINATIONS:
            break
    return readings


def _sum_evidence(figures: dict[str, list[str]], columns: Sequence[str] = APPLICANT_COLUMNS) -> int:
    """Rows whose figures add up to a non-zero total, less the rows that do not add up
    (rows of zeros say nothing either way)."""
    score = 0
    for texts in figures.values():
        numbers = [parse_number(t) for t in texts]
        if None in numbers or len(numbers) < 2:
            continue
        if not _row_adds_up(numbers, columns):  # type: ignore[arg-type]
            score -= 1
        elif numbers[-1]:
            score += 1
    return score


def _trim_blanks(texts: list[str], width: int) -> list[str]:
    """A grid row's cells: blank cells beyond the columns dropped from the ends, then all
    blank cells dropped if the row still has more cells than columns."""
    texts = list(texts)
    while len(texts) > width and texts and not texts[-1]:
        texts.pop()
    while len(texts) > width and texts and not texts[0]:
        texts.pop(0)
    if len(texts) > width or not any(texts):
        texts = [t for t in texts if t]
    return texts


def _by_position(texts: Sequence[str], columns: Sequence[str]) -> dict[str, Number] | None:
    """A grid row with one cell per column, blank cells included: each figure under its own
    column, blanks absent.  None when the cells are not one per column or the printed
    addends exceed the printed total."""
    if len(texts) != len(columns):
        return None
    placed = {
        c: n for c, t in zip(columns, texts, strict=True) if (n := parse_number(t)) is not None
    }
    total = placed.get("total")
    addends = [v for c, v in placed.items() if c not in ("total", "org_subtotal")]
    if total is not None and sum(addends) > total:
        return None
    return placed


# Blank cells vanish from most converters' text: a row of two figures (自然人 and 总计, say)
# still gives the cells every reading that adds up agrees on (the 总计).
def _sparse_row(numbers: Sequence[Number]) -> bool:
    """Two or more figures whose last is non-zero and the sum of the others."""
    return len(numbers) >= 2 and numbers[-1] > 0 and _row_adds_up(numbers)


_UNITS = frozenset({"条", "件", "项", "个", "次", "人次", "份", "宗", "起", "万元", "元", "单位"})
_STAT_HEADER_RE = lazy(r"指标|计量单位")


def _year_column(header: str | None) -> tuple[int, int] | None:
    """(index of the covered year's figure, figures per row) by the header's words — 本年度
    and 历年累计 in their printed order — or None when no header names the year's column."""
    if header is None:
        return None
    key = "".join(header.split())
    year = STATISTICS_YEAR_RE.search(key)
    if year is None:
        return None
    cumulative = min((p for c in STATISTICS_CUMULATIVE if (p := key.find(c)) >= 0), default=-1)
    if cumulative < 0:
        return 0, 1
    return (0 if year.start() < cumulative else 1), 2


def _row_adds_up(numbers: Sequence[Number], columns: Sequence[str] = APPLICANT_COLUMNS) -> bool:
    """The row adds up: 自然人 + 法人 columns = 总计 (and 小计 = the 法人 columns where printed);
    a row of other length: its last figure is the sum of the others."""
    if len(numbers) == len(columns) and "org_subtotal" in columns:
        return bool(adds_up(numbers, columns))
    return len(numbers) >= 2 and sum(numbers[:-1]) == numbers[-1]


def _unique_cut(texts: Sequence[str], width: int) -> list[str] | None:
    """Fused digit runs that can be cut into exactly ``width`` figures in one way only."""
    found = {tuple(n) for n in _fused_readings(texts, width) if len(n) == width}
    if len(found) != 1:
        return None
    return [str(n) for n in found.pop()]


# --- the tables -------------------------------------------------------------------------------


class _StreamReader:
    def __init__(self, template: str) -> None:
        self.template = template
        self.columns: tuple[str, ...] = APPLICANT_COLUMNS
        self.uniform = False
        self.values: list[Value] = []
        self.warnings: list[str] = []
        self.tables: set[str] = set()
        self.application_rows: set[str] = set()

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    # 表二 -------------------------------------------------------------------------------
    def active(self, tokens: list[Token]) -> None:
        layout = ACTIVE_DEFAULT_COLUMNS.get(self.template)
        if not layout:
            return
        order = list(layout)
        matched, _, joined = _match_labels(
            tokens, lambda text: match_label(text, ACTIVE_ROWS), lambda text: True
        )
        anchors = _align(tokens, matched, order)
        if not anchors:
            if any(t.kind == "figure" for t in tokens):
                self.warn("表二: no row label of the format found; figures left out")
            return
        missing = [row for row in order if row not in {r for _, r in anchors}]
        if missing and any(t.kind == "figure" for t in tokens):
            self.warn(f"表二: rows {', '.join(missing)} not found by their labels")
        figures = _segment_tokens(tokens, anchors, after=True)
        labels = {row: joined.get(k, tokens[k].text) for k, row in anchors}
        label_lines = {row: tokens[k].line for k, row in anchors}
        runs = _active_runs(tokens, figures, layout, {row for _, row in matched})
        if runs is not None:
            self.warn(
                "表二: labels printed apart from their figures; runs of figures read in"
                " page order, one per row, each as many as the row's columns"
            )
            figures = runs
            label_lines = {row: found[0].line for row, found in runs.items()}
            for row in runs:
                labels.setdefault(row, _ACTIVE_WORDS[row])
        later_figures = 0
        damaged = False
        rows = list(figures)
        separated = any(len([t for t in found if t.text]) >= 2 for found in figures.values())
        for position, row in enumerate(rows):
            found = [t for t in figures[row] if t.text]  # blank grid cells hold no figure
            columns = layout[row]
            later_figures = sum(len(figures[r]) for r in rows[position + 1 :])
            if not found:
                if later_figures:
                    damaged = True
                    self.warn(f"表二 row {labels[row]}: no figures beside its label; left out")
                continue
            self.tables.add("active_disclosure")
            texts = [t.text for t in found]
            # Only a table printed without separators has fused cells: where the converter
            # separated figures, a lost cell is no licence to cut a two-digit figure.
            if len(found) == 1 < len(columns) and not separated:
                cut = _unique_cut(texts, len(columns))
                if cut is not None:
                    self.warn(
                        f"表二 row {labels[row]}: fused digits {' '.join(texts)} cut the one way"
                    )
                    texts = cut
                    found = [Token("figure", t, found[0].line) for t in cut]
            if len(found) != len(columns):
                damaged = True
                self.warn(
                    f"表二 row {labels[row]}: {len(found)} figures for {len(columns)} columns"
                    f" ({' '.join(texts)}); left out"
                )
                continue
            # After a row that lost or took figures, only figures on their label's line
            # are surely that row's.
            if damaged and any(t.line != label_lines[row] for t in found):
                self.warn(
                    f"表二 row {labels[row]}: figures {' '.join(texts)} follow a damaged row"
                    " and stand apart from their label; left out"
                )
                continue
            for column, text in zip(columns, texts, strict=True):
                number = parse_number(text)
                if number is not None:
                    self.values.append(
                        Value("active_disclosure", row, column, number, "table", labels[row])
                    )

    # 表三 -------------------------------------------------------------------------------
    def application_order(self) -> list[str]:
        rows = ["new_received", "carried_over", *RESULT_ROWS, "total_handled", "carried_forward"]
        if self.template == "2019":
            rows = [r for r in rows if r not in ("other_no_correction", "other_no_fee")]
        return rows

    def application_match(self, text: str) -> str | None:
        row = match_label(text, APPLICATION_ROWS)
        if row is not None:
            return row
        key = label_key(text)
        if "其他处理" in key:
            # The 2019 row; in 2021 forms a group over 1.–3. — or, where a county printed
            # the form without those sub-rows, the row itself.  Alignment in the format's
            # order keeps whichever the printed sub-rows allow.
            return "other"
        if key == "其他" and re.match(r"^\s*3\s*[.、．]", text):
            return "other"  # 2021 (六) sub-row 3.其他; a bare 其他 is the header column
        return None

    def applications(self, tokens: list[Token]) -> None:
        order = self.application_order()
        matched, blockers, joined = _match_labels(tokens, self.application_match, _is_group_label)
        anchors = _align(tokens, matched, order)
        if len(anchors) < 2:
            return
        header = tokens[: anchors[0][0]]
        columns = columns_for_header(
            "".join(label_key(t.text) for t in header if t.kind == "label")
        )
        if columns is None:
            self.warn("表三: the header prints 小计 but not where among the columns; left out")
            return
        self.columns = columns
        width = len(self.columns)
        labels = {row: joined.get(k, tokens[k].text) for k, row in anchors}
        readings: list[tuple[str, dict[str, list[str]]]] = [
            ("after", _segments(tokens, anchors, after=True, blockers=blockers)),
            ("before", _segments(tokens, anchors, after=False, blockers=blockers)),
            *self.pooled(tokens, anchors, order, width, {row for _, row in matched}),
        ]
        variants: list[tuple[str, dict[str, list[str]]]] = []
        for kind, raw in readings:
            figures = {row: _trim_blanks(texts, width) for row, texts in raw.items()}
            if not any("" in texts for texts in figures.values()):
                variants.append((kind, figures))
                continue
            # Blank grid cells hold their columns — unless the page's rows are ragged (a
            # damaged page): a reading by position must make the table's sums hold, and
            # the same reading without the blanks is tried too.
            variants.append((f"{kind}+blanks", figures))
            variants.append((kind, {r: [t for t in x if t] for r, x in figures.items()}))
        candidates = []
        for kind, figures in variants:
            if not any(figures.values()):
                continue
            cells, notes, damaged = self.resolve_reading(figures, labels, order)
            # Labels then their figures: taken as printed (the checks judge it) unless the
            # table's sums fail; then rows are read only where they add up, and the sums
            # must hold for what is left.  Any other reading only when the sums hold.
            trusted = (kind == "after" and not _failed_sums(cells)) or _sums_hold(cells)
            if kind == "after" and not trusted and not damaged:
                cells, notes, _ = self.resolve_reading(figures, labels, order, strict=True)
                trusted = not _failed_sums(cells)
            candidates.append((trusted, self.fit(figures, width), kind, cells, notes, figures))
        if not candidates:
            return
        best = max(candidates, key=lambda c: (c[0], c[1]))
        trusted, _, kind, cells, notes, figures = best
        self.tables.add("applications")
        self.application_rows = {row for row, texts in figures.items() if texts}
        if not trusted:
            self.warn(
                "表三: labels and figures printed apart and no reading satisfies the table's"
                f" sums ({'; '.join(_failed_sums(cells)[:3]) or 'not enough rows'});"
                " table left out"
            )
            return
        self.warnings.extend(notes)
        base = kind.removesuffix("+blanks")
        if base != "after":
            self.warn(f"表三: figures read {_READING_NAMES[base]}; the table's sums hold")
        for other in candidates:
            if other is best or not other[0]:
                continue
            for row, read in cells.items():
                for column in list(read):
                    theirs = other[3].get(row, {}).get(column)
                    if theirs is not None and theirs != read[column]:
                        self.warn(
                            f"表三 row {labels.get(row, row)} {column}: two readings that add"
                            f" up disagree ({read[column]} or {theirs}); left out"
                        )
                        del read[column]
        for row in order:
            for column, value in cells.get(row, {}).items():
                label = labels.get(row) or _ROW_WORDS[row]
                self.values.append(Value("applications", row, column, value, "table", label))

    def resolve_reading(
        self,
        figures: dict[str, list[str]],
        labels: dict[str, str],
        order: list[str],
        strict: bool = False,
    ) -> tuple[dict[str, dict[str, Number]], list[str], bool]:
        """Each row's cells under one reading, the notes on them, and whether it is damaged.

        Rows are taken as printed only when every row got one figure per column (and not
        ``strict``); otherwise the association is in doubt and a row must add up to be read.
        """
        width = len(self.columns)
        damaged = strict or any(len(texts) != width for texts in figures.values())
        # Every row short by the same cells: a page that leaves its blank columns out
        # (only 自然人 and 总计 filled), not figures scattered by a converter.
        counts = {len(texts) for texts in figures.values() if texts}
        self.uniform = len(counts) == 1 and 2 <= min(counts) < width
        notes_by_row: list[tuple[str, str]] = []
        cells: dict[str, dict[str, Number]] = {}
        upper: dict[str, Number] | None = None
        if figures.get("total_handled"):
            upper = self.resolve(
                "total_handled", figures["total_handled"], None, damaged, notes_by_row
            )
            cells["total_handled"] = upper
        shifted = _shifted_rows(figures, order, width)
        for row in order:
            texts = figures.get(row)
            if not texts or row == "total_handled":
                continue
            if row in shifted:
                notes_by_row.append(
                    (row, "follows a row that took another row's figures; left out")
                )
                continue
            bound = upper if row in RESULT_ROWS else None
            cells[row] = self.resolve(row, texts, bound, damaged, notes_by_row)
        notes = [
            f"表三 row {labels.get(row) or _ROW_WORDS[row]}: {note}" for row, note in notes_by_row
        ]
        return cells, notes, damaged

    def fit(self, figures: dict[str, list[str]], width: int) -> int:
        """How well a reading fits: rows with one figure per column, twice if they add up."""
        score = 0
        for texts in figures.values():
            if len(texts) != width:
                continue
            numbers = [parse_number(t) for t in texts]
            score += 1
            if None not in numbers and _row_adds_up(numbers, self.columns):  # type: ignore[arg-type]
                score += 1
        return score

    def pooled(
        self,
        tokens: list[Token],
        anchors: list[tuple[int, str]],
        order: list[str],
        width: int,
        found_rows: set[str],
    ) -> list[tuple[str, dict[str, list[str]]]]:
        """Figures cut into rows regardless of where the labels stand.

        All labels first and then the figures (pdfminer), or figure blocks shuffled among
        the labels (pdftotext, pdfplumber): when the figures number exactly one row of
        ``width`` per row of the format (or per row label found), they are cut row by
        row and column by column.  Such readings are kept only where the sums hold.
        """
        texts = [t.text for t in tokens if t.kind == "figure"]
        found = [row for _, row in anchors]
        readings: list[tuple[str, dict[str, list[str]]]] = []
        for rows in (order, found):
            if len(texts) != len(rows) * width:
                continue
            readings.append(
                ("rows", {row: texts[i * width : (i + 1) * width] for i, row in enumerate(rows)})
            )
            readings.append(("columns", _by_column(texts, rows, self.columns)))
            break
        readings.extend(("blocks", blocks) for blocks in self.blocks(tokens, anchors, width))
        readings.extend(("runs", runs) for runs in self.runs(tokens, found_rows, order, width))
        return readings

    def runs(
        self, tokens: list[Token], found_rows: set[str], order: list[str], width: int
    ) -> list[dict[str, list[str]]]:
        """Runs of figures in page order, labels set aside (pdftotext's default mode).

        A converter that emits text blocks out of order still emits the figure blocks top
        to bottom: each run of figures is one row, or several rows column by column.  The
        runs fill the rows whose labels were found anywhere, in the format's order; a run
        may open with rows printed row by row and go on with a block column by column.
        """
        rows = [row for row in order if row in found_rows]
        runs = [[t.text for t in run] for run in _figure_runs(tokens)]
        # A run split by a label printed among its figures is joined up again: runs are
        # merged until they hold whole rows.
        whole: list[list[str]] = []
        pending: list[str] = []
        for run in runs:
            pending = pending + run
            if len(pending) % width == 0:
                whole.append(pending)
                pending = []
        runs = whole
        if pending or len(runs) < 2:
            return []
        if sum(len(run) for run in runs) != len(rows) * width:
            return []
        options: list[list[dict[str, list[str]]]] = []
        position = 0
        for run in runs:
            span = rows[position : position + len(run) // width]
            position += len(span)
            options.append(_best_cuts(run, span, self.columns))
        return _combine(options)

    def blocks(
        self, tokens: list[Token], anchors: list[tuple[int, str]], width: int
    ) -> list[dict[str, list[str]]]:
        """Runs of row labels each followed by a run of their figures (pdfminer, page by page).

        Every run of figures must hold exactly one row of figures per label of the run of
        labels before it; each run is cut row by row or column by column, whichever makes
        more of its rows add up (``_best_cuts``) — all where they tie (the table's sums then
        decide).
        """
        owner = {index: row for index, row in anchors}
        rows: list[str] = []
        texts: list[str] = []
        runs: list[tuple[list[str], list[str]]] = []
        for k, token in enumerate(tokens):
            if token.kind == "label":
                if texts:
                    runs.append((rows, texts))
                    rows, texts = [], []
                if k in owner:
                    rows.append(owner[k])
            else:
                texts.append(token.text)
        if texts:
            runs.append((rows, texts))
        if not runs or all(len(r) <= 1 for r, _ in runs) or len(runs) > _MAX_BLOCKS:
            return []
        options: list[list[dict[str, list[str]]]] = []
        for run_rows, run_texts in runs:
            if not run_rows or len(run_texts) != len(run_rows) * width:
                return []
            options.append(_best_cuts(run_texts, run_rows, self.columns))
        return _combine(options)

    def resolve(
        self,
        row: str,
        texts: list[str],
        upper: dict[str, Number] | None,
        damaged: bool,
        notes: list[tuple[str, str]],
    ) -> dict[str, Number]:
        if "" in texts:
            placed = _by_position(texts, self.columns)
            if placed is not None:
                return placed
            texts = [t for t in texts if t]
        numbers = [n for t in texts if (n := parse_number(t)) is not None]
        read, note = resolve_row(
            numbers,
            self.columns,
            upper=upper,
            damaged=damaged,
            max_extra=_MAX_EXTRA,
            # A short row is read only when its figures add up to a non-zero last one
            # ("26 26" is 自然人, or another column, and 总计), or when every row of the
            # table is short by the same cells ("0 0" there is a blank-free row, too).
            max_missing=len(self.columns) - 2
            if _sparse_row(numbers) or (self.uniform and _row_adds_up(numbers))
            else 2,
        )
        if not read or len(read) < len(self.columns):
            fused = self.resolve_fused(texts, upper)
            if fused is not None and len(fused) > len(read or {}):
                read, note = fused, f"{' '.join(texts)}: fused digits cut where the row adds up"
        if note:
            notes.append((row, note))
        return read or {}

    def resolve_fused(
        self, texts: list[str], upper: dict[str, Number] | None
    ) -> dict[str, Number] | None:
        if not any(t.isdigit() and len(t) > 1 for t in texts):
            return None
        width = len(self.columns)
        agreed: dict[str, set[Number | None]] = {c: set() for c in self.columns}
        valid = 0
        for numbers in _fused_readings(texts, width):
            if len(numbers) < width - 1:
                continue
            read, _ = resolve_row(numbers, self.columns, upper=upper, damaged=True)
            if not read or "total" not in read:
                continue
            valid += 1
            for column in self.columns:
                agreed[column].add(read.get(column))
        if not valid:
            return None
        return {
            column: next(iter(seen))  # type: ignore[misc]
            for column, seen in agreed.items()
            if len(seen) == 1 and None not in seen
        }

    # pre-2019 统计表 -------------------------------------------------------------------
    def statistics(self, tokens: list[Token]) -> None:
        """指标名称 | 计量单位 | 本年度 | 历年累计: each row's figure for the covered year.

        The header says which of a row's figures is this year's (the cumulative one is
        never read); every label that is not a unit closes the row before it.
        """
        start = next(
            (
                k
                for k, t in enumerate(tokens)
                if t.kind == "label" and _STAT_HEADER_RE.search(t.text)
            ),
            None,
        )
        first_figure = next((k for k, t in enumerate(tokens) if t.kind == "figure"), len(tokens))
        header_tokens = [] if start is None else tokens[start:first_figure]
        # The header's words, on one line or a word per line, up to the first row's label.
        header_words = [t.text for t in header_tokens if statistics_key(t.text) is None]
        header = "".join(header_words) if header_words else None
        year_column = _year_column(header)
        rows: list[tuple[str, list[str]]] = []
        for token in tokens:
            if token.kind == "label":
                if token.text in _UNITS or token.text in header_words:
                    continue
                rows.append((token.text, []))
            elif rows and token.text:
                rows[-1][1].append(token.text)
        seen: set[tuple[str, str, str]] = set()
        for label, texts in rows:
            key = statistics_key(label)
            if key is None or not texts:
                continue
            if key in seen:
                self.warn(f"统计表 row {label} repeats a figure already read; ignored")
                continue
            if year_column is not None and len(texts) == year_column[1]:
                text = texts[year_column[0]]
            else:
                self.warn(f"统计表 row {label}: which figure is this year's is unclear; left out")
                continue
            number = parse_number(text)
            if number is None:
                continue
            seen.add(key)
            self.tables.add("statistics")
            self.values.append(Value(*key, number, "table", label))

    # 表四 -------------------------------------------------------------------------------
    def review(self, tokens: list[Token]) -> None:
        texts = [t.text for t in tokens if t.kind == "figure"]
        if not texts:
            return
        self.tables.add("review_litigation")
        figure_at = [k for k, t in enumerate(tokens) if t.kind == "figure"]
        interleaved = any(t.kind == "label" for t in tokens[figure_at[0] : figure_at[-1]])
        width = len(REVIEW_ROWS) * len(REVIEW_COLUMNS)
        numbers = [parse_number(t) for t in texts]
        cells: list[Number] | None = None
        step = len(REVIEW_COLUMNS)
        printed = [n for n in numbers if n is not None]
        if "" in texts and len(texts) == width:
            self.review_cells(numbers)
            return
        if "" in texts:
            texts = [t for t in texts if t]
            numbers = [parse_number(t) for t in texts]
        if len(printed) == width == len(numbers):
            cells = printed
            totals_hold = all(
                sum(printed[i : i + step - 1]) == printed[i + step - 1]
                for i in range(0, width, step)
            )
            if interleaved and not totals_hold:
                self.warn(
                    "表四: figures printed among the header words and the totals do not hold;"
                    " left out"
                )
                return
        elif len(numbers) < width:
            cells = self.review_fused(texts, width)
        if cells is None:
            self.warn(f"表四 has {len(texts)} figures for {width} cells; left out")
            return
        for r, row in enumerate(REVIEW_ROWS):
            for c, column in enumerate(REVIEW_COLUMNS):
                value = cells[r * len(REVIEW_COLUMNS) + c]
                if value is None:
                    continue
                label = f"{REVIEW_ROW_LABELS[row]} {REVIEW_COLUMN_LABELS[column]}"
                self.values.append(Value("review_litigation", row, column, value, "table", label))

    def review_cells(self, cells: Sequence[Number | None]) -> None:
        """表四 from a grid row of 15 cells, blank ones absent."""
        for r, row in enumerate(REVIEW_ROWS):
            for c, column in enumerate(REVIEW_COLUMNS):
                value = cells[r * len(REVIEW_COLUMNS) + c]
                if value is not None:
                    label = f"{REVIEW_ROW_LABELS[row]} {REVIEW_COLUMN_LABELS[column]}"
                    self.values.append(
                        Value("review_litigation", row, column, value, "table", label)
                    )

    def review_fused(self, texts: list[str], width: int) -> list[Number] | None:
        step = len(REVIEW_COLUMNS)
        valid: list[list[Number]] = []
        for numbers in _fused_readings(texts, width):
            if len(numbers) != width:
                continue
            rows = [numbers[i : i + step] for i in range(0, width, step)]
            if all(sum(r[:-1]) == r[-1] for r in rows):
                valid.append(numbers)
        if not valid:
            return None
        cells: list[Number | None] = [
            valid[0][i] if all(v[i] == valid[0][i] for v in valid) else None for i in range(width)
        ]
        self.warn(f"表四: fused digits {' '.join(texts)} cut where every total adds up")
        return cells  # type: ignore[return-value]


def read_stream_tables(
    lines: Sequence[str], template: str, skip: set[str]
) -> tuple[list[Value], list[str], set[str], set[str]]:
    """Figures of the tables not in ``skip``, read from their regions' token streams.

    Returns (values, warnings, tables found, 表三 rows printed).
    """
    reader = _StreamReader(template)
    for table, region in find_regions(lines).items():
        if table in skip:
            continue
        tokens = tokenize(region)
        if table == "active_disclosure":
            reader.active(tokens)
        elif table == "applications":
            reader.applications(tokens)
        elif table == "review_litigation":
            reader.review(tokens)
        elif template == "pre2019":
            reader.statistics(tokens)
    return reader.values, reader.warnings, reader.tables, reader.application_rows
