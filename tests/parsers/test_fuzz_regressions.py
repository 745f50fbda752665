"""Crash reproducers (tests/fixtures/fuzz/): each ends in a documented error or a result."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from parsers import ParseError, parse_document, parse_report
from parsers.families import LIST_PARSERS, MAX_LIST_PAGES, gkmlpt_list, trs_api, trs_pages

FUZZ = Path(__file__).resolve().parents[1] / "fixtures" / "fuzz"
DOCUMENTS = sorted(p for p in FUZZ.iterdir() if p.name.startswith(("html_", "docx_")))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_documents_end_in_a_documented_error_or_a_result(path: Path) -> None:
    start = time.perf_counter()
    try:
        parse_document(path.read_bytes(), url="http://www.example.gov.cn/a.html")
    except ParseError as exc:
        assert exc.kind != "parse_error"
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("html_challenge.html", "challenge_page"),
        ("docx_empty_document_xml.docx", "corrupt_document"),
        ("docx_cut_document_xml.docx", "corrupt_document"),
        ("docx_zip_bomb.docx", "too_costly"),
    ],
)
def test_the_kind_each_is_told_as(name: str, kind: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_document((FUZZ / name).read_bytes(), url="http://www.example.gov.cn/a")
    assert caught.value.kind == kind


def test_huge_figures_are_left_out() -> None:
    report = parse_report((FUZZ / "text_huge_figures.txt").read_text("utf-8"))
    assert report.values and all(abs(v.value) < 10**15 for v in report.values)


def test_claimed_page_counts_are_capped_and_said() -> None:
    url = "https://www.a.gov.cn/col/index.html"
    found = trs_pages(url, (FUZZ / "list_trs_million_pages.html").read_text())
    assert found is not None and len(found.lists) == MAX_LIST_PAGES - 1 and found.note
    api = "https://www.a.gov.cn/gkmlpt/api/all/1?page=1&sid=7"
    found = gkmlpt_list(api, (FUZZ / "list_gkmlpt_total_1e8.json").read_text())
    assert len(found.lists) == MAX_LIST_PAGES - 1 and "100000000" in (found.note or "")
    found = trs_api(url, (FUZZ / "list_trs_api_prepage_zero.html").read_text())
    assert found is not None and len(found.lists) == 19  # 20 records, 1 a page: pages 2–20


@pytest.mark.parametrize("kind", sorted(LIST_PARSERS))
def test_a_challenge_in_place_of_a_list_answer_is_said_not_raised(kind: str) -> None:
    found = LIST_PARSERS[kind](
        "https://www.a.gov.cn/api?sid=7", (FUZZ / "list_api_challenge.json").read_text()
    )
    assert found.lists == []
    if kind != "hanweb_records":  # XML records: no records is a valid empty answer
        assert found.note and "did not answer" in found.note


def test_a_pdf_whose_close_fails_too_is_still_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Was: pdfplumber's close() walked the damaged pages again and its exception hid the
    CorruptDocumentError (found by the fuzzer on a cut PDF)."""
    from pdfplumber.utils.exceptions import PdfminerException

    import parsers.pdf as pdf_module

    class Damaged:
        def __init__(self) -> None:
            self.doc = None  # no information dictionary

        @property
        def pages(self) -> list[object]:
            raise PdfminerException(0)

        def close(self) -> None:
            raise PdfminerException(0)

    monkeypatch.setattr(pdf_module, "_open", lambda data: Damaged())
    with pytest.raises(ParseError) as caught:
        pdf_module.extract_pdf(b"%PDF-1.7 damaged")
    assert caught.value.kind == "corrupt_document"


def test_a_pdf_whose_pages_cannot_be_built_is_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Was: ``TypeError: 'NoneType' object is not iterable`` from pdfplumber's page boxes on a
    damaged PDF (found by the fuzzer)."""
    import parsers.pdf as pdf_module

    class NoMediaBox:
        doc = None

        @property
        def pages(self) -> list[object]:
            raise TypeError("'NoneType' object is not iterable")

        def close(self) -> None:
            pass

    monkeypatch.setattr(pdf_module, "_open", lambda data: NoMediaBox())
    with pytest.raises(ParseError) as caught:
        pdf_module.extract_pdf(b"%PDF-1.7 damaged")
    assert caught.value.kind == "corrupt_document"
