"""Fuzzing the parsers' entry points: only documented errors, within time and memory.

Not part of the default test run (the file name does not match ``test_*.py``)::

    HYPOTHESIS_PROFILE=fuzz python3 -m pytest -s tests/fuzz/fuzz_parsers.py  # 10 000 each
    python3 -m pytest -s tests/fuzz/fuzz_parsers.py  # 80 each: a smoke run

Each entry point gets real documents damaged at random (bytes flipped, cut, inserted; zip
members rewritten; markup and charsets made hostile) and plain random input. An input may
fail only with a ``ParseError`` (its documented kind); each must finish within 5 s (the
Hypothesis deadline), and the process runs under a 1.5 GB address-space limit, so a
blow-up fails as ``MemoryError``. Inputs that broke these rules are kept as regression
fixtures in ``tests/fixtures/fuzz/`` and replayed by ``tests/parsers/test_fuzz_regressions.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import ParseError, parse_document, parse_report
from parsers.docx import extract_docx
from parsers.families import FAMILIES, LIST_PARSERS
from parsers.html import extract_html
from parsers.pdf import extract_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CONTENT = Path(__file__).resolve().parents[2] / "simulator" / "content"
PAGES = [p.read_bytes() for p in sorted((FIXTURES / "html").glob("*.html"))]
PDFS = [p.read_bytes() for p in sorted(CONTENT.glob("*.pdf"))]
DOCX = (CONTENT / "synthetic" / "minquan_2021_form.docx").read_bytes()
TEXTS = [p.read_text("utf-8") for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
MEMORY_LIMIT = 1536 * 1024 * 1024

CASES = 10_000 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 80
FUZZ = settings(
    max_examples=CASES,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True, scope="module")
def memory_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\nfuzz: {CASES} cases per entry point; peak resident memory {peak} MB")


@st.composite
def damaged(draw: st.DrawFn, originals: list[bytes]) -> bytes:
    """A real document with a few random edits: flips, cuts, inserts, repeats."""
    data = bytearray(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        if edit == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif edit == "cut":
            del data[at : at + draw(st.integers(1, 4096))]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif edit == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 256))] * draw(st.integers(2, 50))
        else:
            del data[at:]
    return bytes(data)


HOSTILE_HTML = st.sampled_from(
    [
        b'<meta charset="rot-13">',
        b'<meta http-equiv="Content-Type" content="text/html; charset=base64">',
        b'<a href="http://[::1">x</a>',
        b'<a href="http://[zz]/a.pdf">a.pdf</a>',
        b"<table>" + b'<tr><td rowspan="1000" colspan="1000">1</td></tr>' * 20 + b"</table>",
        b"<div>" * 5000,
        b"\x00\x01\x02\x1b\x7f",
        b"<base href='javascript:alert(1)'>",
        "<p>2023年政府信息公开工作年度报告 99999999999999999999999件</p>".encode(),
        b"&#0; &#xD800; &#99999999999;",
    ]
)


@st.composite
def hostile_pages(draw: st.DrawFn) -> bytes:
    page = draw(damaged(PAGES))
    at = draw(st.integers(0, len(page)))
    return page[:at] + draw(HOSTILE_HTML) + page[at:]


@st.composite
def damaged_docx(draw: st.DrawFn) -> bytes:
    """The real form with one zip member damaged (XML cut, bytes flipped, a member lost)."""
    source = zipfile.ZipFile(io.BytesIO(DOCX))
    names = source.namelist()
    victim = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            data = source.read(name)
            if name == victim:
                action = draw(st.sampled_from(["cut", "garble", "drop", "nest"]))
                if action == "drop":
                    continue
                if action == "cut":
                    data = data[: draw(st.integers(0, len(data)))]
                elif action == "garble":
                    data = draw(damaged([data]))
                else:  # deeply nested or vMerge-chained tables
                    data = data.replace(b"<w:tc>", b"<w:tc><w:tcPr><w:vMerge/></w:tcPr>", 200)
            target.writestr(name, data)
    return out.getvalue()


def _documented(call, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(ParseError):  # the documented errors; anything else fails
        call(*args, **kwargs)


@FUZZ
@given(st.one_of(hostile_pages(), damaged(PAGES), st.binary(max_size=4096)))
def test_extract_html(data: bytes) -> None:
    _documented(extract_html, data, url="http://www.example.gov.cn/a/b.html")
    _documented(parse_document, data, url="http://www.example.gov.cn/a/b.html")


@FUZZ
@given(st.one_of(damaged(PDFS), st.binary(max_size=4096)))
def test_extract_pdf(data: bytes) -> None:
    _documented(extract_pdf, data)


@FUZZ
@given(st.one_of(damaged_docx(), damaged([DOCX]), st.binary(max_size=4096)))
def test_extract_docx(data: bytes) -> None:
    _documented(extract_docx, data)
    _documented(parse_document, data)


@FUZZ
@given(
    st.one_of(
        st.builds(
            lambda text, cut, insert: text[:cut] + insert + text[cut:],
            st.sampled_from(TEXTS),
            st.integers(0, 20_000),
            st.text(max_size=200),
        ),
        st.text(max_size=2000),
    )
)
def test_parse_report(text: str) -> None:
    _documented(parse_report, text)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "page",
                    "page_size",
                    "total",
                    "articles",
                    "data",
                    "url",
                    "title",
                    "chnldocurl",
                    "doctitle",
                    "id",
                    "name",
                    "children",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@FUZZ
@given(
    st.one_of(
        st.text(max_size=2000),
        JSONISH.map(json.dumps),
        st.sampled_from(PAGES).map(lambda b: b.decode("utf-8", "replace")),
        st.integers(0, 10**12).map(
            lambda n: f"<script>createPageHTML({n}, 0, 'index', 'html');</script>"
        ),
        st.integers(0, 10**12).map(lambda n: json.dumps({"page": 1, "page_size": 1, "total": n})),
    ),
    st.sampled_from(["https://www.a.gov.cn/gkmlpt/index", "https://www.a.gov.cn/x/?sid=7"]),
)
def test_list_helpers(text: str, url: str) -> None:
    for family in FAMILIES:
        if family.page is not None:
            found = family.page(url, text)
            assert found is None or len(found.lists) <= 10_000
    for reader in LIST_PARSERS.values():
        try:
            found = reader(url, text)
        except ValueError:  # not JSON / not the API's answer: documented as ValueError
            continue
        assert len(found.lists) <= 10_000
