"""Pure parsers: bytes/str in, frozen dataclasses out.

Nothing in this package does network or file I/O, or imports Scrapy, Twisted or
sqlite-utils (``tests/test_boundary.py`` enforces it); ``__main__`` is the one place that
reads a file, for the command line.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import parse_document, sniff_format
    from .errors import NotAReportError, ParseError, UnreadableDocumentError
    from .model import AnnualReport, Check, Section, Value
    from .report import PARSER_VERSION, parse_report

# Loaded on first use (PEP 562): ``from parsers.families import …`` or the parser CLI on a
# text file does not pay for the PDF, Word and HTML machinery it does not need.
_WHERE = {
    "parse_document": ".document",
    "sniff_format": ".document",
    "NotAReportError": ".errors",
    "ParseError": ".errors",
    "UnreadableDocumentError": ".errors",
    "AnnualReport": ".model",
    "Check": ".model",
    "Section": ".model",
    "Value": ".model",
    "PARSER_VERSION": ".report",
    "parse_report": ".report",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


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
