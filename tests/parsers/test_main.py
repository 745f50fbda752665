"""``python -m parsers FILE``: the JSON contract of DESIGN.md, and its errors (exit 2)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import site
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from parsers.__main__ import main
from tests.conftest import FIXTURES, SEED_DIR, seed_text

CONTRACT_KEYS = {
    "parser_version",
    "publisher",
    "year",
    "template",
    "title",
    "publish_date",
    "sections",
    "values",
    "checks",
    "warnings",
}


def run_cli(*args: str) -> tuple[int, dict[str, Any]]:
    """``python -m parsers ARGS`` in this process (its ``main``): status and JSON."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    assert err.getvalue() == ""
    return status, json.loads(out.getvalue())


def run_command(*args: str) -> tuple[int, dict[str, Any]]:
    """The real command line, in a process of its own."""
    proc = subprocess.run(
        [sys.executable, "-m", "parsers", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.stderr == ""
    return proc.returncode, json.loads(proc.stdout)


def test_seed_to_json() -> None:
    status, out = run_command(
        str(SEED_DIR / "002_1802fb2dfce92170.txt"), "--url", "http://example.gov.cn/a"
    )
    assert status == 0
    assert out.keys() >= CONTRACT_KEYS
    assert (out["publisher"], out["year"], out["template"]) == ("民权县人民政府", 2021, "2021")
    assert out["url"] == "http://example.gov.cn/a"
    new_received = next(
        v
        for v in out["values"]
        if (v["table"], v["row"], v["column"], v["source"])
        == ("applications", "new_received", "total", "table")
    )
    assert new_received == {
        "table": "applications",
        "row": "new_received",
        "column": "total",
        "value": 6,
        "source": "table",
        "label": "一、本年新收政府信息公开申请数量",
    }
    assert all(set(c) == {"check", "ok", "subject", "detail"} for c in out["checks"])
    assert all(set(s) == {"number", "heading", "text"} for s in out["sections"])


def test_gbk_file_reads_like_utf8(tmp_path: Path) -> None:
    gbk = tmp_path / "report.txt"
    gbk.write_bytes(seed_text("001_7b3c60a2029ed6a7").encode("gb18030"))
    _, from_gbk = run_cli(str(gbk), "--url", "http://x.gov.cn/r")
    _, from_utf8 = run_cli(str(SEED_DIR / "001_7b3c60a2029ed6a7.txt"), "--url", "http://x.gov.cn/r")
    assert from_gbk == from_utf8


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"", "empty_document"),
        (b"  \n\t\n", "empty_document"),
        (bytes(range(256)) * 20, "unreadable_document"),
        ("今天天气很好，我们去公园散步。\n".encode(), "not_a_report"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "corrupt_document"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "not_a_report"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unsupported_format"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unsupported_format"),
    ],
)
def test_bad_input_gives_error_object(tmp_path: Path, content: bytes, kind: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    status, out = run_cli(str(path))
    assert status == 2
    assert out["error"] == kind
    assert out["detail"]


def test_missing_file(tmp_path: Path) -> None:
    status, out = run_cli(str(tmp_path / "nope.txt"))
    assert (status, out["error"]) == (2, "file_not_found")


def test_format_comes_from_the_bytes_not_the_suffix(tmp_path: Path) -> None:
    pdf = FIXTURES / "pdf" / "003_hongze_qu_2024.pdf"
    disguised = tmp_path / "report.html"
    disguised.write_bytes(pdf.read_bytes())
    status, out = run_cli(str(disguised))
    assert status == 0
    assert (out["publisher"], out["year"]) == ("淮安市洪泽区人民政府", 2024)


@pytest.mark.parametrize(
    ("path", "publisher", "year"),
    [
        ("pdf/001_huaian_shi_2024.pdf", "淮安市人民政府", 2024),
        ("html/002_shuyang_fgj_2023_report_ucap.html", "沭阳县发展和改革局", 2023),
    ],
)
def test_documents_to_json(path: str, publisher: str, year: int) -> None:
    status, out = run_cli(str(FIXTURES / path), "--url", "http://www.example.gov.cn/x")
    assert status == 0
    assert (out["publisher"], out["year"], out["template"]) == (publisher, year, "2021")
    assert out["values"]


def test_list_page_lists_its_links() -> None:
    path = FIXTURES / "html" / "001_pingtan_zfxxgknb_list_trs.html"
    status, out = run_cli(str(path), "--url", "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/")
    assert (status, out["error"]) == (2, "not_a_report")
    assert len(out["links"]) == 10


def test_blank_form_docx_is_a_report_without_figures() -> None:
    status, out = run_cli(str(FIXTURES / "template" / "template_2021_blank.docx"))
    assert status == 0
    assert out["template"] == "2021"
    assert out["values"] == []


@pytest.mark.parametrize(
    ("name", "publisher", "year", "template"),
    [
        # Year-first title whose organ runs into 政府信息公开: the printed place is kept.
        ("shanghai_2022_opening", "上海市", 2022, "2021"),
        # No title at all: year from the statistics period, publisher from the contact.
        ("lishui_2017_opening", "丽水市人民政府", 2017, "pre2019"),
        # Body starting at 一、总体情况: publisher from 由…组织编制, period as 统计时间.
        ("zhongjiang_2022_opening", "中江县人民政府", 2022, "2021"),
    ],
)
def test_real_openings_are_reports(name: str, publisher: str, year: int, template: str) -> None:
    status, out = run_cli(str(FIXTURES / "openings" / f"{name}.txt"))
    assert status == 0, out
    assert (out["publisher"], out["year"], out["template"]) == (publisher, year, template)


@pytest.mark.parametrize(
    "text",
    [
        "图解：《桐柏县人民政府2022年政府信息公开工作年度报告》解读\n发布时间：2023-01-30\n"
        "一图读懂桐柏县2022年政府信息公开工作\n2022年，全县共受理政府信息公开申请42件。\n",
        "桐柏县人民政府办公室关于印发桐柏县2022年政务公开工作要点的通知\n"
        "各乡镇人民政府，县政府各部门：\n根据《中华人民共和国政府信息公开条例》和有关要求，"
        "现将《桐柏县2022年政务公开工作要点》印发给你们，请认真贯彻落实。\n"
        "一、围绕稳住经济大盘加强政策发布解读\n二、围绕保障和改善民生加强信息公开\n",
    ],
    ids=["interpretation", "work_points"],
)
def test_near_misses_are_not_reports(tmp_path: Path, text: str) -> None:
    path = tmp_path / "page.txt"
    path.write_text(text, "utf-8")
    status, out = run_cli(str(path))
    assert (status, out["error"]) == (2, "not_a_report")


def test_a_parser_bug_is_a_json_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import parsers.__main__ as cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(cli, "parse_document", broken)
    path = tmp_path / "a.txt"
    path.write_text(seed_text("002_1802fb2dfce92170"), "utf-8")
    status, out = run_cli(str(path))
    assert status == 2
    assert out == {
        "error": "parser_failure",
        "detail": "RecursionError: maximum recursion depth exceeded",
    }


def test_a_small_text_loads_only_what_it_needs(tmp_path: Path) -> None:
    """The command on a small text, in a bare interpreter (``-S``: no ``.pth`` file of this
    machine preloads anything): neither ``typing`` (see parsers/__init__.py)
    nor the PDF, Word or HTML libraries is imported, and the report is read."""
    text = tmp_path / "small.txt"
    text.write_text("2023年政府信息公开工作年度报告\n一、总体情况\n本年度主动公开政府信息12条。\n")
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['parsers', {str(text)!r}]\n"
        "try:\n"
        "    runpy.run_module('parsers', run_name='__main__')\n"
        "except SystemExit as end:\n"
        "    assert end.code == 0, end.code\n"
        "heavy = ('typing', 'lxml', 'pdfplumber', 'pypdfium2', 'docx', 'opencc')\n"
        "print(','.join(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    path = os.pathsep.join([str(Path(__file__).resolve().parents[2]), *site.getsitepackages()])
    proc = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
        env={"PYTHONPATH": path, "PATH": ""},
    )
    assert json.loads(proc.stdout)["year"] == 2023
    assert proc.stderr.strip() == ""
