"""Accuracy over the layout matrix: per tool and per document, figures exact/different/absent.

    python bench/accuracy.py [--json FILE] [--documents] [--show-misses]

The matrix is ``tests/fixtures/variants/`` (real golden documents turned into body text by
pdftotext, PyMuPDF, pypdfium2, pdfplumber, pdfminer, w3m, lynx, pandoc, html2text,
BeautifulSoup, trafilatura, markdownify — see ``tests/tools/make_variants.py``).  Each variant
is parsed with ``parse_report`` and scored against its golden file (``tests/layout_matrix.py``):

* exact      – the printed figure;
* different  – another figure under that key (must be 0);
* absent     – not read (allowed only with a warning);
* invented   – a figure where the golden file has none (must be 0);
* year / template right, and parse speed (texts/s on one core, in this run).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers import parse_report  # noqa: E402
from parsers.errors import ParseError  # noqa: E402
from tests.layout_matrix import Score, Variant, score, variants  # noqa: E402


def run(variant: Variant) -> tuple[Score, float, str | None]:
    text = variant.text()
    start = time.perf_counter()
    try:
        report = parse_report(text)
        error = None
    except ParseError as exc:
        report, error = None, f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - start
    return score(variant, report), elapsed, error


def _row(name: str, scores: list[Score], seconds: float) -> dict[str, object]:
    expected = sum(s.expected for s in scores)
    exact = sum(s.exact for s in scores)
    return {
        "name": name,
        "variants": len(scores),
        "expected": expected,
        "exact": exact,
        "different": sum(len(s.different) for s in scores),
        "absent": sum(len(s.absent) for s in scores),
        "invented": sum(len(s.invented) for s in scores),
        "exact_pct": round(100.0 * exact / expected, 2) if expected else 100.0,
        "year_ok": sum(s.year_ok for s in scores),
        "template_ok": sum(s.template_ok for s in scores),
        "texts_per_s": round(len(scores) / seconds, 1) if seconds else None,
    }


def _print(title: str, rows: list[dict[str, object]]) -> None:
    print(
        f"{title:<40} {'n':>3} {'figures':>7} {'exact':>6} {'%':>7} {'diff':>5} {'absent':>6}"
        f" {'invent':>6} {'year':>5} {'tmpl':>5} {'txt/s':>7}"
    )
    for r in rows:
        print(
            f"{r['name']!s:<40} {r['variants']:>3} {r['expected']:>7} {r['exact']:>6}"
            f" {r['exact_pct']:>7} {r['different']:>5} {r['absent']:>6} {r['invented']:>6}"
            f" {r['year_ok']:>5} {r['template_ok']:>5} {r['texts_per_s']!s:>7}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="also write the tables as JSON here")
    parser.add_argument("--documents", action="store_true", help="also a table per document")
    parser.add_argument("--show-misses", action="store_true", help="list every miss")
    args = parser.parse_args()

    by_tool: dict[str, list[Score]] = defaultdict(list)
    by_document: dict[str, list[Score]] = defaultdict(list)
    time_tool: dict[str, float] = defaultdict(float)
    time_document: dict[str, float] = defaultdict(float)
    everything: list[Score] = []
    total_time = 0.0
    for variant in variants():
        result, elapsed, error = run(variant)
        by_tool[variant.tool].append(result)
        by_document[variant.document].append(result)
        time_tool[variant.tool] += elapsed
        time_document[variant.document] += elapsed
        everything.append(result)
        total_time += elapsed
        if args.show_misses and (
            error or result.different or result.absent or result.invented or not result.year_ok
        ):
            print(f"== {variant.name}: {error or ''}")
            for kind in ("different", "invented", "absent"):
                items = getattr(result, kind)
                if items:
                    print(f"   {kind} ({len(items)}): {', '.join(items[:12])}")
            if not result.year_ok or not result.template_ok:
                print(f"   year ok {result.year_ok}, template ok {result.template_ok}")
    tools = [_row(tool, scores, time_tool[tool]) for tool, scores in by_tool.items()]
    tools.append(_row("ALL", everything, total_time))
    _print("tool", tools)
    report: dict[str, object] = {"tools": tools}
    if args.documents:
        print()
        documents = [_row(d, s, time_document[d]) for d, s in by_document.items()]
        _print("document", documents)
        report["documents"] = documents
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
