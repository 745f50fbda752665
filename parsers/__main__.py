"""``python -m parsers FILE [--url URL]``: parse one document and print its JSON.

The one module of the package that touches a file: it reads the bytes and hands them to
``parse_document``, the same pure function the crawler's pipelines call.  The format is
decided by the bytes (magic numbers), not by the file's suffix.  Errors print
``{"error": kind, "detail": …}`` and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .document import ListPageError, parse_document
from .errors import ParseError

TYPE_CHECKING = False  # typing's, without importing typing (see parsers/__init__.py)
if TYPE_CHECKING:
    from typing import Any

EXIT_ERROR = 2


def run(path: Path, url: str | None) -> tuple[dict[str, Any], int]:
    """The JSON object for one file, and the exit status."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {"error": "file_not_found", "detail": f"no such file: {path}"}, EXIT_ERROR
    except OSError as exc:
        return {"error": "unreadable_file", "detail": f"{path}: {exc.strerror}"}, EXIT_ERROR
    try:
        report = parse_document(data, url=url or path.resolve().as_uri())
    except ListPageError as exc:
        return {
            "error": exc.kind,
            "detail": str(exc),
            "links": [{"url": link.url, "text": link.text} for link in exc.page.links],
            "attachments": [{"url": a.url, "text": a.text} for a in exc.page.attachments],
        }, EXIT_ERROR
    except ParseError as exc:
        return {"error": exc.kind, "detail": str(exc)}, EXIT_ERROR
    except Exception as exc:  # a parser bug: said as the crawl says it, never a traceback
        return {"error": "parser_failure", "detail": f"{type(exc).__name__}: {exc}"}, EXIT_ERROR
    return report.to_dict(), 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m parsers",
        description="Parse one annual-report document and print its figures as JSON.",
    )
    parser.add_argument("file", type=Path, help="a .txt body text, .html page, .pdf or .docx")
    parser.add_argument("--url", help="where the document came from (kept in the output)")
    args = parser.parse_args(argv)
    result, status = run(args.file, args.url)
    try:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (head, less) stopped early
        sys.stderr.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
