"""Errors the parsers raise for input they cannot read; each names its kind for the JSON."""

from __future__ import annotations

__all__ = ["EmptyDocumentError", "NotAReportError", "ParseError", "UnreadableDocumentError"]


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
