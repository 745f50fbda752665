"""The one link extractor and attachment rule (the HTML extractor and the spider share them)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from parsers.html import extract_html
from parsers.links import is_attachment, link_label, page_links

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        ("http://a.gov.cn/u/629798.pdf", "", True),
        ("http://a.gov.cn/u/report.DOCX?id=3", "", True),
        ("http://a.gov.cn/u/report.wps", "", True),
        ("http://a.gov.cn/u/report.ofd", "", True),
        ("http://a.gov.cn/u/reports.zip", "", True),  # stored with its reason, not skipped
        ("http://a.gov.cn/u/reports.rar", "", True),
        ("http://a.gov.cn/download.jsp?id=3", "洪泽区2023年政府信息公开工作年度报告.pdf", True),
        ("http://a.gov.cn/download.jsp?id=3", "洪泽区2023年政府信息公开工作年度报告", False),
        ("http://a.gov.cn/zwgk/ndbg/629798.html", "年度报告.pdf", False),
        ("http://a.gov.cn/pdfviewer/index.html", "", False),
    ],
)
def test_attachment_rule(url: str, text: str, expected: bool) -> None:
    assert is_attachment(url, text) is expected


@pytest.mark.parametrize(
    ("text", "title", "label"),
    [
        (
            "洪泽区2023年政府信息公开…",
            "洪泽区2023年政府信息公开工作年度报告",
            "洪泽区2023年政府信息公开工作年度报告",
        ),
        (
            "洪泽区2023年政府信息公开...",
            "洪泽区2023年政府信息公开工作年度报告",
            "洪泽区2023年政府信息公开工作年度报告",
        ),
        (
            "洪泽区2023年政府",
            "洪泽区2023年政府信息公开工作年度报告",
            "洪泽区2023年政府信息公开工作年度报告",
        ),
        ("", "2023年度报告", "2023年度报告"),
        ("2023年年度报告", "点击查看", "2023年年度报告"),
        ("2023年年度报告", "", "2023年年度报告"),
        ("  2023年\n 年度报告 ", "", "2023年 年度报告"),
    ],
)
def test_link_label(text: str, title: str, label: str) -> None:
    assert link_label(text, title) == label


def test_page_links_on_a_real_list_page() -> None:
    page = (FIXTURES / "001_pingtan_zfxxgknb_list_trs.html").read_bytes()
    root = lxml.html.fromstring(page)
    links = page_links(root, "http://www.pingtan.gov.cn/zfxxgknb/")
    assert links and all(link.url.startswith("http") for link in links)
    assert not any(link.url.startswith("javascript:") for link in links)
    # The extractor's list links are the same reading of the same anchors.
    extracted = extract_html(page, url="http://www.pingtan.gov.cn/zfxxgknb/")
    assert set(extracted.links) <= set(links)
