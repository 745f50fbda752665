"""Benchmark: start-up of ``python -m parsers`` and of ``scrapy`` commands, against bare baselines.

    python bench/startup_bench.py [--runs 9]

Each command is run ``--runs`` times, alternating with its baseline, and the medians are
compared (the ratio is what the goal is about: this machine's own interpreter start-up is the
unit). Byte-code is written and warmed first, as on a user's machine (``PYTHONDONTWRITEBYTECODE``
is cleared: without cached byte-code every run recompiles the modules).

* ``python -m parsers`` on a 100-character text file, against ``python -c pass``;
* the same without ``site`` (``python -S``, the project and site-packages on ``PYTHONPATH``),
  against ``python -S -c pass``: what our code costs over a bare interpreter. A machine's
  ``.pth`` files run at every start of ``python`` (an editable install's import finder, a
  sandbox's certificate hook that imports certifi), and they import ``typing``, ``pathlib``
  and ``shutil`` before our code runs: they make ``python -c pass`` slower and hide part of
  our imports inside the baseline;
* ``scrapy version`` in the project (settings and our commands loaded), against ``scrapy
  version`` outside any project;
* ``scrapy list`` in the project (the spider modules loaded), against the same bare baseline.
"""

from __future__ import annotations

import argparse
import os
import site
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL_TEXT = "2023年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息12条。\n"


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def measure(runs: int = 9) -> dict[str, dict[str, float]]:
    """Median seconds of each command and of its baseline, and their ratio."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="gknb-startup-") as tmp:
        outside = Path(tmp)
        text = outside / "small.txt"
        text.write_text(SMALL_TEXT, "utf-8")
        pairs = {
            "python -m parsers FILE": (
                ([python, "-m", "parsers", str(text)], ROOT),
                ([python, "-c", "pass"], ROOT),
            ),
            "python -S -m parsers FILE": (
                ([python, "-S", "-m", "parsers", str(text)], ROOT),
                ([python, "-S", "-c", "pass"], ROOT),
            ),
            "scrapy version (project)": (
                ([python, "-m", "scrapy", "version"], ROOT),
                ([python, "-m", "scrapy", "version"], outside),
            ),
            "scrapy list (project)": (
                ([python, "-m", "scrapy", "list"], ROOT),
                ([python, "-m", "scrapy", "version"], outside),
            ),
        }
        results: dict[str, dict[str, float]] = {}
        bare_path = os.pathsep.join([str(ROOT), *site.getsitepackages()])
        for name, (ours, bare) in pairs.items():
            # Without site, the project and its dependencies are found on PYTHONPATH.
            run_env = {**env, "PYTHONPATH": bare_path} if "-S" in ours[0] else env
            for command, cwd in (ours, bare):  # byte-code written, files in the page cache
                timed(command, cwd, run_env)
            mine: list[float] = []
            base: list[float] = []
            for _ in range(runs):
                mine.append(timed(*ours, run_env))
                base.append(timed(*bare, run_env))
            ours_s, bare_s = statistics.median(mine), statistics.median(base)
            results[name] = {"seconds": ours_s, "baseline": bare_s, "ratio": ours_s / bare_s}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(f"{'command':<28} {'median s':>9} {'baseline s':>11} {'ratio':>6}")
    for name, row in measure(args.runs).items():
        print(f"{name:<28} {row['seconds']:>9.3f} {row['baseline']:>11.3f} {row['ratio']:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
