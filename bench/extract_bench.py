"""Benchmark: document extraction, against baselines measured in the same run (one core).

    python bench/extract_bench.py [--rounds 5]

PDF (the real report PDFs in tests/fixtures/pdf/), each a time per document and a ratio:

* floor   – pdfminer parses every page's objects once (``len(page.chars)``): the cost no
            extractor can avoid;
* extract – ``extract_pdf``: tables, text, paragraphs and stitching on those same parses;
* naive   – ``extract_text()`` and ``extract_tables()`` with default settings, each on a
            freshly opened document (every page parsed twice).

The goal is ``extract`` ≤ 1.2 × floor.  HTML: real portal pages per second with
``extract_html``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers.html import extract_html  # noqa: E402
from parsers.pdf import extract_pdf  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
GOAL = 1.2


def floor(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.chars) for page in pdf.pages)


def naive(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = [page.extract_text() for page in pdf.pages]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        tables = [page.extract_tables() for page in pdf.pages]
    return len(text) + len(tables)


def timed(fn: Callable[[bytes], object], docs: list[bytes], rounds: int) -> float:
    """Median seconds per document over ``rounds`` passes through the corpus."""
    for doc in docs:
        fn(doc)  # warm-up
    per_round = []
    for _ in range(rounds):
        start = time.perf_counter()
        for doc in docs:
            fn(doc)
        per_round.append((time.perf_counter() - start) / len(docs))
    return statistics.median(per_round)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pdfs = [p.read_bytes() for p in sorted((FIXTURES / "pdf").glob("0*.pdf"))]
    pages = sum(len(pdfplumber.open(io.BytesIO(d)).pages) for d in pdfs)
    print(f"PDF corpus: {len(pdfs)} real reports, {pages} pages")
    results = {
        "floor": timed(floor, pdfs, args.rounds),
        "extract_pdf": timed(lambda d: extract_pdf(d), pdfs, args.rounds),
        "naive": timed(naive, pdfs, args.rounds),
    }
    base = results["floor"]
    print(f"{'stage':<12} {'ms/doc':>8} {'× floor':>8}")
    for name, seconds in results.items():
        print(f"{name:<12} {seconds * 1000:>8.1f} {seconds / base:>8.2f}")
    ratio = results["extract_pdf"] / base
    verdict = "meets" if ratio <= GOAL else "misses"
    print(f"extract_pdf = {ratio:.2f} × floor ({verdict} the goal of ≤ {GOAL}×)")

    pages_html = [
        (p.read_bytes(), "http://www.example.gov.cn/" + p.name)
        for p in sorted((FIXTURES / "html").glob("*.html"))
    ]
    html_time = timed(lambda _: [extract_html(b, url=u) for b, u in pages_html], [b""], args.rounds)
    print(f"extract_html: {len(pages_html) / html_time:.1f} real portal pages/s per core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
