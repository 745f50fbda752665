"""Errors the parsers raise for input they cannot read; each names its kind for the JSON."""

from __future__ import annotations

__all__ = [
    "RETRYABLE_KINDS",
    "ChallengePageError",
    "CorruptDocumentError",
    "EmptyDocumentError",
    "EncryptedPdfError",
    "NotAReportError",
    "ParseError",
    "ScannedPdfError",
    "TooCostlyError",
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


class TooCostlyError(ParseError):
    """A document beyond what any report is (a zip bomb, a table of 10⁵ cells): not read."""

    kind = "too_costly"


class ChallengePageError(ParseError):
    """An anti-bot gateway's page (加速乐, 云锁, 瑞数, Cloudflare …) in place of the document."""

    kind = "challenge_page"


# Outcomes a new download may change (a gateway let through, a whole file, the right type);
# the others (not a report, a scanned or encrypted PDF, a format not read yet) stay as they
# are until the parsers change, and ``reparse`` handles that.
RETRYABLE_KINDS = frozenset(
    {
        ChallengePageError.kind,
        WrongFormatError.kind,
        EmptyDocumentError.kind,
        UnreadableDocumentError.kind,
        CorruptDocumentError.kind,
        "parser_failure",
    }
)
