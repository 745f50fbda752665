"""``python -m parsers FILE [--url URL]``: parse one document and print its JSON.

The one module of the package that touches a file: it reads the bytes and hands them to
the same pure functions the crawler's pipelines call.  Errors print
``{"error": kind, "detail": …}`` and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .encoding import decode_text
from .errors import ParseError
from .report import parse_report

EXIT_ERROR = 2
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "docx (zip)"),
    (b"\xd0\xcf\x11\xe0", "doc/wps (OLE)"),
    (b"\x89PNG", "png image"),
    (b"\xff\xd8\xff", "jpeg image"),
)
_MARKUP = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")


def sniff_format(data: bytes) -> str:
    """What the bytes are, by their magic numbers (the suffix can lie)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:1024].lstrip().lower()
    if any(head.startswith(marker) for marker in _MARKUP):
        return "html"
    return "text"


def run(path: Path, url: str | None) -> tuple[dict[str, Any], int]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {"error": "file_not_found", "detail": f"no such file: {path}"}, EXIT_ERROR
    except OSError as exc:
        return {"error": "unreadable_file", "detail": f"{path}: {exc.strerror}"}, EXIT_ERROR
    kind = sniff_format(data)
    if kind != "text":
        return {
            "error": "unsupported_format",
            "detail": f"{path} is {kind}; this version parses body-text (.txt) files only",
        }, EXIT_ERROR
    try:
        text, _ = decode_text(data)
        report = parse_report(text, url=url)
    except ParseError as exc:
        return {"error": exc.kind, "detail": str(exc)}, EXIT_ERROR
    return report.to_dict(), 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m parsers",
        description="Parse one annual-report document and print its figures as JSON.",
    )
    parser.add_argument("file", type=Path, help="a body-text .txt file")
    parser.add_argument("--url", help="where the document came from (kept in the output)")
    args = parser.parse_args(argv)
    result, status = run(args.file, args.url)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
