"""The parsers' outputs on every real fixture, as one fingerprint tied to ``PARSER_VERSION``.

    python -m tests.tools.parser_fingerprint          # print the fingerprint, compare
    python -m tests.tools.parser_fingerprint --write  # record it (needs a version bump)

A stored report says which parser version wrote it, and ``scrapy reparse`` re-reads only what
an older version read — so any change of output must come with a new ``PARSER_VERSION``.
``tests/parsers/test_parser_version.py`` fails when the outputs changed and the version did
not; ``--write`` refuses to record changed outputs under the version they were recorded with.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from parsers import PARSER_VERSION, ParseError, parse_document, parse_report

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
RECORD = FIXTURES / "parser_version.json"


def inputs() -> list[Path]:
    """Every real body text and page the tests hold (the layout matrix too, which carries the
    PDFs' text as seven tools print it).  The PDFs themselves are left out: their text depends
    on the installed pdfminer.six as well as on our code."""
    patterns = ("seeds/*.txt", "openings/*.txt", "variants/*.txt", "html/*.html")
    found = [p for pattern in patterns for p in sorted(FIXTURES.glob(pattern))]
    return [p for p in found if not p.name.endswith(".expected.json")]


def output(path: Path) -> object:
    try:
        if path.suffix == ".txt":
            report = parse_report(path.read_text(encoding="utf-8"))
        else:
            report = parse_document(path.read_bytes(), url=f"http://fixture/{path.name}")
    except ParseError as exc:
        return {"error": exc.kind, "detail": str(exc)}
    data = report.to_dict()
    data.pop("parser_version", None)
    return data


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in inputs():
        digest.update(path.relative_to(FIXTURES).as_posix().encode())
        digest.update(json.dumps(output(path), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def recorded() -> dict[str, str]:
    data: dict[str, str] = json.loads(RECORD.read_text(encoding="utf-8"))
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="record the current fingerprint")
    args = parser.parse_args(argv)
    current = fingerprint()
    before = recorded() if RECORD.exists() else {}
    print(f"parser {PARSER_VERSION}: {current}")
    if not args.write:
        return 0 if before.get("fingerprint") == current else 1
    if before.get("fingerprint") not in (None, current) and before.get("parser_version") == (
        PARSER_VERSION
    ):
        print(f"outputs changed: bump PARSER_VERSION (now {PARSER_VERSION}) first", file=sys.stderr)
        return 2
    RECORD.write_text(
        json.dumps({"parser_version": PARSER_VERSION, "fingerprint": current}, indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"recorded in {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
