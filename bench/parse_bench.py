"""Benchmark: report body texts parsed per second on one core, against baselines in the same run.

    python bench/parse_bench.py [--seconds 3] [DIR_OR_FILES …]

Corpus: the real seed bodies in tests/fixtures/seeds/ (or the .txt files given).  Every
measurement runs in this one process (one core).  Printed:

* floor      – OpenCC's t2s over each text (OpenCC itself: ``to_simplified`` skips a text
               without a traditional character): one pass over the text in C;
* normalize  – ``normalize_text`` (mojibake, markup, pinyin, t2s, digits, whitespace);
* parse      – ``parse_report``: everything, from raw body text to checked figures;

each as texts/second and as a ratio to the floor.  The goal for ``parse`` is ≥ 300 texts/s.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import opencc  # noqa: E402

from parsers import parse_report  # noqa: E402
from parsers.normalize import normalize_text  # noqa: E402

DEFAULT_CORPUS = ROOT / "tests" / "fixtures" / "seeds"
GOAL = 300.0


def load_corpus(paths: list[Path]) -> list[str]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return [f.read_text(encoding="utf-8") for f in files]


def rate(fn: Callable[[str], object], texts: list[str], seconds: float) -> float:
    """Texts per second of ``fn`` over the corpus, repeated for at least ``seconds``."""
    for text in texts:  # warm-up: caches, OpenCC dictionaries
        fn(text)
    done = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for text in texts:
            fn(text)
        done += len(texts)
    return done / elapsed


def measure(seconds: float = 3.0, paths: list[Path] | None = None) -> dict[str, Any]:
    """Texts per second of each stage on one core, and the corpus."""
    texts = load_corpus(paths or [DEFAULT_CORPUS])
    rates = {
        "floor": rate(opencc.OpenCC("t2s").convert, texts, seconds),
        "normalize": rate(normalize_text, texts, seconds),
        "parse": rate(parse_report, texts, seconds),
    }
    return {
        "texts": len(texts),
        "characters": sum(len(t) for t in texts),
        "python": platform.python_version(),
        "rates": rates,
        "ratios": {name: rates["floor"] / value for name, value in rates.items()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = parser.parse_args()
    if not load_corpus(args.paths):
        print("no .txt files found", file=sys.stderr)
        return 2
    r = measure(args.seconds, args.paths)
    print(f"corpus: {r['texts']} texts, {r['characters']} characters; python {r['python']}")
    print(f"{'stage':<10} {'texts/s/core':>13} {'× floor time':>13}")
    for name, value in r["rates"].items():
        print(f"{name:<10} {value:>13.1f} {r['ratios'][name]:>13.2f}")
    parse = r["rates"]["parse"]
    verdict = "meets" if parse >= GOAL else "misses"
    print(f"parse_report: {parse:.0f} texts/s per core ({verdict} the goal of {GOAL:.0f}/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
