"""Run every benchmark and write docs/BENCHMARKS.md from what they measured.

    python bench/run_all.py [--quick] [--scale 300,1000] [--output docs/BENCHMARKS.md]

Every figure in the file is measured by this run, each against a baseline measured in the
same run (interpreter start-up, bare Scrapy, bare parsing, pdfminer's parse, OpenCC's pass):
this machine's speed cancels out of the ratios, which are what the goals are about.
``--quick`` runs each benchmark briefly (a check that they all run, not figures to keep);
``--scale`` adds one paired crawl run per portal count (the 50-portal runs are always made).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import (  # noqa: E402
    crawl_bench,
    extract_bench,
    parse_bench,
    reparse_bench,
    startup_bench,
)


def _crawl_table(runs: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| portals | requests | reports | wall, ours | wall, bare | × bare | CPU × bare "
        "| CPU/report | peak RSS | written | 2nd crawl bytes | 2nd crawl wall | DB/report "
        "| syncs/document |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        syncs = f"{r['syncs_per_document']:.3f}" if "syncs" in r else "—"
        lines.append(
            f"| {r['portals']} | {r['requests']} | {r['reports']} | {r['wall']['ours']:.1f} s "
            f"| {r['wall']['bare']:.1f} s | **{r['wall']['ratio']:.2f}×** "
            f"| {r['cpu']['ratio']:.2f}× | {r['cpu_ms_per_report']:.1f} ms "
            f"| {r['rss_mb']['ours']:.0f} MB ({r['rss_mb']['ratio']:.2f}× bare) "
            f"| {r['written_mb']['ours']:.0f} MB | {r['second']['bytes_ratio']:.3f}× "
            f"| {r['second']['wall_ratio']:.2f}× | {r['db_kb_per_report']:.1f} KB | {syncs} |"
        )
    return lines


def render(results: dict[str, Any], seconds: float) -> str:
    parse, extract = results["parse"], results["extract"]
    reparse, startup, crawls = results["reparse"], results["startup"], results["crawl"]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Benchmarks",
        "",
        f"Written by `python bench/run_all.py` on {when} ({seconds / 60:.0f} minutes; Python "
        f"{platform.python_version()}, {os.cpu_count()} cores). Every figure is measured in "
        "that run, each against a baseline measured in the same run: the ratios are what the "
        "goals are about (this machine's own speed cancels out of them; its absolute times "
        "vary by ±15 % between runs). Accuracy over the layout matrix is in "
        "[ACCURACY.md](ACCURACY.md).",
        "",
        "## The crawl against bare Scrapy (`bench/crawl_bench.py`)",
        "",
        "Synthetic portals served by the simulator on loopback, politeness delays off. *Ours*: "
        "`scrapy crawl reports` as shipped (robots.txt, per-server limits, the parse pool, "
        "SQLite). *Bare*: a Scrapy spider with no middleware or pipeline of ours fetching the "
        "same URLs (same proxy, user agent, concurrency, robots.txt). *2nd crawl*: the same "
        "portals again into the same database, nothing changed (bytes downloaded and wall "
        "time as ratios to the first crawl). *Written*: bytes the machine's disks wrote over "
        "the crawl, flushed before and after (raw store, database, WAL: the parse workers "
        "write the database, and they are not the crawl's children). *CPU*: the crawl's "
        "whole process tree, parse workers included (the machine's busy time less the "
        "simulator's). *DB/report*: the database after VACUUM. *Syncs*: `fsync` and "
        "`fdatasync` calls of every process (strace), per stored document. Medians of paired "
        "runs (" + ", ".join(f"{r['runs']} at {r['portals']} portals" for r in crawls) + ").",
        "",
        *_crawl_table(crawls),
        "",
        "Goals (issue 13): wall ≤ 2× bare at 300 portals; CPU per report flat (±15 %) from "
        "100 to 1 000 portals; peak RSS < 400 MB at 3 000; a second crawl ≤ 5 % of the "
        "bytes and ≤ 0.2× the wall time; ≤ 25 KB per report; ≤ 1 sync per document.",
        "",
        "## `scrapy reparse --all` (`bench/reparse_bench.py`)",
        "",
        f"{reparse['portals']} synthetic portals crawled once ({reparse['documents']} stored "
        "documents); each run re-reads every document from a copy of that database. *One "
        "core*: the command as shipped, its process and workers pinned to one CPU "
        "(`taskset -c 0`; the parse pool has one worker per CPU it may use). *Every core*: "
        "as shipped. *One worker*: `--workers 1` on every core (the writer and one worker "
        "each have a core). Baseline: `parse_document` over the same documents on one core, "
        "no database. As many reports as the issue measured reparse on (3 338): the command's "
        "fixed cost (Scrapy's start-up, the pool's, the closing figure count; about 2 s) is a "
        "few per cent of it, as of any real reparse.",
        "",
        "| | documents/s | ratio |",
        "|---|---|---|",
        f"| bare `parse_document`, 1 core | {reparse['bare']:.1f} | 1.00 |",
        f"| reparse on one core | {reparse['one_core']:.1f} "
        f"| **{reparse['core_to_bare']:.2f}× bare** |",
        f"| reparse on {reparse['cores']} cores | {reparse['every_core']:.1f} "
        f"| **{reparse['cores_to_core']:.2f}× one core** |",
        f"| reparse `--workers 1` on {reparse['cores']} cores | {reparse['one_worker']:.1f} "
        f"| {reparse['every_core'] / reparse['one_worker']:.2f}× of it is {reparse['cores']} "
        "workers' |",
        "",
        "Goals: on one core ≥ 0.5× bare; on two cores ≥ 1.7× one core. The last row says "
        "what the second worker adds once the writer has a core of its own: on a two-core "
        "machine it can only add what the writer leaves free of that core.",
        "",
        "## Start-up (`bench/startup_bench.py`)",
        "",
        "Medians of alternating runs, byte-code cached as on a user's machine.",
        "",
        "| command | median | baseline | baseline command | ratio |",
        "|---|---|---|---|---|",
    ]
    baselines = {
        "python -m parsers FILE": "`python -c pass`",
        "python -S -m parsers FILE": "`python -S -c pass` (no `.pth` file run)",
        "scrapy version (project)": "`scrapy version` outside a project",
        "scrapy list (project)": "`scrapy version` outside a project",
    }
    for name, row in startup.items():
        out.append(
            f"| `{name}` | {row['seconds']:.3f} s | {row['baseline']:.3f} s "
            f"| {baselines[name]} | **{row['ratio']:.2f}×** |"
        )
    out += [
        "",
        "Goal: ≤ 1.2× the baselines; `python -m parsers` on a small text ≤ 0.1 s (on a "
        "machine whose `python -c pass` takes 0.02 s). The `-S` row is our code's own cost "
        "over a bare interpreter: without it, the `.pth` files of this machine's "
        "site-packages (an editable install, a sandbox's certificate hook) import modules "
        "that our code would otherwise import, inside the baseline.",
        "",
        "## Body text → `AnnualReport` (`bench/parse_bench.py`)",
        "",
        f"The {parse['texts']} real seed bodies ({parse['characters']} characters), one core. "
        "Baseline: OpenCC `t2s` over each text, the one pass over the text nothing can skip.",
        "",
        "| stage | texts/s per core | time × floor |",
        "|---|---|---|",
    ]
    for name, value in parse["rates"].items():
        label = {"floor": "floor (OpenCC t2s)", "normalize": "`normalize_text`"}.get(
            name, "`parse_report`"
        )
        out.append(f"| {label} | {value:.0f} | {parse['ratios'][name]:.1f} |")
    out += [
        "",
        "## Documents → body text (`bench/extract_bench.py`)",
        "",
        f"Every readable PDF fixture: {extract['documents']} documents, {extract['pages']} "
        "pages (the three real reports, the eight seeds printed with and without ruling "
        "lines, the synthetic 2021 form at two type sizes); "
        f"{extract['fast']} are read from pdfium's text alone, the others (rows that cannot be "
        "read without doubt: the seeds' own damage) through pdfminer's geometry as well. "
        "Baseline: pdfminer parsing every page's objects once.",
        "",
        "| stage | ms per document | time × floor |",
        "|---|---|---|",
    ]
    names = {
        "floor": "floor (pdfminer parse)",
        "extract_pdf": "`extract_pdf` (geometry: ruling lines, cells, paragraphs)",
        "pdfium text": "`extract_pdf_text` (pdfium's text)",
        "document": "`parse_document` (pdfium first, geometry where needed) + parse",
        "geometry doc": "`parse_document` before the fast path (geometry always) + parse",
        "naive": "naive pdfplumber (`extract_text` + `extract_tables`, two opens)",
    }
    for name, seconds_per_doc in extract["stages"].items():
        out.append(
            f"| {names[name]} | {seconds_per_doc * 1000:.1f} | {extract['ratios'][name]:.2f} |"
        )
    clean = extract["clean"]
    out += [
        "",
        f"On the {extract['fast']} PDFs the fast path reads without doubt, `parse_document` "
        f"takes {clean['document'] * 1000:.1f} ms per document: {clean['ratio']:.3f}× the "
        "floor on the same PDFs. Every other PDF is a seed printed with its own damage (a row "
        "with more figures than columns, a table without labels): pdfium's text leaves a "
        "figure out as ambiguous or a table unfound there, and a reading with any such doubt "
        "is never kept, so the geometry reads it as well.",
        "",
        "Goals: `extract_pdf` ≤ 1.2× floor; the PDF reading ≤ 0.3× floor with the same "
        "figures (`tests/parsers/test_pdf.py` holds the fast and the full reading to the same "
        "figures, template, year, publisher and failed checks on every PDF fixture). "
        f"HTML: `extract_html` reads {extract['html_pages_per_s']:.0f} real portal pages/s "
        "per core.",
        "",
    ]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="brief runs: a check, not figures")
    parser.add_argument("--scale", default="", help="more portal counts, e.g. 300,1000")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    args = parser.parse_args()
    quick = args.quick
    start = time.perf_counter()
    results: dict[str, Any] = {}
    steps = [
        ("startup", lambda: startup_bench.measure(runs=3 if quick else 9)),
        ("parse", lambda: parse_bench.measure(seconds=0.5 if quick else 3.0)),
        ("extract", lambda: extract_bench.measure(rounds=1 if quick else 5)),
        (
            "reparse",
            lambda: reparse_bench.measure(portals=8 if quick else 300, runs=1 if quick else 3),
        ),
    ]
    for name, step in steps:
        print(f"… {name}", flush=True)
        results[name] = step()
    print("… crawl, 50 portals" if not quick else "… crawl, 5 portals", flush=True)
    results["crawl"] = [crawl_bench.measure(portals=5 if quick else 50, runs=1 if quick else 3)]
    args.output.write_text(render(results, time.perf_counter() - start), "utf-8")
    for count in (int(c) for c in args.scale.split(",") if c.strip()):
        print(f"… crawl, {count} portals", flush=True)
        results["crawl"].append(crawl_bench.measure(portals=count, runs=1, syscalls=False))
        # Written after each scale: an hour's run interrupted keeps what it measured.
        args.output.write_text(render(results, time.perf_counter() - start), "utf-8")
    print(f"written: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
