"""parsers/pdf.py on the three real report PDFs, and on PDFs that cannot be read."""

from __future__ import annotations

import json
import time
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from parsers import document, parse_document, parse_report
from parsers.errors import (
    CorruptDocumentError,
    EncryptedPdfError,
    ScannedPdfError,
    WrongFormatError,
)
from parsers.pdf import ExtractedDocument, decode_pdf_string, extract_pdf, extract_pdf_text
from tests.conftest import FIXTURES, assert_report_matches, expected_table_cells, golden

PDF = FIXTURES / "pdf"
NAMES = ["001_huaian_shi_2024", "002_hongze_qu_2023", "003_hongze_qu_2024"]


@cache
def extracted(name: str) -> ExtractedDocument:
    return extract_pdf((PDF / f"{name}.pdf").read_bytes())


@cache
def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PDF / f"{name}.expected.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("name", NAMES)
def test_every_printed_figure(name: str) -> None:
    report = parse_report(extracted(name).body_text)
    data = expected(name)
    for field in ("publisher", "publisher_level", "year", "template", "title"):
        assert getattr(report, field) == data[field], field
    assert_report_matches(report, data)


def test_hongze_2023_review_totals_fail_with_printed_numbers_kept() -> None:
    report = parse_report(extracted("002_hongze_qu_2023").body_text)
    assert report.value("review_litigation", "review", "total") == 0
    assert report.value("review_litigation", "review", "upheld") == 10
    failed = {c.subject for c in report.checks if c.check == "review_litigation_total" and not c.ok}
    assert failed == {"表四 row review", "表四 row litigation_after_review"}


@pytest.mark.parametrize("name", NAMES)
def test_table_three_is_stitched_across_the_page_break(name: str) -> None:
    lines = extracted(name).body_text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    end = next(i for i, line in enumerate(lines) if line.startswith("四、结转下年度"))
    assert all("\t" in line for line in lines[start : end + 1])  # no text line between rows
    assert not any(line.strip().startswith("-") for line in lines)  # page numbers gone


@pytest.mark.parametrize("name", NAMES)
def test_page_frames_are_not_tables(name: str) -> None:
    doc = extracted(name)
    assert doc.tables == 3  # 表二, 表三, 表四 — each once, however many pages it spans
    prose = [line for line in doc.body_text.split("\n") if "\t" not in line]
    assert any(line.startswith("一、总体情况") for line in prose)


def test_paragraphs_are_rebuilt_across_lines_and_pages() -> None:
    lines = extracted("002_hongze_qu_2023").body_text.split("\n")
    assert (
        "（二）依申请公开情况。进一步规范依申请公开流程，畅通依申请公开受理渠。2023 年全区受理"
        "政府信息公开申请 21 件，均在法定期限答复。"
    ) in lines
    # 表二 runs from page 2 onto page 3 without a break in its rows.
    at = lines.index("行政处罚\t4119")
    assert lines[at - 1] == "信息内容\t本年处理决定数量"


@pytest.mark.parametrize(
    ("name", "title", "creator"),
    [
        (
            "002_hongze_qu_2023",
            "洪泽区人民政府2023年政府信息公开工作年度报告",
            "WPS 文字(Jisupdf Editor)",
        ),
        ("003_hongze_qu_2024", "政府信息公开工作年度报告", "WPS 文字(Jisupdf Editor)"),
    ],
)
def test_metadata_strings_are_decoded(name: str, title: str, creator: str) -> None:
    metadata = extracted(name).metadata
    assert metadata["Title"] == title
    assert metadata["Creator"] == creator
    assert metadata["Author"] == "王守强"


def test_decode_pdf_string() -> None:
    assert decode_pdf_string("ÿþ‰s‹[:_") == "王守强"
    assert decode_pdf_string(b"\xfe\xff\x6d\x2a") == "洪"
    assert decode_pdf_string("Plain") == "Plain"


# --- unreadable PDFs ---------------------------------------------------------------------------


