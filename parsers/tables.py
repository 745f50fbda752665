"""Read 表二, 表三 and 表四 from body-text table rows (tab-separated cells), then hand every
table not printed that way to the alignment reader (``align``).

Tab rows are what our own HTML/PDF/DOCX extractors write: rows are anchored on their printed
**labels** (``template`` vocabularies), never on their position in the table, and a row
whose number of figures does not fit the layout is resolved by ``rows.resolve_row`` (only
the figures every reading that adds up agrees on).  Every figure left out is explained in
the warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .align import read_stream_tables
from .layout import TOP_HEADING_RE
from .model import Number, Value
from .numbers import is_blank, parse_number
from .rows import resolve_row
from .template import (
    ACTIVE_COLUMNS,
    ACTIVE_DEFAULT_COLUMNS,
    ACTIVE_ROWS,
    APPLICANT_COLUMNS,
    APPLICATION_GROUPS,
    APPLICATION_ROWS,
    ORG_COLUMNS,
    OTHER_ROW_KEYS,
    RESULT_ROWS,
    REVIEW_COLUMN_LABELS,
    REVIEW_COLUMNS,
    REVIEW_ROW_LABELS,
    REVIEW_ROWS,
    STATISTICS_CUMULATIVE,
    STATISTICS_HEADER_MARKERS,
    STATISTICS_YEAR_RE,
    columns_for_header,
    label_key,
    match_label,
    statistics_key,
    table_of_heading,
)

__all__ = ["TableRead", "parse_number", "read_tables", "resolve_row"]

_MAX_TABLE_HEADING = 40
# A header word that names each applicant column (matched on label keys of header cells).
_APPLICANT_HEADERS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益",
    "legal_service": "法律服务",
    "other_org": "其他",
    "org_subtotal": "小计",
    "total": "总计",
}

_TABLE_WORDS = {
    "active_disclosure": "表二 (主动公开政府信息情况)",
    "applications": "表三 (收到和处理政府信息公开申请情况)",
    "review_litigation": "表四 (行政复议、行政诉讼情况)",
}

# The column layouts each 表二 row has in either format (a header must be one of them).
_ACTIVE_LAYOUTS: dict[str, set[tuple[str, ...]]] = {
    row: {columns for layout in ACTIVE_DEFAULT_COLUMNS.values() if (columns := layout.get(row))}
    for row, _ in ACTIVE_ROWS
}


@dataclass
class TableRead:
    """What the table pass found: figures, warnings and which tables were present."""

    values: list[Value] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tables: set[str] = field(default_factory=set)
    application_rows: set[str] = field(default_factory=set)


# --- the table pass -----------------------------------------------------------------------


def _context_of(line: str) -> str | None:
    """Which table a line opens, if it is a table's heading or header row."""
    if "\t" not in line and len(line) > _MAX_TABLE_HEADING:
        return None  # prose
    key = label_key(line)
    if "\t" not in line:
        return "statistics" if "统计表" in key else table_of_heading(key)
    if key.startswith(STATISTICS_HEADER_MARKERS):
        return "statistics"
    if key.startswith("第二十条") or key.startswith("信息内容"):
        return "active_disclosure"
    if "申请人情况" in key or key.startswith("自然人") or "勾稽关系" in key:
        return "applications"
    if key.startswith("行政复议") and ("行政诉讼" in key or "结果维持" in key):
        return "review_litigation"
    return None


def _split_row(cells: list[str]) -> tuple[list[str], list[Number], list[str]]:
    """Label cells (before the first figure), the figures, and unreadable cells after."""
    labels: list[str] = []
    numbers: list[Number] = []
    junk: list[str] = []
    for cell in cells:
        number = parse_number(cell)
        if number is not None:
            numbers.append(number)
        elif is_blank(cell):
            continue
        elif numbers:
            junk.append(cell)
        else:
            labels.append(cell)
    return labels, numbers, junk


