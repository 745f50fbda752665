"""Pure parsers: bytes/str in, frozen dataclasses out.

Nothing in this package does network or file I/O, or imports Scrapy, Twisted or
sqlite-utils (``tests/test_boundary.py`` enforces it); ``__main__`` is the one place that
reads a file, for the command line.
"""

from .document import parse_document, sniff_format
from .errors import NotAReportError, ParseError, UnreadableDocumentError
from .model import AnnualReport, Check, Section, Value
from .report import PARSER_VERSION, parse_report

__all__ = [
    "PARSER_VERSION",
    "AnnualReport",
    "Check",
    "NotAReportError",
    "ParseError",
    "Section",
    "UnreadableDocumentError",
    "Value",
    "parse_document",
    "parse_report",
    "sniff_format",
]
