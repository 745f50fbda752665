"""Pure parsers: bytes/str in, frozen dataclasses out.

Nothing in this package does network or file I/O, or imports Scrapy, Twisted or
sqlite-utils (``tests/test_boundary.py`` enforces it); ``__main__`` is the one place that
reads a file, for the command line.

Start-up: ``python -m parsers`` on a text file imports only what that text needs. No module
on that path imports ``typing`` at run time (2 ms of a bare ``python -S`` start in paired
runs; ``-X importtime`` shows 10, most of it modules the parsers need anyway): annotations
are strings (``from __future__ import annotations``), and a module-level ``TYPE_CHECKING =
False`` stands for ``typing.TYPE_CHECKING`` (mypy and ruff read the ``if TYPE_CHECKING:``
blocks under it as typing's own; ``tests/parsers/test_main.py`` fails if ``typing`` is
loaded).
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (see above)
if TYPE_CHECKING:
    from typing import Any

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
