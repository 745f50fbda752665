"""``python -m parsers FILE``: the JSON contract of DESIGN.md, and its errors (exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_DIR, seed_text

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
    status, out = run_cli(
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
    _, from_gbk = run_cli(str(gbk))
    _, from_utf8 = run_cli(str(SEED_DIR / "001_7b3c60a2029ed6a7.txt"))
    assert from_gbk == from_utf8


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"", "empty_document"),
        (b"  \n\t\n", "empty_document"),
        (bytes(range(256)) * 20, "unreadable_document"),
        ("今天天气很好，我们去公园散步。\n".encode(), "not_a_report"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "unsupported_format"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "unsupported_format"),
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