def test_truncated_pdf() -> None:
    data = (PDF / "002_hongze_qu_2023.pdf").read_bytes()
    with pytest.raises(CorruptDocumentError):
        extract_pdf(data[: len(data) // 3])


def test_not_a_pdf() -> None:
    with pytest.raises(CorruptDocumentError):
        extract_pdf(b"hello, world")
    with pytest.raises(WrongFormatError):
        extract_pdf(b"<!DOCTYPE html><html><body>report</body></html>")
    with pytest.raises(CorruptDocumentError):
        extract_pdf(b"")


def _image_only_pdf() -> bytes:
    """A one-page PDF that draws a rectangle and has no text layer (as a scan has none)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    ]
    stream = b"0.5 g 50 50 495 742 re f"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_without_text_layer() -> None:
    with pytest.raises(ScannedPdfError, match="no text layer"):
        extract_pdf(_image_only_pdf())


def test_extraction_is_quick() -> None:
    start = time.perf_counter()
    extract_pdf((PDF / "003_hongze_qu_2024.pdf").read_bytes())
    assert time.perf_counter() - start < 20  # a guard against hangs, not a benchmark


def test_encrypted_pdf() -> None:
    with pytest.raises(EncryptedPdfError, match="password"):
        extract_pdf((PDF / "encrypted_hongze_2024.pdf").read_bytes())


# Tables printed without ruling lines (the seeds rendered with border:none, see
# tests/tools/make_variants.py): extract_pdf finds no grid, so the rows reach the
# alignment reader as text lines.  Figures read today, and never a different one.
@pytest.mark.parametrize(
    ("stem", "seed", "floor"),
    [
        ("seed000_unruled", "000_9eac42a2908535b6", 21),
        ("seed001_unruled", "001_7b3c60a2029ed6a7", 69),
        ("seed002_unruled", "002_1802fb2dfce92170", 200),
    ],
)
def test_tables_without_ruling_lines(stem: str, seed: str, floor: int) -> None:
    data = (FIXTURES / "variants" / "rendered" / f"{stem}.pdf").read_bytes()
    report = parse_document(data)
    expected = {k: v for k, v in expected_table_cells(golden(seed)).items() if v is not None}
    got = {(v.table, v.row, v.column): v.value for v in report.values if v.source == "table"}
    assert {k: v for k, v in got.items() if expected.get(k) != v} == {}
    assert len(got) >= floor


# --- the fast reading (pdfium's text) against the geometry (pdfminer through pdfplumber) ----

SYNTHETIC = FIXTURES.parent.parent / "simulator" / "content" / "synthetic"
FORMS = sorted(SYNTHETIC.glob("minquan_*.pdf"))  # the 2021 form as printed by LibreOffice
EVERY_PDF = (
    sorted(
        p
        for p in [*PDF.glob("*.pdf"), *(FIXTURES / "variants" / "rendered").glob("*.pdf")]
        if not p.name.startswith("encrypted")
    )
    + FORMS
)


def _figures(report: Any) -> Counter[tuple[object, ...]]:
    return Counter((v.table, v.row, v.column, v.source, v.value) for v in report.values)


def _squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("path", EVERY_PDF, ids=lambda p: p.name)
def test_the_fast_reading_keeps_every_figure_of_the_full_one(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = path.read_bytes()
    report = parse_document(data)
    with monkeypatch.context() as m:
        m.setattr(document, "_fast_pdf_report", lambda data, url: None)
        full = parse_document(data)
    assert _figures(report) == _figures(full)
    # The printed label may be shorter: pdfium prints a wrapped cell's first line on the
    # row's line, and a merged parent cell (三、本年度办理结果) on a line of its own; it never
    # names anything the cell does not print.
    labels = {(v.table, v.row, v.column, v.source): v.label for v in full.values}
    for v in report.values:
        assert _squeezed(v.label) in _squeezed(labels[v.table, v.row, v.column, v.source])
    assert (report.year, report.publisher, report.template) == (
        full.year,
        full.publisher,
        full.template,
    )
    assert {c for c in report.checks if not c.ok} == {c for c in full.checks if not c.ok}


def test_the_fast_reading_is_taken_where_it_is_complete() -> None:
    """Not a test that passes by always falling back: the real reports and the synthetic
    forms are read from pdfium's text alone; the seeds rendered from damaged texts (rows
    that cannot be read, with a warning) are read again through the geometry."""
    fast = {p.name for p in EVERY_PDF if document._fast_pdf_report(p.read_bytes(), None)}
    assert {f"{n}.pdf" for n in NAMES} <= fast
    assert {p.name for p in FORMS} <= fast and len(FORMS) == 2
    assert "seed001_unruled.pdf" not in fast  # a row left out, with a warning


@pytest.mark.parametrize(
    "data",
    [
        (PDF / "002_hongze_qu_2023.pdf").read_bytes()[:60000],  # cut: no %%EOF
        (PDF / "encrypted_hongze_2024.pdf").read_bytes(),
        _image_only_pdf(),
        (SYNTHETIC / "hongze_2023_scan.pdf").read_bytes(),
        b"%PDF-1.4\nnot a pdf at all\n%%EOF\n",
        b"",
    ],
    ids=["cut", "encrypted", "no-text-layer", "scan", "garbage", "empty"],
)
def test_what_pdfium_cannot_read_goes_to_the_full_reading(data: bytes) -> None:
    assert extract_pdf_text(data) is None
