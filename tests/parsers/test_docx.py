"""parsers/docx.py on the official blank 2021 form (a real .docx)."""

from __future__ import annotations

import pytest

from parsers.docx import extract_docx
from parsers.errors import CorruptDocumentError, UnsupportedFormatError
from parsers.template import APPLICATION_ROWS, RESULT_ROWS, label_key, match_label
from tests.conftest import FIXTURES

FORM = FIXTURES / "template" / "template_2021_blank.docx"


def test_blank_form_yields_every_row_label_in_order() -> None:
    lines = extract_docx(FORM.read_bytes()).body_text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    last = next(i for i, line in enumerate(lines) if line.startswith("四、结转下年度"))
    keys = []
    for line in lines[first : last + 1]:
        cells = line.split("\t")
        if len(cells) < 2 or any(h in line for h in ("申请人情况", "自然人", "勾稽关系")):
            continue  # header rows
        label = [c for c in dict.fromkeys(cells) if c][-1]
        key = match_label(label, APPLICATION_ROWS) or (
            "other" if label_key(label) == "其他" else None
        )
        if key:
            keys.append(key)
    assert keys == [
        "new_received",
        "carried_over",
        *RESULT_ROWS,
        "total_handled",
        "carried_forward",
    ]


def test_blank_form_paragraphs_and_tables_in_order() -> None:
    doc = extract_docx(FORM.read_bytes())
    lines = doc.body_text.split("\n")
    assert doc.tables == 3
    assert lines[0] == "政府信息公开工作年度报告格式模板"
    order = [
        lines.index(h)
        for h in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况")
    ]
    assert order == sorted(order)
    assert "信息内容\t本年制发件数\t本年废止件数\t现行有效件数" in lines


def test_legacy_word_is_refused_by_name() -> None:
    with pytest.raises(UnsupportedFormatError, match="OLE2"):
        extract_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)


def test_damaged_docx() -> None:
    data = FORM.read_bytes()
    with pytest.raises(CorruptDocumentError):
        extract_docx(data[: len(data) // 2])
    with pytest.raises(CorruptDocumentError):
        extract_docx(b"plain text")
