"""Word (.docx) → body text: paragraphs and tables in document order.

python-docx hands a merged cell back once per grid slot it covers; as with HTML and PDF
tables, a merged label repeats (row labels stay aligned) and a merged figure stands once.
Legacy binary Word and WPS files (OLE2) are refused with ``UnsupportedFormatError``: the
crawler keeps their bytes for a later extractor.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import docx
import docx.document
import docx.table
import docx.text.paragraph
from docx.oxml.ns import qn

from .errors import CorruptDocumentError, ParseError, TooCostlyError, UnsupportedFormatError
from .numbers import parse_number
from .patterns import lazy

__all__ = ["ExtractedWord", "extract_docx"]

_SPACE_RE = lazy(r"\s+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u3000-\u303f"
_HAN_GAP_RE = lazy(f"(?<=[{_HAN}]) (?=[{_HAN}])")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class ExtractedWord:
    """A Word document's body text and core properties."""

    body_text: str
    tables: int
    metadata: dict[str, str] = field(default_factory=dict)


def _clean(text: str) -> str:
    joined = "".join(part.strip() for part in text.split("\n"))
    return _HAN_GAP_RE.sub("", _SPACE_RE.sub(" ", joined)).strip()


def _blocks(document: docx.document.Document) -> Iterator[object]:
    """Top-level paragraphs and tables in the order they stand in the body."""
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            yield docx.text.paragraph.Paragraph(child, document)
        elif child.tag == qn("w:tbl"):
            yield docx.table.Table(child, document)


def _table_rows(table: docx.table.Table) -> list[str]:
    rows = []
    # Merged cells come back once per slot as the same <w:tc> element.  The elements are
    # kept (not only their id()s, which lxml reuses once a proxy dies) so the ids stay theirs.
    seen: dict[int, object] = {}
    for row in table.rows:
        cells = []
        for cell in row.cells:
            text = _clean(cell.text)
            element = cell._tc
            if seen.get(id(element)) is element:
                if parse_number(text) is not None:
                    text = ""  # a merged figure stands once
            else:
                seen[id(element)] = element
            cells.append(text)
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def extract_docx(data: bytes) -> ExtractedWord:
    """Extract a .docx file; raise a ``ParseError`` subclass for what cannot be read."""
    if data.startswith(_OLE2):
        raise UnsupportedFormatError("legacy binary Word/WPS document (OLE2 .doc/.wps)")
    if not data.startswith(b"PK\x03\x04"):
        raise CorruptDocumentError("not a .docx file (no zip header)")
    _check_size(data)
    try:
        return _read(data)
    except ParseError:
        raise
    except RecursionError as exc:
        raise TooCostlyError("a .docx nested beyond any report's structure") from exc
    except Exception as exc:  # python-docx and lxml raise many kinds on damaged files
        raise CorruptDocumentError(f"unreadable .docx: {type(exc).__name__}: {exc}") from exc


# Bounds no report comes near: what the zip unpacks to, and the cells of its tables.
_MAX_UNPACKED = 100 * 1024 * 1024
_MAX_CELLS = 20_000


def _check_size(data: bytes) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptDocumentError(f"unreadable .docx: {exc}") from exc
    unpacked = sum(member.file_size for member in members)
    if unpacked > _MAX_UNPACKED:
        raise TooCostlyError(f"the .docx unpacks to {unpacked} bytes (a zip bomb?)")


def _read(data: bytes) -> ExtractedWord:
    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    tables = 0
    for block in _blocks(document):
        if isinstance(block, docx.table.Table):
            cells = len(block._tbl.findall(qn("w:tr"))) * max(
                len(block._tbl.tblGrid.gridCol_lst), 1
            )
            if cells > _MAX_CELLS:
                raise TooCostlyError(f"a .docx table of {cells} cells")
            lines.extend(_table_rows(block))
            tables += 1
        else:
            text = _clean(block.text)  # type: ignore[attr-defined]
            if text:
                lines.append(text)
    props = document.core_properties
    metadata = {
        key: str(value)
        for key, value in (
            ("title", props.title),
            ("author", props.author),
            ("created", props.created),
        )
        if value
    }
    return ExtractedWord(body_text="\n".join(lines), tables=tables, metadata=metadata)
