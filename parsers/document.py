"""Any downloaded document → ``AnnualReport``: sniff the format, extract, parse.

The format is decided by the bytes (magic numbers, markup), never by a URL suffix or a
Content-Type alone: portals serve PDFs as ``text/html`` and pages as ``.pdf``.  This is the
one function the crawler's pipelines and ``python -m parsers`` call.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping

from .encoding import decode_text
from .errors import NotAReportError, UnsupportedFormatError
from .meta import find_title
from .model import AnnualReport
from .normalize import normalize_text
from .report import parse_report

TYPE_CHECKING = False  # typing's, without importing typing (see parsers/__init__.py)
if TYPE_CHECKING:
    from .html import ExtractedPage

__all__ = ["ListPageError", "parse_document", "sniff_format"]

_MARKUP = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<meta", b"<div", b"<table")
_IMAGES = ((b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"), (b"BM", "bmp"))


class ListPageError(NotAReportError):
    """An HTML page that lists reports (or only links one) instead of holding one."""

    def __init__(self, page: ExtractedPage) -> None:
        super().__init__(
            f"a list or link page, not a report page: {len(page.links)} links, "
            f"{len(page.attachments)} attachments"
        )
        self.page = page


def sniff_format(data: bytes) -> str:
    """``pdf``, ``docx``, ``ole`` (legacy .doc/.wps), ``zip``, ``image``, ``html`` or ``text``."""
    head = data[:1024]
    if b"%PDF-" in head[:1024] and head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        import zipfile  # a zip archive is rare among reports: not loaded at start-up

        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if any(head.startswith(magic) for magic, _ in _IMAGES):
        return "image"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(_MARKUP) or b"<html" in lowered or b"<body" in lowered:
        return "html"
    return "text"


def _with_title(body: str, title: str | None) -> str:
    """Put a known title (page heading, PDF metadata) first when the body has none."""
    if (
        title
        and find_title(normalize_text(title).split("\n"))
        and not find_title(normalize_text(body[:4000]).split("\n"))
    ):
        return title + "\n" + body
    return body


def _fast_pdf_report(data: bytes, url: str | None) -> AnnualReport | None:
    """A PDF read from pdfium's text alone, when that reading is complete: every figure of
    every table placed (no warning at all); else None, and the PDF is read again through
    pdfminer's geometry (ruling lines, cell boxes), which is 25× slower.  A reading with any
    doubt — a row left out, a table not found, a template or year not printed — is never
    kept: the slower reading decides."""
    from .pdf import extract_pdf_text

    extracted = extract_pdf_text(data)
    if extracted is None:
        return None
    try:
        report = parse_report(
            _with_title(extracted.body_text, extracted.metadata.get("Title")), url=url
        )
    except NotAReportError:
        return None
    return None if report.warnings else report


def parse_document(
    data: bytes, *, url: str | None = None, headers: Mapping[str, str] | None = None
) -> AnnualReport:
    """Extract and parse one document; raise a ``ParseError`` subclass when it cannot be."""
    kind = sniff_format(data)
    publish_date: str | None = None
    warnings: list[str] = []
    if kind == "pdf":
        fast = _fast_pdf_report(data, url)
        if fast is not None:
            return fast
        from .pdf import extract_pdf  # pdfplumber/pdfminer: loaded for PDFs only

        pdf = extract_pdf(data)
        body = _with_title(pdf.body_text, pdf.metadata.get("Title"))
        warnings += pdf.warnings
    elif kind == "docx":
        from .docx import extract_docx  # python-docx: loaded for Word files only

        word = extract_docx(data)
        body = _with_title(word.body_text, word.metadata.get("title"))
    elif kind == "html":
        from .html import extract_html  # lxml: loaded for pages only

        page = extract_html(data, url=url or "", headers=headers)
        if page.body_text is None:
            raise ListPageError(page)
        body, publish_date = page.body_text, page.publish_date
        warnings += page.warnings
    elif kind == "text":
        body, _ = decode_text(data)
    else:
        raise UnsupportedFormatError(f"{kind} files are not read (the bytes are kept)")
    report = parse_report(body, url=url)
    return dataclasses.replace(
        report,
        publish_date=report.publish_date or publish_date,
        warnings=(*report.warnings, *warnings),
    )
