"""Table regions of body text, and their label and figure tokens whatever separates cells.

A region runs from a table's heading (二、主动公开政府信息情况 …) to the next section or
table.  Its lines become a stream of *label* and *figure* tokens: cells split on tabs, pipes,
box drawing and runs of spaces, figures fused onto labels split off (数量6000006,
0行政规范性文件), a row's numbering glued behind other words cut out (）无2.没有…), blank
cells of drawn grids kept as blank figure tokens so they hold their columns.  Aligning the
tokens with the format is ``align``'s work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .layout import TOP_HEADING_RE
from .numbers import parse_number
from .patterns import lazy
from .sections import title_group
from .template import APPLICATION_ROWS, label_key, match_label, table_of_heading

__all__ = ["NUMBERED_RE", "Token", "find_regions", "tokenize"]

# --- regions ----------------------------------------------------------------------------

# Heading words that open each table's region (matched on the label key of a short line).
_TABLE_GROUP = {"active_disclosure": 2, "applications": 3, "review_litigation": 4, "statistics": 0}
_MAX_STATISTICS_OPENER = 48
_MAX_OPENER = 32
_SENTENCE_END = "。；;"


def _opens(line: str) -> str | None:
    text = line.strip()
    if not text or "\t" in text:
        return None
    table = table_of_heading(label_key(text))
    if table == "statistics":
        # 附件1：平潭县人民政府2013年政府信息公开情况统计表 — the pre-2019 statistics table.
        return table if len(text) <= _MAX_STATISTICS_OPENER and "。" not in text else None
    if len(text) > _MAX_OPENER or not (TOP_HEADING_RE.match(text) or len(text) <= 20):
        return None
    return table


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
    """The lines of each table's region: from its heading to the next section or table.

    A table's words also head paragraphs of the overview (（一）主动公开政府信息情况); a later
    numbered section heading (二、主动公开政府信息情况) takes the region over from such an
    earlier, lesser heading, never the other way round.
    """
    regions: dict[str, list[str]] = {}
    rank: dict[str, int] = {}
    current: str | None = None
    for line in lines:
        opened = _opens(line)
        weight = 2 if opened is not None and TOP_HEADING_RE.match(line.strip()) else 1
        # The table's own header words (行政复议 行政诉讼) do not reopen its region; a
        # section heading does take it over from an overview paragraph's heading.
        if opened is not None and (opened != current or weight > rank[opened]):
            if opened not in regions or weight >= rank[opened] > 1 or weight > rank[opened]:
                regions[opened] = []
                rank[opened] = weight
                current = opened
            else:
                current = None
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


_SPLIT_RE = lazy(r"[\s|│┃┆┊║\u00a0]+")
_RULE_RE = lazy(r"^[-=:+─━┄┈═┌┐└┘├┤┬┴┼╋╔╗╚╝╠╣╦╩╬╒╕╘╛╞╡╤╧╪]+$")
# A label with figures fused onto its end ("数量6000006", "行政许可13323") or its start
# ("0行政规范性文件": PDF text loses the space between a cell and the next row's label).
_FUSED_TAIL_RE = lazy(r"^(?P<label>.*[^\d.,+\-])(?P<figure>\d+(?:\.\d+)?)$")
_FUSED_HEAD_RE = lazy(r"^(?P<figure>\d+(?:\.\d+)?)(?P<label>[\u4e00-\u9fff].*)$")
# Text that continues a figure's digits as words ("保留4" + "位小数", "2021" + "年").
_WORD_AFTER_DIGITS = tuple("年月日号位项条个元")


def _pieces(line: str) -> Iterator[str]:
    for piece in _SPLIT_RE.split(line):
        piece = piece.strip("*`_")
        if piece and not _RULE_RE.match(piece):
            yield piece


def tokenize(lines: Sequence[str]) -> list[Token]:
    """Label and figure tokens of a table region, whatever separates its cells.

    In a grid drawn with pipes or box drawing, an empty cell after a row's labels is a
    *blank* token (a figure token with empty text): it holds its column, so the figures of
    a row with blank cells stay under their own columns.
    """
    tokens: list[Token] = []
    for index, line in enumerate(lines):
        if any(end in line for end in _SENTENCE_END):
            continue  # prose inside the section, not a cell
        cells = _grid_cells(line)
        if cells is not None:
            tokens.extend(_grid_tokens(cells, index))
            continue
        tokens.extend(_piece_tokens(line, index))
    return _merge(tokens)


def _is_figure(piece: str) -> bool:
    return parse_number(piece) is not None and "%" not in piece


def _piece_tokens(text: str, index: int) -> list[Token]:
    found: list[Token] = []
    for piece in _pieces(text):
        if _is_figure(piece):
            found.append(Token("figure", piece, index))
        else:
            found.extend(_label_piece(piece, index))
    return found


_GRID_BARS = ("│", "|", "┃", "║")
_MIN_GRID_BARS = 3


def _grid_cells(line: str) -> list[str] | None:
    """The cells of a pipe or box-drawing grid row, edge bars dropped; None for other lines."""
    bar = max(_GRID_BARS, key=line.count)
    if line.count(bar) < _MIN_GRID_BARS:
        return None
    cells = [cell.strip(" \u00a0*`_") for cell in line.split(bar)]
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    if any(_RULE_RE.match(cell) for cell in cells if cell):
        return []  # a rule line (| --- |, ├──┼──┤)
    return cells


def _grid_tokens(cells: list[str], index: int) -> list[Token]:
    figures = [i for i, cell in enumerate(cells) if cell and _is_figure(cell)]
    if not figures:
        return [t for cell in cells if cell for t in _piece_tokens(cell, index)]
    labels = [i for i, cell in enumerate(cells) if cell and not _is_figure(cell)]
    last_label = max((i for i in labels if i < figures[0]), default=-1)
    found: list[Token] = []
    for i, cell in enumerate(cells):
        if not cell:
            if i > last_label:
                found.append(Token("figure", "", index))  # a blank cell holds its column
            continue
        found.extend(_piece_tokens(cell, index))
    return found


# A figure between two labels whose spaces were lost ("行政处罚3985758行政强制"); digits
# followed by a unit, a date word or numbering punctuation are words ("保留4位", "711号").
_INNER_FIGURE_RE = lazy(
    r"(?<=[\u4e00-\u9fff)）])(?P<figure>\d+(?:\.\d+)?)(?=[\u4e00-\u9fff(（])(?![年月日号位项条个元件次])"
)


def _label_piece(piece: str, index: int) -> list[Token]:
    """A label piece, with the figures fused onto either end or between two labels split off."""
    inner = _INNER_FIGURE_RE.search(piece)
    if inner:
        return [
            *_label_piece(piece[: inner.start()], index),
            Token("figure", inner["figure"], index),
            *_label_piece(piece[inner.end() :], index),
        ]
    head: list[Token] = []
    lead = _FUSED_HEAD_RE.match(piece)
    if lead and not lead["label"].startswith(_WORD_AFTER_DIGITS):
        head = [Token("figure", lead["figure"], index)]
        piece = lead["label"]
    tail = _FUSED_TAIL_RE.match(piece)
    if tail and re.search(r"[\u4e00-\u9fff)）]", tail["label"]):
        return [
            *head,
            *_label_tokens(tail["label"], index),
            Token("figure", tail["figure"], index),
        ]
    return [*head, *_label_tokens(piece, index)]


# A row's numbering glued behind other words: the vertical group label's characters
# ("）无2.没有现成信息需要", "本2.其他法律…") or the row before ("三、（一）予以公开").
_EMBEDDED_NUMBER_RE = lazy(
    r"(?<=[^\d.．、\s])(?=\d{1,2}[.、．][\u4e00-\u9fff])"
    r"|(?<=[^\s(（第])(?=[(（][一二三四五六七八九十]{1,2}[)）])"
)


def _label_tokens(text: str, index: int) -> list[Token]:
    """A label, cut where a row's numbering starts inside it."""
    return [Token("label", part, index) for part in _EMBEDDED_NUMBER_RE.split(text) if part]


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
            # On the next line only as words (保留4 / 位小数), never a lone character of
            # a label printed down the margin (本 / 年 / 度 …).
            and (
                following.line == token.line
                or (
                    following.line == token.line + 1
                    and len(following.text) >= 2
                    # words run on from text (保留4 / 位小数), not a row's last figure
                    and k > 0
                    and tokens[k - 1].kind == "label"
                    and tokens[k - 1].line == token.line
                )
            )
        ):
            token = Token("label", token.text, token.line)
        if (
            token.kind == "label"
            and out
            and out[-1].kind == "label"
            and out[-1].line == token.line
            and not NUMBERED_RE.match(token.text)
        ):
            # "）其2." + "申请人…": the numbering may only show once the pieces meet.
            out[-1:] = _label_tokens(out[-1].text + token.text, token.line)
            continue
        out.append(token)
    return out


# A row label's own numbering: 1. / （一） / 一、
NUMBERED_RE = lazy(
    r"^\s*(?:\d{1,2}\s*[.、．]|[(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)"
)
