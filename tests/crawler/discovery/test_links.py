"""Link vocabulary: report titles, their near misses, columns, navigation and pagination."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsel import Selector

from crawler.discovery.links import (
    is_column_link,
    is_nav_link,
    is_next_page,
    report_year,
)
from parsers.links import ATTACHMENT_RE, is_attachment

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"


def anchors(name: str) -> list[tuple[str, str]]:
    selector = Selector(text=(FIXTURES / name).read_text("utf-8"))
    return [
        ("".join(a.css("::text").getall()).strip(), a.attrib.get("href", ""))
        for a in selector.css("a")
    ]


def test_the_real_pingtan_list_page() -> None:
    # The static block of the real TRS list page lists the reports for 2016-2025 (counted in
    # the page: ten <dl> items); nothing else among its 200-odd links is a report.
    links = anchors("001_pingtan_zfxxgknb_list_trs.html")
    reports = sorted(year for text, _ in links if (year := report_year(text)) is not None)
    assert reports == list(range(2016, 2026))
    columns = {href for text, href in links if is_column_link(text, href)}
    assert "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/nlist.htm" in columns
    assert "https://www.pingtan.gov.cn/zwgk/zfgzbg/" not in columns  # 政府工作报告


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("平潭综合实验区2021年度政府信息公开工作年度报告", 2021),
        ("洪泽区人民政府2023年政府信息公开工作年度报告", 2023),
        ("2021年度广州市番禺区人民政府信息公开工作年度报告", 2021),
        ("沭阳县发展和改革局2023年政府信息公开工作年度报告", 2023),
        ("应急管理部：2024年政府信息公开工作报告", 2024),
        ("开封市祥符区人民政府2016年度政府信息公开工作年度报告", 2016),
        ("人和镇2021年政务公开年报", 2021),
        ("政府信息公开工作年度报告（2021年度）", 2021),
        ("民权县二〇二一年政府信息公开工作年度报告", 2021),
        ("２０２２年度政府信息公开工作年度报告", 2022),
        # Near misses: the report words, but not a report.
        ("《2021年政府信息公开工作年度报告》解读", None),
        ("图解：2021年度政府信息公开工作年度报告", None),
        ("2022年政务公开工作要点", None),
        ("关于报送2021年度政府信息公开工作年度报告的通知", None),
        ("2021年政府信息公开工作年度报告统计表", None),
        ("2021年政府工作报告", None),
        ("政府信息公开年报", None),
        ("2021年政府信息公开指南", None),
    ],
)
def test_report_titles_and_near_misses(title: str, year: int | None) -> None:
    assert report_year(title) == year


@pytest.mark.parametrize(
    ("text", "url", "column"),
    [
        ("政府信息公开年报", "/zwgk/zfxxgk/zfxxgknb/nlist.htm", True),
        ("年度报告", "/xxgk/ndbg/", True),
        ("部门年报", "/zwgk/bmnb/index.html", True),
        ("", "/zwgk/zfxxgknb/", True),
        ("政府工作报告", "/zwgk/zfgzbg/", False),
        ("政务公开工作要点", "/zwgk/gzyd/", False),
        ("2021年政府信息公开工作年度报告", "/zwgk/zfxxgknb/202202/t1.htm", False),
    ],
)
def test_column_links(text: str, url: str, column: bool) -> None:
    assert is_column_link(text, url) is column


@pytest.mark.parametrize(
    ("text", "url", "nav"),
    [
        ("政府信息公开", "/zwgk/zfxxgk/", True),
        ("政务公开", "/zwgk/", True),
        ("", "/gkmlpt/index", True),
        ("首页", "/index.html", False),
        ("关于进一步加强政务公开工作的实施意见全文", "/art/2021/1/1/art_1.html", False),
    ],
)
def test_navigation_links(text: str, url: str, nav: bool) -> None:
    assert is_nav_link(text, url) is nav


def test_pagination_and_attachments() -> None:
    assert is_next_page("下一页", "javascript:;")
    assert is_next_page("", "/zwgk/ndbg/index_2.html")
    assert not is_next_page("上一页", "/zwgk/ndbg/index.html")
    assert ATTACHMENT_RE.search("/uploadfiles/202402/629798.pdf")
    assert ATTACHMENT_RE.search("/download?file=report.DOCX&id=3")
    assert not ATTACHMENT_RE.search("/zwgk/ndbg/202402/629798.html")


@pytest.mark.parametrize(
    ("url", "text", "attachment"),
    [
        ("/uploadfiles/202402/629798.pdf", "", True),
        (
            "/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid=2",
            "洪泽区人民政府2023年政府信息公开工作年度报告.pdf",
            True,
        ),
        ("/attach/download?id=77", "年度报告.docx", True),
        ("/system/_content/download.jsp?wbfileid=2", "点击下载", False),  # no file named
        ("/info/1009/675235.htm", "2023年政府信息公开工作年度报告.pdf", False),  # an article
    ],
)
def test_attachments(url: str, text: str, attachment: bool) -> None:
    assert is_attachment(url, text) is attachment
