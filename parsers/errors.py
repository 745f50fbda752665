"""Errors the parsers raise for input they cannot read; each names its kind for the JSON."""

from __future__ import annotations

__all__ = [
    "CorruptDocumentError",
    "EmptyDocumentError",
    "EncryptedPdfError",
    "NotAReportError",
    "ParseError",
    "ScannedPdfError",
    "UnreadableDocumentError",
    "UnsupportedFormatError",
    "WrongFormatError",
]


class ParseError(Exception):
    """Base class: ``kind`` is the ``error`` field of ``python -m parsers`` output."""

    kind = "parse_error"


class UnreadableDocumentError(ParseError):
    """The bytes are not text we can decode (binary garbage, empty input)."""

    kind = "unreadable_document"


class NotAReportError(ParseError):
    """The text decodes but is not a 政府信息公开工作年度报告."""

    kind = "not_a_report"


class EmptyDocumentError(UnreadableDocumentError):
    """No content at all (zero bytes or only whitespace)."""

    kind = "empty_document"


class WrongFormatError(UnreadableDocumentError):
    """The bytes are another format than the one asked for (a PDF served as HTML …)."""

    kind = "wrong_format"


class UnsupportedFormatError(ParseError):
    """A format no extractor reads yet (legacy .doc, .wps, images); the bytes are kept."""

    kind = "unsupported_format"


class CorruptDocumentError(UnreadableDocumentError):
    """A PDF or Word file that its library cannot open (truncated, damaged)."""

    kind = "corrupt_document"


class ScannedPdfError(ParseError):
    """A PDF without a text layer: pages are images, text would need OCR."""

    kind = "scanned_pdf"


class EncryptedPdfError(ParseError):
    """A PDF that cannot be read without a password."""

    kind = "encrypted_pdf"
