"""The layout matrix: every golden document as body text from 16 tools, read by parse_report.

Each variant (``tests/fixtures/variants/``, made by ``tests/tools/make_variants.py``) must give
its document's golden figures and never another: no figure different from the printed one,
none where the golden file has none, the covered year and the template right.  A figure not
read is allowed only with a warning, and only up to the variant's budget below — the count
this parser reaches today.  A budget is lowered deliberately when the parser improves
(``python bench/accuracy.py --show-misses`` lists the misses); it is never raised to let a
regression through.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parsers import AnnualReport, parse_report
from parsers.errors import NotAReportError
from tests.layout_matrix import Variant, score, variants

_VARIANTS = variants()

# Figures a variant may leave out (with a warning), per variant.
_ABSENT_BUDGET: dict[str, int] = {
    "seed000_html.w3m": 0,
    "seed000_html.lynx": 0,
    "seed000_html.pandoc-plain": 0,
    "seed000_html.pandoc-gfm": 0,
    "seed000_html.html2text": 0,
    "seed000_html.bs4": 3,
    "seed000_html.bs4-newline": 0,
    "seed000_html.trafilatura": 0,
    "seed000_html.markdownify": 0,
    "seed000_pdf.pdftotext-layout": 0,
    "seed000_pdf.pdftotext": 0,
    "seed000_pdf.pdftotext-raw": 0,
    "seed000_pdf.pymupdf": 0,
    "seed000_pdf.pypdfium2": 0,
    "seed000_pdf.pdfplumber": 0,
    "seed000_pdf.pdfminer": 6,
    "seed000_unruled_pdf.pdftotext-layout": 0,
    "seed000_unruled_pdf.pdftotext": 0,
    "seed000_unruled_pdf.pdftotext-raw": 0,
    "seed000_unruled_pdf.pymupdf": 0,
    "seed000_unruled_pdf.pypdfium2": 0,
    "seed000_unruled_pdf.pdfplumber": 0,
    "seed000_unruled_pdf.pdfminer": 6,
    "seed001_html.w3m": 2,
    "seed001_html.lynx": 0,
    "seed001_html.pandoc-plain": 0,
    "seed001_html.pandoc-gfm": 0,
    "seed001_html.html2text": 0,
    "seed001_html.bs4": 16,
    "seed001_html.bs4-newline": 0,
    "seed001_html.trafilatura": 0,
    "seed001_html.markdownify": 0,
    "seed001_pdf.pdftotext-layout": 0,
    "seed001_pdf.pdftotext": 0,
    "seed001_pdf.pdftotext-raw": 0,
    "seed001_pdf.pymupdf": 0,
    "seed001_pdf.pypdfium2": 0,
    "seed001_pdf.pdfplumber": 0,
    "seed001_pdf.pdfminer": 79,
    "seed001_unruled_pdf.pdftotext-layout": 0,
    "seed001_unruled_pdf.pdftotext": 0,
    "seed001_unruled_pdf.pdftotext-raw": 0,
    "seed001_unruled_pdf.pymupdf": 0,
    "seed001_unruled_pdf.pypdfium2": 0,
    "seed001_unruled_pdf.pdfplumber": 0,
    "seed001_unruled_pdf.pdfminer": 79,
    "seed002_html.w3m": 0,
    "seed002_html.lynx": 0,
    "seed002_html.pandoc-plain": 0,
    "seed002_html.pandoc-gfm": 0,
    "seed002_html.html2text": 0,
    "seed002_html.bs4": 3,
    "seed002_html.bs4-newline": 0,
    "seed002_html.trafilatura": 0,
    "seed002_html.markdownify": 0,
    "seed002_pdf.pdftotext-layout": 0,
    "seed002_pdf.pdftotext": 0,
    "seed002_pdf.pdftotext-raw": 0,
    "seed002_pdf.pymupdf": 0,
    "seed002_pdf.pypdfium2": 0,
    "seed002_pdf.pdfplumber": 0,
    "seed002_pdf.pdfminer": 74,
    "seed002_unruled_pdf.pdftotext-layout": 0,
    "seed002_unruled_pdf.pdftotext": 0,
    "seed002_unruled_pdf.pdftotext-raw": 0,
    "seed002_unruled_pdf.pymupdf": 0,
    "seed002_unruled_pdf.pypdfium2": 0,
    "seed002_unruled_pdf.pdfplumber": 0,
    "seed002_unruled_pdf.pdfminer": 74,
    "seed003_html.w3m": 4,
    "seed003_html.lynx": 1,
    "seed003_html.pandoc-plain": 0,
    "seed003_html.pandoc-gfm": 0,
    "seed003_html.html2text": 0,
    "seed003_html.bs4": 0,
    "seed003_html.bs4-newline": 0,
    "seed003_html.trafilatura": 0,
    "seed003_html.markdownify": 0,
    "seed003_pdf.pdftotext-layout": 0,
    "seed003_pdf.pdftotext": 0,
    "seed003_pdf.pdftotext-raw": 0,
    "seed003_pdf.pymupdf": 0,
    "seed003_pdf.pypdfium2": 0,
    "seed003_pdf.pdfplumber": 0,
    "seed003_pdf.pdfminer": 0,
    "seed004_html.w3m": 0,
    "seed004_html.lynx": 0,
    "seed004_html.pandoc-plain": 0,
    "seed004_html.pandoc-gfm": 0,
    "seed004_html.html2text": 0,
    "seed004_html.bs4": 0,
    "seed004_html.bs4-newline": 0,
    "seed004_html.trafilatura": 0,
    "seed004_html.markdownify": 0,
    "seed004_pdf.pdftotext-layout": 0,
    "seed004_pdf.pdftotext": 0,
    "seed004_pdf.pdftotext-raw": 0,
    "seed004_pdf.pymupdf": 0,
    "seed004_pdf.pypdfium2": 0,
    "seed004_pdf.pdfplumber": 0,
    "seed004_pdf.pdfminer": 0,
    "001_huaian_shi_2024.pdftotext-layout": 0,
    "001_huaian_shi_2024.pdftotext": 15,
    "001_huaian_shi_2024.pdftotext-raw": 0,
    "001_huaian_shi_2024.pymupdf": 0,
    "001_huaian_shi_2024.pypdfium2": 0,
    "001_huaian_shi_2024.pdfplumber": 0,
    "001_huaian_shi_2024.pdfminer": 19,
    "002_hongze_qu_2023.pdftotext-layout": 0,
    "002_hongze_qu_2023.pdftotext": 15,
    "002_hongze_qu_2023.pdftotext-raw": 0,
    "002_hongze_qu_2023.pymupdf": 0,
    "002_hongze_qu_2023.pypdfium2": 0,
    "002_hongze_qu_2023.pdfplumber": 0,
    "002_hongze_qu_2023.pdfminer": 10,
    "003_hongze_qu_2024.pdftotext-layout": 0,
    "003_hongze_qu_2024.pdftotext": 0,
    "003_hongze_qu_2024.pdftotext-raw": 1,
    "003_hongze_qu_2024.pymupdf": 0,
    "003_hongze_qu_2024.pypdfium2": 0,
    "003_hongze_qu_2024.pdfplumber": 0,
    "003_hongze_qu_2024.pdfminer": 11,
    "002_shuyang_fgj_2023_report_ucap.w3m": 0,
    "002_shuyang_fgj_2023_report_ucap.lynx": 25,
    "002_shuyang_fgj_2023_report_ucap.pandoc-plain": 50,
    "002_shuyang_fgj_2023_report_ucap.pandoc-gfm": 0,
    "002_shuyang_fgj_2023_report_ucap.html2text": 0,
    "002_shuyang_fgj_2023_report_ucap.bs4": 25,
    "002_shuyang_fgj_2023_report_ucap.bs4-newline": 52,
    "002_shuyang_fgj_2023_report_ucap.trafilatura": 0,
    "002_shuyang_fgj_2023_report_ucap.markdownify": 0,
    "synthetic_minquan_2021_form.pdftotext-layout": 0,
    "synthetic_minquan_2021_form.pdftotext": 15,
    "synthetic_minquan_2021_form.pdftotext-raw": 0,
    "synthetic_minquan_2021_form.pymupdf": 0,
    "synthetic_minquan_2021_form.pypdfium2": 0,
    "synthetic_minquan_2021_form.pdfplumber": 0,
    "synthetic_minquan_2021_form.pdfminer": 10,
    "synthetic_minquan_2021_form_large.pdftotext-layout": 21,
    "synthetic_minquan_2021_form_large.pdftotext": 162,
    "synthetic_minquan_2021_form_large.pdftotext-raw": 0,
    "synthetic_minquan_2021_form_large.pymupdf": 0,
    "synthetic_minquan_2021_form_large.pypdfium2": 0,
    "synthetic_minquan_2021_form_large.pdfplumber": 21,
    "synthetic_minquan_2021_form_large.pdfminer": 182,
    "synthetic_minquan_2021_form.pandoc-plain": 175,
}
_TABLE_WORDS = {"active_disclosure": "表二", "applications": "表三", "review_litigation": "表四"}


@cache
def _parse(variant: Variant) -> AnnualReport:
    return parse_report(variant.text())


def test_every_variant_has_a_budget() -> None:
    assert sorted(_ABSENT_BUDGET) == sorted(v.name for v in _VARIANTS)


@pytest.mark.parametrize("variant", _VARIANTS, ids=lambda v: v.name)
def test_no_figure_differs_or_is_invented(variant: Variant) -> None:
    result = score(variant, _parse(variant))
    assert result.different == []
    assert result.invented == []


@pytest.mark.parametrize("variant", _VARIANTS, ids=lambda v: v.name)
def test_year_and_template(variant: Variant) -> None:
    report = _parse(variant)
    golden = variant.golden()
    assert (report.year, report.template) == (golden["year"], golden["template"])


@pytest.mark.parametrize("variant", _VARIANTS, ids=lambda v: v.name)
def test_absent_figures_within_budget_and_explained(variant: Variant) -> None:
    report = _parse(variant)
    result = score(variant, report)
    assert len(result.absent) <= _ABSENT_BUDGET[variant.name], result.absent
    for table in {name.split("/")[0] for name in result.absent if name.endswith("/table")}:
        word = _TABLE_WORDS[table]
        assert any(word in warning for warning in report.warnings), f"{word} lost silently"


def test_matrix_floor() -> None:
    """Over the whole matrix: the share of golden figures read exactly."""
    scores = [score(v, _parse(v)) for v in _VARIANTS]
    exact = sum(s.exact for s in scores)
    expected = sum(s.expected for s in scores)
    assert exact / expected >= 0.92


_TEXT_VARIANTS = [v for v in _VARIANTS if "<table" not in v.text()]


@given(
    st.sampled_from(_TEXT_VARIANTS),
    st.sampled_from(["delete", "join", "page_number"]),
    st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_damage_never_makes_a_figure_wrong(variant: Variant, damage: str, where: float) -> None:
    """A line lost, two lines run together or a page number dropped into the text: figures
    may go missing, but none may differ from the golden file or appear where it has none."""
    lines = variant.text().split("\\n")
    at = int(where * len(lines))
    if damage == "delete":
        del lines[at]
    elif damage == "join" and at + 1 < len(lines):
        lines[at] += lines.pop(at + 1)
    else:
        lines.insert(at, f"- {at % 9 + 1} -")
    try:
        report = parse_report("\\n".join(lines))
    except NotAReportError:
        return
    result = score(variant, report)
    assert result.different == []
    assert result.invented == []
