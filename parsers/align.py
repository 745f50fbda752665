"""Read 表二, 表三 and 表四 from body text in any layout, by aligning tokens with the format.

Converters lay a table out in many ways: a row per line with cells separated by pipes, box
drawing, runs of spaces or single spaces; a cell per line; labels wrapped around their
figures; figure blocks before their labels; all labels first and then the figures column by
column; digits fused with no separator at all.  What stays constant is the format: each
table has fixed rows in a fixed order and a fixed number of figures per row, and carries its
own arithmetic.  So a table region is turned into a stream of *label* tokens and *figure*
tokens whatever the separator, the labels are aligned with the format's rows (in order:
the longest run of matches that respects the printed order), figures go to the row whose
label they follow (or precede, or fill column by column — whichever reading the arithmetic
accepts), and every row is resolved by ``tables.resolve_row``: a figure is placed only where
every reading that adds up agrees.  Nothing is moved or invented; what cannot be placed is
absent with a warning naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import product

from .layout import TOP_HEADING_RE
from .model import Number, Value
from .rows import parse_number, resolve_row
from .sections import title_group
from .template import (
    ACTIVE_DEFAULT_COLUMNS,
    ACTIVE_ROWS,
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    RESULT_ROWS,
    REVIEW_COLUMN_LABELS,
    REVIEW_COLUMNS,
    REVIEW_ROW_LABELS,
    REVIEW_ROWS,
    label_key,
    match_label,
)

__all__ = ["Token", "find_regions", "read_stream_tables", "tokenize"]

# --- regions ----------------------------------------------------------------------------

# Heading words that open each table's region (matched on the label key of a short line).
_OPENERS = (
    ("active_disclosure", ("主动公开政府信息情况",)),
    ("applications", ("收到和处理政府信息公开申请",)),
    ("applications", ("依申请公开政府信息情况",)),
    ("review_litigation", ("行政复议", "行政诉讼")),
)
_TABLE_GROUP = {"active_disclosure": 2, "applications": 3, "review_litigation": 4}
_MAX_OPENER = 32
_SENTENCE_END = "。；;"


def _opens(line: str) -> str | None:
    text = line.strip()
    if not text or len(text) > _MAX_OPENER or "\t" in text:
        return None
    if not (TOP_HEADING_RE.match(text) or len(text) <= 20):
        return None
    key = label_key(text)
    for table, fragments in _OPENERS:
        if all(f in key for f in fragments):
            return table
    return None


def _closes(line: str, table: str) -> bool:
    text = line.strip()
    match = TOP_HEADING_RE.match(text)
    if not match or len(text) > _MAX_OPENER:
        return False
    group = title_group(match["text"])
    if group is None or group == _TABLE_GROUP[table]:
        return False
    # 表三's rows 一、…申请数量 / 四、结转下年度 look like top headings; they are rows.
    return not (table == "applications" and match_label(text, APPLICATION_ROWS))


def find_regions(lines: Sequence[str]) -> dict[str, list[str]]:
    """The lines of each table's region: from its heading to the next section or table."""
    regions: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        opened = _opens(line)
        if opened is not None:
            current = opened if opened not in regions else None
            if current is not None:
                regions[current] = []
            continue
        if current is None:
            continue
        if _closes(line, current):
            current = None
            continue
        regions[current].append(line)
    return regions


# --- tokens -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """A label (text) or a figure (digits as printed) with the line it came from."""

    kind: str  # "label" | "figure"
    text: str
    line: int


_SPLIT_RE = re.compile(r"[\s|│┃┆┊║\u00a0]+")
_RULE_RE = re.compile(r"^[-=:+─━┄┈═┌┐└┘├┤┬┴┼╋╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪]+$")
# A label with figures fused onto its end ("数量6000006", "行政许可13323").
_FUSED_TAIL_RE = re.compile(r"^(?P<label>.*[^\d.,+\-])(?P<figure>\d+(?:\.\d+)?)$")
# Text that continues a figure's digits as words ("保留4" + "位小数", "2021" + "年").
_WORD_AFTER_DIGITS = tuple("年月日号位项条个元")
_FIGURE_CHARS = frozenset("0123456789.,-+件条项个宗次份万元")


def _pieces(line: str) -> Iterator[str]:
    for piece in _SPLIT_RE.split(line):
        piece = piece.strip("*`_")
        if piece and not _RULE_RE.match(piece):
            yield piece


def tokenize(lines: Sequence[str]) -> list[Token]:
    """Label and figure tokens of a table region, whatever separates its cells."""
    tokens: list[Token] = []
    for index, line in enumerate(lines):
        if any(end in line for end in _SENTENCE_END):
            continue  # prose inside the section, not a cell
        for piece in _pieces(line):
            if parse_number(piece) is not None and "%" not in piece:
                tokens.append(Token("figure", piece, index))
                continue
            fused = _FUSED_TAIL_RE.match(piece)
            if fused and re.search(r"[\u4e00-\u9fff)）]", fused["label"]):
                tokens.append(Token("label", fused["label"], index))
                tokens.append(Token("figure", fused["figure"], index))
                continue
            tokens.append(Token("label", piece, index))
    return _merge(tokens)


