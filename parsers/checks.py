"""Consistency checks on printed figures.  They report; they never change a figure.

Names follow DESIGN.md: ``balance`` (一+二 = 三(七)总计 + 四, per column),
``results_total`` ((七)总计 = the sum of its sub-rows, per column), ``applicant_total``
(总计 = 自然人 + the 法人 columns, per row), ``review_litigation_total`` (each 表四 总计 =
its four parts) and ``prose_vs_table`` (a figure stated in both places agrees).
``carry_over`` needs last year's report and is computed in storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import Check, Number, Value
from .template import APPLICANT_ADDENDS, APPLICANT_COLUMNS, ORG_COLUMNS, RESULT_ROWS, REVIEW_COLUMNS

__all__ = ["run_checks"]

_Key = tuple[str, str, str]


def _fmt(number: Number) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def _sum_check(name: str, subject: str, rule: str, total: Number, parts: Sequence[Number]) -> Check:
    """``total`` printed against the sum of ``parts`` printed; the detail shows both."""
    ok = sum(parts) == total
    sign = "=" if ok else "≠"
    summed = "+".join(_fmt(p) for p in parts)
    return Check(name, ok, subject, f"{subject}: {rule.format(sign)}: {_fmt(total)}{sign}{summed}")


def _balance(table: dict[_Key, Number], columns: Iterable[str]) -> Iterable[Check]:
    for column in columns:
        keys = [
            ("applications", row, column)
            for row in ("new_received", "carried_over", "total_handled", "carried_forward")
        ]
        if not all(key in table for key in keys):
            continue
        a, b, c, d = (table[key] for key in keys)
        ok = a + b == c + d
        sign = "=" if ok else "≠"
        subject = f"column {column}"
        detail = f"{subject}: 一+二{sign}三(七)+四: {_fmt(a)}+{_fmt(b)}{sign}{_fmt(c)}+{_fmt(d)}"
        yield Check("balance", ok, subject, detail)


def _results_total(
    table: dict[_Key, Number], columns: Iterable[str], printed_rows: set[str]
) -> Iterable[Check]:
    # Only a complete set of sub-rows sums to (七): the 2021 format's 21, or the 2019
    # format's 19 (one "(六)其他处理" row instead of three).
    only_2021 = {"other_no_correction", "other_no_fee"}
    rows = [row for row in RESULT_ROWS if printed_rows & only_2021 or row not in only_2021]
    if not set(rows) <= printed_rows:
        return
    for column in columns:
        total_key = ("applications", "total_handled", column)
        keys = [("applications", row, column) for row in rows]
        if total_key not in table or not all(key in table for key in keys):
            continue
        parts = [table[key] for key in keys]
        rule = f"(七)总计{{}}sum of {len(parts)} result rows"
        yield _sum_check("results_total", f"column {column}", rule, table[total_key], parts)


def _applicant_total(table: dict[_Key, Number], rows: Iterable[str]) -> Iterable[Check]:
    for row in rows:
        keys = [("applications", row, column) for column in APPLICANT_COLUMNS]
        if all(key in table for key in keys):
            *parts, total = (table[key] for key in keys)
            yield _sum_check("applicant_total", f"row {row}", "总计{}自然人+法人", total, parts)
        subtotal = ("applications", row, "org_subtotal")
        org_keys = [("applications", row, column) for column in ORG_COLUMNS]
        if subtotal in table and all(key in table for key in org_keys):
            parts = [table[key] for key in org_keys]
            yield _sum_check("applicant_total", f"row {row}", "小计{}法人", table[subtotal], parts)


def _review_total(figures: dict[_Key, Number], rows: Iterable[str], source: str) -> Iterable[Check]:
    for row in rows:
        keys = [("review_litigation", row, column) for column in REVIEW_COLUMNS]
        if not all(key in figures for key in keys):
            continue
        *parts, total = (figures[key] for key in keys)
        yield _sum_check(
            "review_litigation_total",
            f"{source} row {row}",
            "总计{}维持+纠正+其他+未审结",
            total,
            parts,
        )


def _prose_vs_table(table: dict[_Key, Number], prose: dict[_Key, Value]) -> Iterable[Check]:
    for key, value in prose.items():
        t, row, column = key
        if key in table:
            printed: Number | None = table[key]
            where = f"{t}/{row}/{column}"
        elif (t, row) == ("review_litigation", "litigation"):
            parts = [
                ("review_litigation", r, column)
                for r in ("litigation_direct", "litigation_after_review")
            ]
            printed = sum(table[p] for p in parts) if all(p in table for p in parts) else None
            where = f"review_litigation/litigation/{column}"
        else:
            continue
        if printed is None:
            continue
        ok = printed == value.value
        sign = "=" if ok else "≠"
        detail = f"{where}: prose {value.label!r} {_fmt(value.value)}{sign}table {_fmt(printed)}"
        yield Check("prose_vs_table", ok, where, detail)


def run_checks(values: Sequence[Value], printed_rows: set[str]) -> list[Check]:
    """Every check the printed figures allow; a check whose inputs are missing is not run."""
    table = {(v.table, v.row, v.column): v.value for v in values if v.source == "table"}
    prose = {(v.table, v.row, v.column): v for v in values if v.source == "prose"}
    prose_figures = {key: v.value for key, v in prose.items()}
    columns = [*APPLICANT_COLUMNS]
    if any(key[2] == "org_subtotal" for key in table):
        columns.insert(len(APPLICANT_ADDENDS), "org_subtotal")
    app_rows = [row for row in dict.fromkeys(k[1] for k in table if k[0] == "applications")]
    checks: list[Check] = []
    checks += _balance(table, columns)
    checks += _results_total(table, columns, printed_rows)
    checks += _applicant_total(table, app_rows)
    checks += _review_total(
        table, ("review", "litigation_direct", "litigation_after_review"), "表四"
    )
    checks += _review_total(prose_figures, ("review", "litigation"), "prose")
    checks += _prose_vs_table(table, prose)
    return checks
