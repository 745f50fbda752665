"""Lower the layout matrix's absence budgets to what the parser reads now (a deliberate step).

    python -m tests.tools.matrix_budgets          # rewrites _ABSENT_BUDGET in the test

A budget only ever goes down: a variant that now misses more figures than its budget is
reported and left as it is, so a regression can never be written into the test.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from parsers import parse_report
from tests.layout_matrix import score, variants

TEST = Path(__file__).resolve().parents[1] / "parsers" / "test_layout_matrix.py"
_BUDGET_RE = re.compile(r"(_ABSENT_BUDGET: dict\[str, int\] = \{\n)(.*?)(\n\})", re.S)
_ENTRY_RE = re.compile(r'"(?P<name>[^"]+)": (?P<n>\d+),')


def main() -> int:
    source = TEST.read_text("utf-8")
    match = _BUDGET_RE.search(source)
    if match is None:
        print("no _ABSENT_BUDGET in the test", file=sys.stderr)
        return 2
    old = {m["name"]: int(m["n"]) for m in _ENTRY_RE.finditer(match.group(2))}
    lines, worse = [], []
    for variant in variants():
        absent = len(score(variant, parse_report(variant.text())).absent)
        budget = old.get(variant.name, absent)
        if absent > budget:
            worse.append(f"{variant.name}: {absent} > {budget}")
        lines.append(f'    "{variant.name}": {min(absent, budget)},')
    TEST.write_text(source[: match.start(2)] + "\n".join(lines) + source[match.end(2) :], "utf-8")
    total = sum(int(line.rsplit(" ", 1)[1].rstrip(",")) for line in lines)
    print(f"{len(lines)} budgets, {total} absent figures allowed in all")
    for line in worse:
        print("worse than its budget (left unchanged):", line)
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
