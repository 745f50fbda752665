"""Benchmark: document extraction, against baselines measured in the same run (one core).

    python bench/extract_bench.py [--rounds 5]

PDF corpus: every readable PDF fixture — the three real reports (tests/fixtures/pdf/), the
eight seeds printed to PDF with and without ruling lines (tests/fixtures/variants/rendered/)
and the synthetic 2021 form at two type sizes (simulator/content/synthetic/).  Each stage is
a median time per document and a ratio to the floor:

* floor        – pdfminer parses every page's objects once (``len(page.chars)``): the cost
                 no pdfminer-based extractor can avoid;
* extract_pdf  – tables, text, paragraphs and stitching on those same parses (geometry);
* pdfium text  – ``extract_pdf_text``: pdfium's page text, no geometry;
* document     – ``parse_document``: pdfium's text and ``parse_report``, the geometry read
                 as well where that reading was not complete (counted);
* geometry doc – ``parse_document`` as it was before the fast path: ``extract_pdf`` and
                 ``parse_report`` on every PDF;
* naive        – ``extract_text()`` and ``extract_tables()`` with default settings, each on a
                 freshly opened document (every page parsed twice).

Goals: ``extract_pdf`` ≤ 1.2 × floor; the PDF reading (pdfium text, where it is complete)
≤ 0.3 × floor with the same figures (tests/parsers/test_pdf.py holds them equal).  HTML:
real portal pages per second with ``extract_html``.
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

from parsers import document  # noqa: E402
from parsers.html import extract_html  # noqa: E402
from parsers.pdf import extract_pdf, extract_pdf_text  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
GOAL = 1.2
FAST_GOAL = 0.3


def corpus() -> list[bytes]:
    paths = [
        *sorted((FIXTURES / "pdf").glob("0*.pdf")),
        *sorted((FIXTURES / "variants" / "rendered").glob("*.pdf")),
        *sorted((ROOT / "simulator" / "content" / "synthetic").glob("minquan_*.pdf")),
    ]
    return [p.read_bytes() for p in paths]


def geometry_document(data: bytes) -> object:
    """``parse_document`` without the fast path: the reading before it existed."""
    fast = document._fast_pdf_report
    document._fast_pdf_report = lambda data, url: None  # type: ignore[assignment]
    try:
        return document.parse_document(data)
    finally:
        document._fast_pdf_report = fast


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


def measure(rounds: int = 5) -> dict[str, object]:
    """Median seconds per document of each stage, its ratio to the floor, and the corpus."""
    pdfs = corpus()
    pages = sum(len(pdfplumber.open(io.BytesIO(d)).pages) for d in pdfs)
    clean = [d for d in pdfs if document._fast_pdf_report(d, None) is not None]
    fast = len(clean)
    stages = {
        "floor": timed(floor, pdfs, rounds),
        "extract_pdf": timed(extract_pdf, pdfs, rounds),
        "pdfium text": timed(extract_pdf_text, pdfs, rounds),
        "document": timed(document.parse_document, pdfs, rounds),
        "geometry doc": timed(geometry_document, pdfs, rounds),
        "naive": timed(naive, pdfs, rounds),
    }
    # The PDFs the fast path reads without doubt, against the floor on the same PDFs: what
    # the reading costs where no printed damage sends it through the geometry as well.
    clean_floor = timed(floor, clean, rounds) if clean else 0.0
    clean_document = timed(document.parse_document, clean, rounds) if clean else 0.0
    pages_html = [
        (p.read_bytes(), "http://www.example.gov.cn/" + p.name)
        for p in sorted((FIXTURES / "html").glob("*.html"))
    ]
    html_time = timed(lambda _: [extract_html(b, url=u) for b, u in pages_html], [b""], rounds)
    return {
        "documents": len(pdfs),
        "pages": pages,
        "fast": fast,
        "stages": stages,
        "ratios": {name: seconds / stages["floor"] for name, seconds in stages.items()},
        "clean": {
            "floor": clean_floor,
            "document": clean_document,
            "ratio": clean_document / clean_floor if clean_floor else 0.0,
        },
        "html_pages_per_s": len(pages_html) / html_time,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    result = measure(args.rounds)
    print(
        f"PDF corpus: {result['documents']} documents, {result['pages']} pages; "
        f"{result['fast']} read from pdfium's text alone"
    )
    print(f"{'stage':<14} {'ms/doc':>8} {'× floor':>8}")
    stages: dict[str, float] = result["stages"]  # type: ignore[assignment]
    ratios: dict[str, float] = result["ratios"]  # type: ignore[assignment]
    for name, seconds in stages.items():
        print(f"{name:<14} {seconds * 1000:>8.1f} {ratios[name]:>8.2f}")
    verdict = "meets" if ratios["extract_pdf"] <= GOAL else "misses"
    print(f"extract_pdf = {ratios['extract_pdf']:.2f} × floor ({verdict} the goal of ≤ {GOAL}×)")
    verdict = "meets" if ratios["pdfium text"] <= FAST_GOAL else "misses"
    print(
        f"pdfium text = {ratios['pdfium text']:.3f} × floor ({verdict} the goal of "
        f"≤ {FAST_GOAL}×); parse_document "
        f"{stages['geometry doc'] / stages['document']:.1f}× faster than before"
    )
    clean: dict[str, float] = result["clean"]  # type: ignore[assignment]
    print(
        f"on the {result['fast']} PDFs read from pdfium's text alone: parse_document "
        f"{clean['document'] * 1000:.1f} ms/doc = {clean['ratio']:.3f} × their floor"
    )
    print(f"extract_html: {result['html_pages_per_s']:.1f} real portal pages/s per core")
    return 0


if __name__ == "__main__":
    sys.exit(main())