def _merge(tokens: list[Token]) -> list[Token]:
    """Join label pieces of one line; a figure followed by 年/位/… is text, not a figure."""
    out: list[Token] = []
    for k, token in enumerate(tokens):
        following = tokens[k + 1] if k + 1 < len(tokens) else None
        if (
            token.kind == "figure"
            and following is not None
            and following.kind == "label"
            and following.text.startswith(_WORD_AFTER_DIGITS)
            and following.line - token.line <= 1
        ):
            token = Token("label", token.text, token.line)
        if token.kind == "label" and out and out[-1].kind == "label" and out[-1].line == token.line:
            out[-1] = Token("label", out[-1].text + token.text, token.line)
            continue
        out.append(token)
    return out


# --- aligning labels with the format's rows ---------------------------------------------------


def _longest_ordered(matches: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of (token index, row order) whose row order strictly rises."""
    best: list[list[tuple[int, int]]] = []
    for item in matches:
        candidates = [seq for seq in best if seq[-1][1] < item[1]]
        chain = [*max(candidates, key=len), item] if candidates else [item]
        best.append(chain)
    return max(best, key=len) if best else []


def _align(
    tokens: Sequence[Token], match: Iterable[tuple[int, str]], order: Sequence[str]
) -> list[tuple[int, str]]:
    """(token index, row) of the row labels, kept only in the format's order."""
    rank = {row: i for i, row in enumerate(order)}
    matches = [(index, rank[row]) for index, row in match if row in rank]
    return [(index, order[r]) for index, r in _longest_ordered(matches)]


def _segments(
    tokens: Sequence[Token], anchors: list[tuple[int, str]], after: bool
) -> dict[str, list[str]]:
    """Figures of each row: those after its label (or, ``after`` False, before it)."""
    figures: dict[str, list[str]] = {row: [] for _, row in anchors}
    if not anchors:
        return figures
    bounds = [index for index, _ in anchors]
    for k, token in enumerate(tokens):
        if token.kind != "figure":
            continue
        if after:
            owner = next((a for a in reversed(range(len(bounds))) if bounds[a] < k), None)
        else:
            owner = next((a for a in range(len(bounds)) if bounds[a] > k), None)
        if owner is not None:
            figures[anchors[owner][1]].append(token.text)
    return figures


# --- fused digits -----------------------------------------------------------------------------

_MAX_SPLITS = 4096


def _splits(digits: str) -> Iterator[tuple[int, ...]]:
    """Every way to cut a digit run into figures (no figure but 0 starts with 0)."""
    if not digits:
        yield ()
        return
    if digits[0] == "0":
        for rest in _splits(digits[1:]):
            yield (0, *rest)
        return
    for cut in range(1, len(digits) + 1):
        head = digits[:cut]
        for rest in _splits(digits[cut:]):
            yield (int(head), *rest)


def _fused_readings(texts: Sequence[str], width: int) -> Iterator[list[Number]]:
    """The figure lists a row's tokens can stand for when digit runs are fused cells."""
    options: list[list[tuple[Number, ...]]] = []
    total = 1
    for text in texts:
        value = parse_number(text)
        if value is None:
            return
        if isinstance(value, int) and text.isdigit() and len(text) > 1:
            cuts: list[tuple[Number, ...]] = [c for c in _splits(text) if len(c) <= width]
        else:
            cuts = [(value,)]
        options.append(cuts)
        total *= len(cuts)
        if total > _MAX_SPLITS:
            return
    for combination in product(*options):
        numbers = [n for part in combination for n in part]
        if len(numbers) <= width + 2:
            yield numbers


# --- the tables -------------------------------------------------------------------------------


class _StreamReader:
    def __init__(self, template: str) -> None:
        self.template = template
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
        matched = [
            (k, row)
            for k, t in enumerate(tokens)
            if t.kind == "label" and (row := match_label(t.text, ACTIVE_ROWS))
        ]
        anchors = _align(tokens, matched, order)
        if not anchors:
            return
        figures = _segments(tokens, anchors, after=True)
        labels = {row: tokens[k].text for k, row in anchors}
        for row, texts in figures.items():
            columns = layout[row]
            if not texts:
                continue
            self.tables.add("active_disclosure")
            numbers = [parse_number(t) for t in texts]
            if len(numbers) != len(columns):
                self.warn(
                    f"表二 row {labels[row]}: {len(numbers)} figures for {len(columns)} columns"
                    f" ({' '.join(texts)}); left out"
                )
                continue
            for column, number in zip(columns, numbers, strict=True):
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
        if self.template == "2019" and "其他处理" in key:
            return "other"
        if key == "其他" and re.match(r"^\s*3\s*[.、．]", text):
            return "other"  # 2021 (六) sub-row 3.其他; a bare 其他 is the header column
        return None

    def applications(self, tokens: list[Token]) -> None:
        order = self.application_order()
        matched = [
            (k, row)
            for k, t in enumerate(tokens)
            if t.kind == "label" and (row := self.application_match(t.text))
        ]
        anchors = _align(tokens, matched, order)
        if len(anchors) < 2:
            return
        width = len(APPLICANT_COLUMNS)
        labels = {row: tokens[k].text for k, row in anchors}
        readings = [_segments(tokens, anchors, after=True), _segments(tokens, anchors, after=False)]
        pooled = self.pooled(tokens, anchors, width)
        if pooled is not None:
            readings.insert(0, pooled)
        figures = max(readings, key=lambda r: self.fit(r, width))
        if not any(figures.values()):
            return
        self.tables.add("applications")
        self.application_rows = {row for row, texts in figures.items() if texts}
        upper: dict[str, Number] | None = None
        if figures.get("total_handled"):
            upper = self.resolve("total_handled", figures["total_handled"], labels, None)
        for row in order:
            texts = figures.get(row)
            if not texts:
                continue
            bound = upper if row in RESULT_ROWS else None
            read = (
                upper
                if row == "total_handled" and upper is not None
                else self.resolve(row, texts, labels, bound)
            )
            for column in APPLICANT_COLUMNS:
                if read and column in read:
                    self.values.append(
                        Value("applications", row, column, read[column], "table", labels[row])
                    )

    def fit(self, figures: dict[str, list[str]], width: int) -> int:
        """How many rows of a reading carry exactly one figure per column."""
        return sum(len(texts) == width for texts in figures.values())

    def pooled(
        self, tokens: list[Token], anchors: list[tuple[int, str]], width: int
    ) -> dict[str, list[str]] | None:
        """All labels first, then the figures row by row or column by column (pdfminer)."""
        first_figure = next((k for k, t in enumerate(tokens) if t.kind == "figure"), None)
        if first_figure is None or first_figure < anchors[-1][0]:
            return None
        texts = [t.text for t in tokens[first_figure:] if t.kind == "figure"]
        rows = [row for _, row in anchors]
        if len(texts) != len(rows) * width:
            return None
        by_row = {row: texts[i * width : (i + 1) * width] for i, row in enumerate(rows)}
        by_column = {row: texts[i :: len(rows)] for i, row in enumerate(rows)}
        row_ok = self.adds_up(by_row)
        column_ok = self.adds_up(by_column)
        if row_ok >= column_ok:
            return by_row
        return by_column

    def adds_up(self, figures: dict[str, list[str]]) -> int:
        count = 0
        for texts in figures.values():
            numbers = [parse_number(t) for t in texts]
            if None in numbers or len(numbers) < 2:
                continue
            count += sum(numbers[:-1]) == numbers[-1]  # type: ignore[arg-type]
        return count

    def resolve(
        self,
        row: str,
        texts: list[str],
        labels: dict[str, str],
        upper: dict[str, Number] | None,
    ) -> dict[str, Number] | None:
        numbers = [n for t in texts if (n := parse_number(t)) is not None]
        read, note = resolve_row(numbers, APPLICANT_COLUMNS, upper=upper)
        if not read or len(read) < len(APPLICANT_COLUMNS):
            fused = self.resolve_fused(texts, upper)
            if fused is not None and len(fused) > len(read or {}):
                read, note = fused, f"{' '.join(texts)}: fused digits cut where the row adds up"
        if note:
            self.warn(f"表三 row {labels[row]}: {note}")
        return read or None

    def resolve_fused(
        self, texts: list[str], upper: dict[str, Number] | None
    ) -> dict[str, Number] | None:
        if not any(t.isdigit() and len(t) > 1 for t in texts):
            return None
        width = len(APPLICANT_COLUMNS)
        agreed: dict[str, set[Number | None]] = {c: set() for c in APPLICANT_COLUMNS}
        valid = 0
        for numbers in _fused_readings(texts, width):
            if len(numbers) < width - 1:
                continue
            read, _ = resolve_row(numbers, APPLICANT_COLUMNS, upper=upper)
            if not read or "total" not in read:
                continue
            valid += 1
            for column in APPLICANT_COLUMNS:
                agreed[column].add(read.get(column))
        if not valid:
            return None
        return {
            column: next(iter(seen))  # type: ignore[misc]
            for column, seen in agreed.items()
            if len(seen) == 1 and None not in seen
        }

    # 表四 -------------------------------------------------------------------------------
    def review(self, tokens: list[Token]) -> None:
        texts = [t.text for t in tokens if t.kind == "figure"]
        if not texts:
            return
        self.tables.add("review_litigation")
        width = len(REVIEW_ROWS) * len(REVIEW_COLUMNS)
        numbers = [parse_number(t) for t in texts]
        cells: list[Number] | None = None
        if len(numbers) == width and None not in numbers:
            cells = numbers  # type: ignore[assignment]
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
        else:
            reader.review(tokens)
    return reader.values, reader.warnings, reader.tables, reader.application_rows
