"""Report PDF → body text: paragraphs in reading order, tables as tab rows, pages stitched.

Every page is parsed once by pdfminer (through pdfplumber) and that parse serves both the
tables and the text.  Tables are found on ruling lines only (``lines_strict``): WPS and
Word exports draw a page-frame rectangle around the text that the default strategy takes
for a one-column table.  A table is laid out on its grid like an HTML table (merged labels
repeat, merged figures stand once); text outside the tables is rebuilt into paragraphs from
the line geometry (a full line followed by an unindented line continues the paragraph, also
across a page break), and page-number lines are dropped.  A table that runs on from one
page to the next becomes one run of rows.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfminer.utils import PDFDocEncoding
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from .errors import CorruptDocumentError, EncryptedPdfError, ScannedPdfError, WrongFormatError
from .layout import is_page_number
from .numbers import parse_number
from .patterns import lazy

__all__ = [
    "TABLE_SETTINGS",
    "ExtractedDocument",
    "decode_pdf_string",
    "extract_pdf",
    "extract_pdf_text",
]

TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines_strict",
    "horizontal_strategy": "lines_strict",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
_MIN_TEXT_CHARS = 20
_INDENT = 1.2  # characters of indentation that open a paragraph
_FULL_LINE = 2.0  # characters short of the right margin that still count as a full line
_SPACE_RE = lazy(r"\s+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u3000-\u303f"
_HAN_GAP_RE = lazy(f"(?<=[{_HAN}]) (?=[{_HAN}])")


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """A document's body text with what its file says about itself."""

    body_text: str
    pages: int
    tables: int
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


_PDFDOC_BYTES = {ch: code for code, ch in enumerate(PDFDocEncoding)}


def decode_pdf_string(value: object) -> str:
    """A metadata value as text: UTF-16 with BOM (often mis-decoded as Latin-1) or PDFDoc."""
    if isinstance(value, bytes):
        raw = value
    elif isinstance(value, str):
        if not value.startswith(("þÿ", "ÿþ")):
            return value.strip("\x00 ")
        # UTF-16 bytes that were decoded as PDFDocEncoding: map each character back.
        raw = bytes(_PDFDOC_BYTES.get(ch, ord(ch) & 0xFF) for ch in value)
    else:
        return str(value)
    for bom, codec in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace").strip("\x00 ")
    return raw.decode("latin-1").strip("\x00 ")


# --- tables ------------------------------------------------------------------------------------


def _cell_text(text: str | None) -> str:
    """Wrapped cell text joined back: CJK lines without a space, others with one."""
    if not text:
        return ""
    joined = "".join(part.strip() for part in text.split("\n"))
    return _HAN_GAP_RE.sub("", _SPACE_RE.sub(" ", joined)).strip()


def _edges(starts: list[float], end: float) -> list[tuple[float, float]]:
    return [(x, starts[i + 1] if i + 1 < len(starts) else end) for i, x in enumerate(starts)]