class _Reader:
    def __init__(self, template: str) -> None:
        self.template = template
        self.out = TableRead()
        self.context: str | None = None
        self.active_columns: list[str | None] | None = None
        self.app_rows: list[tuple[str, str, list[Number], list[str]]] = []
        self.app_header: list[str] = []
        self.app_header_rows: list[list[str]] = []
        self.review_numbers: list[Number] = []
        self.review_cells: list[str] | None = None
        self.seen_active: set[str] = set()
        self.stat_header: list[str] | None = None
        self.seen_statistics: set[tuple[str, str, str]] = set()

    def warn(self, message: str) -> None:
        self.out.warnings.append(message)

    # 表二 ------------------------------------------------------------------------------
    def active_header(self, cells: list[str]) -> None:
        self.active_columns = [match_label(cell, ACTIVE_COLUMNS) for cell in cells[1:]]

    def active_row(self, cells: list[str]) -> None:
        row = match_label(cells[0], ACTIVE_ROWS)
        if row is None:
            if any(parse_number(cell) is not None for cell in cells):
                self.warn(f"表二 row with unknown label {cells[0]!r} left out")
            return
        if row in self.seen_active:
            self.warn(f"表二 row {cells[0]} printed twice; the second is ignored")
            return
        self.seen_active.add(row)
        self.out.tables.add("active_disclosure")
        defaults = ACTIVE_DEFAULT_COLUMNS.get(self.template, {}).get(row, ())
        columns = self.active_row_columns(cells, row, defaults)
        if columns is None:
            return
        for cell, column in zip(cells[1:], columns, strict=False):
            number = parse_number(cell)
            if number is None:
                if not is_blank(cell):
                    self.warn(f"表二 row {cells[0]}: unreadable cell {cell!r} left out")
                continue
            if column is None:
                self.warn(f"表二 row {cells[0]}: figure {cell} under no known column; left out")
                continue
            self.out.values.append(
                Value("active_disclosure", row, column, number, "table", cells[0])
            )

    def active_row_columns(
        self, cells: list[str], row: str, defaults: tuple[str, ...]
    ) -> list[str | None] | None:
        """The column of each cell after the label, or None when the cells cannot be placed.

        A header is trusted only when its distinct column names are exactly one format's
        columns for the row.  Cells are then placed by position when every figure lands
        under its own named column; otherwise, and without a trusted header, only when the
        figures are exactly as many as the columns.  A lost or repeated cell would shift
        every figure after it into the wrong column, so anything else is left out.
        """
        label, values = cells[0], cells[1:]
        figures = [parse_number(cell) is not None for cell in values]
        header = self.active_columns
        named = list(dict.fromkeys(c for c in header or [] if c is not None))
        if header is not None and tuple(named) not in _ACTIVE_LAYOUTS[row]:
            self.warn(f"表二 row {label}: header {named} is not a format's; format columns used")
            header = None
        if header is None:
            named = list(defaults)
        elif len(header) == len(values):
            placed = [
                c if is_figure else None for c, is_figure in zip(header, figures, strict=True)
            ]
            under = [c for c, is_figure in zip(header, figures, strict=True) if is_figure]
            if None not in under and len(set(under)) == len(under):
                return placed
        # An unreadable cell still holds a column: counting figures would shift the rest.
        unreadable = any(not f and not is_blank(c) for c, f in zip(values, figures, strict=True))
        if unreadable or sum(figures) != len(named):
            self.warn(
                f"表二 row {label}: {sum(figures)} figures for {len(named)} columns; left out"
            )
            return None
        it = iter(named)
        return [next(it) if is_figure else None for is_figure in figures]

    # pre-2019 统计表 -----------------------------------------------------------------------
    def statistics_row(self, cells: list[str]) -> None:
        if label_key(cells[0]).startswith(STATISTICS_HEADER_MARKERS):
            self.stat_header = cells
            return
        labels, numbers, _ = _split_row(cells)
        if not labels or not numbers:
            return
        key = statistics_key(labels[0])
        if key is None:
            return
        if key in self.seen_statistics:
            self.warn(f"统计表 row {labels[0]} repeats a figure already read; ignored")
            return
        number = self.statistics_figure(cells, numbers)
        if number is None:
            self.warn(f"统计表 row {labels[0]}: which figure is this year's is unclear; left out")
            return
        self.seen_statistics.add(key)
        self.out.tables.add("statistics")
        self.out.values.append(Value(*key, number, "table", labels[0]))

    def statistics_figure(self, cells: list[str], numbers: list[Number]) -> Number | None:
        """The covered year's figure of a row; never the 历年累计 (cumulative) one."""
        header = self.stat_header
        if header is None:
            return numbers[0] if len(numbers) == 1 else None
        keys = ["".join(cell.split()) for cell in header]  # label_key would drop "2013"
        year_cols = [
            i
            for i, k in enumerate(keys)
            if STATISTICS_YEAR_RE.search(k) and not any(c in k for c in STATISTICS_CUMULATIVE)
        ]
        if len(year_cols) != 1:
            return None
        year_col = year_cols[0]
        if len(cells) == len(header):
            return parse_number(cells[year_col])
        figure_cols = [
            i
            for i, k in enumerate(keys)
            if i == year_col or any(c in k for c in STATISTICS_CUMULATIVE)
        ]
        if len(numbers) == len(figure_cols):
            return numbers[figure_cols.index(year_col)]
        return None

    # 表三 ------------------------------------------------------------------------------
    def application_row(self, cells: list[str]) -> None:
        labels, numbers, junk = _split_row(cells)
        if not numbers:
            if any("小计" in c for c in cells):
                self.app_header = cells
            if not self.app_rows:
                self.app_header_rows.append(cells)
            return
        if junk:
            self.warn(f"表三 row {' '.join(labels)}: unreadable cells {junk} ignored")
        row = None
        for label in reversed(labels):
            row = match_label(label, APPLICATION_ROWS)
            if row is None and label_key(label) in OTHER_ROW_KEYS:
                row = "other"
            if row is None and match_label(label, APPLICATION_GROUPS):
                continue
            if row:
                break
        if row is None:
            self.warn(f"表三 row with unknown label {' '.join(labels) or '(none)'} left out")
            return
        label = " ".join(dict.fromkeys(labels))  # merged labels repeat on the grid
        self.app_rows.append((row, label, numbers, cells))

    def applicant_columns(self) -> tuple[str, ...]:
        if not self.app_header:
            return APPLICANT_COLUMNS
        columns = columns_for_header("".join(label_key(c) for c in self.app_header))
        if columns is None:
            # 小计 printed on a header row that does not name 商业企业: the row above does.
            rows = "".join(label_key(c) for row in self.app_header_rows for c in row)
            columns = columns_for_header(rows) or (
                "natural_person",
                *ORG_COLUMNS,
                "org_subtotal",
                "total",
            )
        return columns

    def applicant_positions(self, columns: Sequence[str]) -> list[int] | None:
        """Grid index of each applicant column, when the header rows name them all in order."""
        if not self.app_header_rows:
            return None
        width = len(self.app_header_rows[-1])
        if any(len(row) != width for row in self.app_header_rows):
            return None
        names = ["".join(label_key(row[i]) for row in self.app_header_rows) for i in range(width)]
        positions: list[int] = []
        for column in columns:
            wanted = _APPLICANT_HEADERS[column]
            found = [i for i, name in enumerate(names) if wanted in name]
            if column == "other_org":  # "其他" also ends "法律服务机构其他…"? take the one after
                found = [i for i in found if positions and i > positions[-1]]
            if not found:
                return None
            positions.append(found[0] if column != "total" else found[-1])
        if positions != sorted(set(positions)):
            return None
        return positions

    def read_by_position(
        self, cells: list[str], positions: list[int], columns: Sequence[str]
    ) -> dict[str, Number] | None:
        """Cells under their header; a blank cell is absent.  None when the row does not fit."""
        if len(cells) != len(self.app_header_rows[-1]):
            return None
        outside = [c for i, c in enumerate(cells) if i not in positions]
        if any(parse_number(c) is not None for c in outside):
            return None
        read: dict[str, Number] = {}
        for column, index in zip(columns, positions, strict=True):
            number = parse_number(cells[index])
            if number is not None:
                read[column] = number
            elif not is_blank(cells[index]):
                return None
        return read

    def finish_applications(self) -> None:
        if not self.app_rows:
            return
        self.out.tables.add("applications")
        columns = self.applicant_columns()
        positions = self.applicant_positions(columns)
        rows: dict[str, tuple[str, list[Number], list[str]]] = {}
        for row, label, numbers, cells in self.app_rows:
            if row in rows:
                self.warn(f"表三 row {label} printed twice; the second is ignored")
                continue
            rows[row] = (label, numbers, cells)
        self.out.application_rows = set(rows)
        placed: dict[str, dict[str, Number]] = {}
        if positions is not None:
            for row, (_, _, cells) in rows.items():
                read = self.read_by_position(cells, positions, columns)
                if read is not None:
                    placed[row] = read
        unplaced = {row: value for row, value in rows.items() if row not in placed}
        damaged = any(len(numbers) != len(columns) for _, numbers, _ in unplaced.values())
        upper: dict[str, Number] | None = placed.get("total_handled")
        if upper is None and "total_handled" in unplaced:
            upper, _ = resolve_row(unplaced["total_handled"][1], columns, damaged=damaged)
        for row, (label, numbers, _) in rows.items():
            if row in placed:
                cells_read: dict[str, Number] = placed[row]
            else:
                bound = (upper or None) if row in RESULT_ROWS else None
                cells_read, note = resolve_row(numbers, columns, upper=bound, damaged=damaged)
                if note:
                    self.warn(f"表三 row {label}: {note}")
            for column in columns:
                if column in cells_read:
                    self.out.values.append(
                        Value("applications", row, column, cells_read[column], "table", label)
                    )

    # 表四 ------------------------------------------------------------------------------
    def review_row(self, cells: list[str]) -> None:
        labels, numbers, _ = _split_row(cells)
        if labels or not numbers:
            return
        width = len(REVIEW_ROWS) * len(REVIEW_COLUMNS)
        if len(cells) == width and not self.review_numbers:
            # One full grid row: blank cells hold their place (absent, not zero).
            self.review_cells = cells
            return
        self.review_numbers.extend(numbers)

    def finish_review(self) -> None:
        if self.review_cells is not None and not self.review_numbers:
            self.out.tables.add("review_litigation")
            for r, row in enumerate(REVIEW_ROWS):
                for c, column in enumerate(REVIEW_COLUMNS):
                    value = parse_number(self.review_cells[r * len(REVIEW_COLUMNS) + c])
                    if value is not None:
                        label = f"{REVIEW_ROW_LABELS[row]} {REVIEW_COLUMN_LABELS[column]}"
                        self.out.values.append(
                            Value("review_litigation", row, column, value, "table", label)
                        )
            return
        if self.review_cells is not None:
            self.review_numbers[:0] = [
                n for c in self.review_cells if (n := parse_number(c)) is not None
            ]
        numbers = self.review_numbers
        if not numbers:
            return
        self.out.tables.add("review_litigation")
        width = len(REVIEW_ROWS) * len(REVIEW_COLUMNS)
        if len(numbers) != width:
            self.warn(f"表四 has {len(numbers)} figures for {width} cells; left out")
            return
        for r, row in enumerate(REVIEW_ROWS):
            for c, column in enumerate(REVIEW_COLUMNS):
                label = f"{REVIEW_ROW_LABELS[row]} {REVIEW_COLUMN_LABELS[column]}"
                value = numbers[r * len(REVIEW_COLUMNS) + c]
                self.out.values.append(
                    Value("review_litigation", row, column, value, "table", label)
                )

    def feed(self, line: str) -> None:
        context = _context_of(line)
        if context is None and "\t" not in line and TOP_HEADING_RE.match(line):
            context = "none"  # a heading of another section closes the table
        if context is not None:
            if context != self.context and self.context == "review_litigation":
                self.finish_review_once()
            self.context = context
        if "\t" not in line:
            return
        cells = line.split("\t")
        if self.context == "active_disclosure":
            key = label_key(cells[0])
            if key.startswith("第二十条"):
                self.active_columns = None
            elif key.startswith("信息内容"):
                self.active_header(cells)
            else:
                self.active_row(cells)
        elif self.context == "applications":
            self.application_row(cells)
        elif self.context == "review_litigation":
            self.review_row(cells)
        elif self.context == "statistics":
            self.statistics_row(cells)

    _review_done = False

    def finish_review_once(self) -> None:
        if not self._review_done:
            self.finish_review()
            self._review_done = True
            self.review_numbers = []


def read_tables(lines: Sequence[str], template: str) -> TableRead:
    """Read every figure of 表二, 表三 and 表四 printed in ``lines``."""
    reader = _Reader(template)
    for line in lines:
        reader.feed(line)
    reader.finish_applications()
    reader.finish_review_once()
    out = reader.out
    # Tables not printed as grid rows are read from their regions' token streams.
    values, warnings, tables, application_rows = read_stream_tables(
        lines, template, skip=out.tables
    )
    out.values.extend(values)
    out.warnings.extend(warnings)
    out.tables |= tables
    out.application_rows |= application_rows
    if template in ACTIVE_DEFAULT_COLUMNS:
        for table, name in _TABLE_WORDS.items():
            if table not in out.tables:
                out.warnings.append(f"{name} not found in a readable form; its figures are absent")
    return out