def _table_grid(table: Any) -> list[list[str]]:
    """The table on its grid: a merged label repeats, a merged figure stands once."""
    texts = table.extract(x_tolerance=1.5, y_tolerance=3)
    rows = table.rows
    origin: dict[tuple[float, ...], tuple[int, int]] = {}
    cell_text: dict[tuple[float, ...], str] = {}
    for r, row in enumerate(rows):
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                origin[bbox] = (r, c)
                cell_text[bbox] = _cell_text(texts[r][c])
    _, _, x1, bottom = table.bbox
    columns = _edges(sorted({col.bbox[0] for col in table.columns}), x1)
    spans = _edges([row.bbox[1] for row in rows], bottom)
    grid: list[list[str]] = []
    for r, row in enumerate(rows):
        out = []
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                out.append(cell_text[bbox])
                continue
            if c >= len(columns):
                out.append("")
                continue
            cx = (columns[c][0] + columns[c][1]) / 2
            cy = (spans[r][0] + spans[r][1]) / 2
            cover = next((b for b in cell_text if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
            text = cell_text.get(cover, "") if cover else ""
            out.append("" if parse_number(text) is not None else text)
        if any(out):
            grid.append(out)
    return grid


def _table_settings(page: Any) -> dict[str, Any]:
    """Ruling lines only, plus the rules a page break leaves out.

    A table cut by a page break has no bottom rule on the first page and no top rule on the
    next; its vertical borders still reach the cut, so their ends stand in for the missing
    rules.
    """
    verticals = [e for e in page.edges if e.get("orientation") == "v"]
    if not verticals:
        return TABLE_SETTINGS
    ends = [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]
    return {**TABLE_SETTINGS, "explicit_horizontal_lines": ends}


def _is_real_table(table: Any) -> bool:
    return len(table.rows) >= 2 and len(table.columns) >= 2


# --- text ----------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    size: float


def _text_lines(page: Any, tables: Sequence[Any]) -> list[_Line]:
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    view = page.filter(outside) if boxes else page
    lines = []
    for line in view.extract_text_lines(strip=True, return_chars=True):
        text = _HAN_GAP_RE.sub("", _SPACE_RE.sub(" ", line["text"])).strip()
        if not text or is_page_number(text):
            continue
        chars = line.get("chars") or []
        size = max((ch.get("size", 0) for ch in chars), default=10.5) or 10.5
        lines.append(_Line(text, line["x0"], line["x1"], line["top"], size))
    return lines


class _Paragraphs:
    """Rebuilds paragraphs from wrapped lines, page after page."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.open: _Line | None = None
        self.left = 0.0
        self.right = 0.0

    def margins(self, lines: Sequence[_Line]) -> None:
        if lines:
            self.left = min(line.x0 for line in lines)
            self.right = max(line.x1 for line in lines)

    def add(self, line: _Line) -> None:
        prev = self.open
        continues = (
            prev is not None
            and prev.x1 >= self.right - _FULL_LINE * prev.size
            and line.x0 <= self.left + _INDENT * line.size
            and self.out
        )
        if continues:
            self.out[-1] += line.text
        else:
            self.out.append(line.text)
        self.open = line

    def table(self, rows: list[list[str]], *, continued: bool = False) -> None:
        """Emit table rows; a continued table's first row may finish the last one."""
        if continued and rows and self.out and _is_fragment(rows[0], self.out[-1]):
            last = self.out[-1].split("\t")
            self.out[-1] = "\t".join(a + b for a, b in zip(last, rows[0], strict=True))
            rows = rows[1:]
        self.out.extend("\t".join(row) for row in rows)
        self.open = None


def _is_fragment(row: list[str], previous: str) -> bool:
    """A row cut by a page break: text only, no figure, as wide as the row before it."""
    cells = previous.split("\t")
    return (
        len(cells) == len(row)
        and any(row)
        and not any(parse_number(cell) is not None for cell in row)
        and sum(1 for cell in row if cell) <= 2
    )


# --- the entry point -----------------------------------------------------------------------------


def _open(data: bytes) -> Any:
    if not data.strip():
        raise CorruptDocumentError("empty file")
    if not data.lstrip()[:1024].startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        head = data.lstrip()[:200].lower()
        if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")):
            raise WrongFormatError("the file is an HTML page, not a PDF")
        raise CorruptDocumentError("no %PDF header: not a PDF file")
    try:
        return pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedPdfError(f"encrypted PDF: {exc.__class__.__name__}") from exc
    except PdfminerException as exc:
        if isinstance(exc.__cause__ or exc.__context__, PDFPasswordIncorrect | PDFEncryptionError):
            raise EncryptedPdfError("encrypted PDF: a password is needed") from exc
        raise CorruptDocumentError(f"unreadable PDF: {exc}") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorruptDocumentError(f"unreadable PDF: {exc}") from exc


def _pages(pdf: Any) -> Any:
    """The document's pages; pdfplumber builds them lazily and, on a damaged file, fails with
    whatever its page boxes give (``TypeError`` on a missing MediaBox …): that is a corrupt
    document."""
    try:
        pages = pdf.pages
    except (PdfminerException, MalformedPDFException, PDFSyntaxError, PSException):
        raise
    except Exception as exc:
        raise CorruptDocumentError(f"unreadable PDF: {type(exc).__name__}: {exc}") from exc
    return pages


def _metadata(pdf: Any) -> dict[str, str]:
    """The document information dictionary, decoded from its raw strings."""
    out: dict[str, str] = {}
    for info in getattr(pdf.doc, "info", None) or []:
        for key, value in info.items():
            raw = value.resolve() if hasattr(value, "resolve") else value
            if isinstance(raw, bytes | str):
                text = decode_pdf_string(raw)
                if text:
                    out[str(key)] = text
    return out


def extract_pdf(data: bytes) -> ExtractedDocument:
    """Extract a report PDF's body text; raise a ``ParseError`` subclass for unreadable files."""
    pdf = _open(data)
    warnings: list[str] = []
    try:
        metadata = _metadata(pdf)
        paragraphs = _Paragraphs()
        chars = images = table_count = pages = 0
        open_width: int | None = None  # set while the last thing on the page is a table
        for number, page in enumerate(_pages(pdf), start=1):
            pages = number
            try:
                chars += len(page.chars)
                images += len(page.images)
                found = page.find_tables(_table_settings(page))
                tables = [t for t in found if _is_real_table(t)]
                lines = _text_lines(page, tables)
            except Exception as exc:  # pdfminer raises many kinds on damaged pages
                warnings.append(f"page {number} unreadable ({exc.__class__.__name__}); skipped")
                continue
            paragraphs.margins(lines)
            items: list[tuple[float, _Line | None, Any]] = [(ln.top, ln, None) for ln in lines]
            items += [(t.bbox[1], None, t) for t in tables]
            items.sort(key=lambda item: item[0])
            for index, (_, line, table) in enumerate(items):
                if line is not None:
                    paragraphs.add(line)
                    open_width = None
                    continue
                continued = index == 0 and open_width is not None
                if not continued:
                    table_count += 1  # else: the table runs on from the previous page
                paragraphs.table(_table_grid(table), continued=continued)
                open_width = len(table.columns)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise EncryptedPdfError(f"encrypted PDF: {exc.__class__.__name__}") from exc
    except (PdfminerException, MalformedPDFException, PDFSyntaxError, PSException) as exc:
        raise CorruptDocumentError(f"unreadable PDF: {exc}") from exc
    finally:
        # pdfplumber's close() walks the pages again: on a damaged file it raises too, and
        # must not hide the error already being raised.
        with contextlib.suppress(Exception):
            pdf.close()
    if chars < _MIN_TEXT_CHARS:
        raise ScannedPdfError(
            f"no text layer: {pages} page(s), {images} image(s), {chars} character(s); OCR needed"
        )
    return ExtractedDocument(
        body_text="\n".join(paragraphs.out),
        pages=pages,
        tables=table_count,
        metadata=metadata,
        warnings=tuple(warnings),
    )


def extract_pdf_text(data: bytes) -> ExtractedDocument | None:
    """pdfium's text of every page, in its own reading order: no geometry, no tables found,
    about 25× faster than pdfminer's parse that ``extract_pdf`` needs.

    None when the file does not end as a PDF ends, when pdfium cannot open or read it, or
    finds almost no text: ``extract_pdf`` then says why (encrypted, corrupt, scanned).
    Page-number lines stay in the text (``parse_report`` drops them); table rows come as
    pdfium prints them, one cell after the other, for the alignment reader.
    """
    import pypdfium2  # pdfium: loaded for PDFs only

    if b"%PDF-" not in data[:1024] or b"%%EOF" not in data[-2048:]:
        return None  # not a whole PDF (a cut download): pdfium would read what is there
    try:
        pdf = pypdfium2.PdfDocument(data)
    except (pypdfium2.PdfiumError, ValueError, OSError):
        return None
    try:
        pages: list[str] = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
            finally:
                page.close()
        metadata = {str(k): str(v) for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
    except (pypdfium2.PdfiumError, ValueError, OSError):
        return None
    finally:
        pdf.close()
    text = "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n")
    if len(_SPACE_RE.sub("", text)) < _MIN_TEXT_CHARS:
        return None
    return ExtractedDocument(body_text=text, pages=len(pages), tables=0, metadata=metadata)
