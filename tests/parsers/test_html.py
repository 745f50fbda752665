"""parsers/html.py on real portal pages: body as printed, chrome gone, tables on their grid."""

from __future__ import annotations

import json
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from parsers import parse_report
from parsers.chrome import strip_chrome_text
from parsers.errors import EmptyDocumentError, NotAReportError, WrongFormatError
from parsers.html import ExtractedPage, decode_html, extract_html, render_embedded_tables
from tests.conftest import FIXTURES, assert_report_matches, seed_text

HTML = FIXTURES / "html"
REPORT = "002_shuyang_fgj_2023_report_ucap"
REPORT_URL = "http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml"
LIST = "001_pingtan_zfxxgknb_list_trs"
LIST_URL = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"


@cache
def page(name: str, url: str) -> ExtractedPage:
    return extract_html((HTML / f"{name}.html").read_bytes(), url=url)


@cache
def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HTML / f"{name}.expected.json").read_text("utf-8"))
    return data


# --- the report page --------------------------------------------------------------------------


def test_report_page_kind_and_rule() -> None:
    got = page(REPORT, REPORT_URL)
    assert got.kind == "report"
    assert got.content_rule == "ucapcontent"
    assert got.encoding == "utf-8"


@pytest.mark.parametrize("field", ["title", "publish_date"])
def test_report_page_fields(field: str) -> None:
    assert getattr(page(REPORT, REPORT_URL), field) == expected(REPORT)[field]


def test_report_page_metadata_box() -> None:
    metadata = page(REPORT, REPORT_URL).metadata
    for label, value in expected(REPORT)["metadata"].items():
        assert metadata[label] == value


def test_body_starts_and_ends_where_the_report_does() -> None:
    lines = (page(REPORT, REPORT_URL).body_text or "").split("\n")
    data = expected(REPORT)
    for line, start in zip(lines, data["body_starts"], strict=False):
        assert line.startswith(start)
    assert lines[-len(data["body_ends"]) :] == data["body_ends"]


@pytest.mark.parametrize("phrase", expected(REPORT)["chrome"])
def test_chrome_is_absent(phrase: str) -> None:
    assert phrase not in (page(REPORT, REPORT_URL).body_text or "")


@pytest.mark.parametrize(
    "row",
    [
        "规范性文件\t8\t0\t18",
        "行政许可\t0\t\t",
        "0\t0\t0\t1\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
    ],
)
def test_table_rows_arrive_intact(row: str) -> None:
    assert row in (page(REPORT, REPORT_URL).body_text or "").split("\n")


def test_merged_labels_repeat_and_blank_cells_stay_blank() -> None:
    lines = (page(REPORT, REPORT_URL).body_text or "").split("\n")
    row = next(line for line in lines if "1.属于国家秘密" in line)
    assert row.split("\t") == [
        "三、本年度办理结果",
        "（三）不予公开",
        "1.属于国家秘密",
        "0",
        "",
        "",
        "",
        "",
        "",
        "0",
    ]


def test_report_page_figures_through_the_parser() -> None:
    body = page(REPORT, REPORT_URL).body_text
    assert body is not None
    report = parse_report(body, url=REPORT_URL)
    data = expected(REPORT)
    for field in ("publisher", "publisher_level", "year", "template", "title"):
        assert getattr(report, field) == data[field], field
    assert_report_matches(report, data)


# --- the list page ----------------------------------------------------------------------------


def test_list_page_has_no_body_but_its_links() -> None:
    got = page(LIST, LIST_URL)
    assert got.kind == "list"
    assert got.body_text is None
    reports = [link for link in got.links if "年度政府信息公开工作年度报告" in link.text]
    assert len(reports) == 10
    assert (
        reports[0].url
        == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202603/t20260313_105587.htm"
    )
    assert reports[0].text == "平潭综合实验区2025年度政府信息公开工作年度报告"
    assert all(
        link.url.startswith("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/20")
        for link in reports
    )


# --- encodings --------------------------------------------------------------------------------

_GBK_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    "<title>XX县人民政府2020年政府信息公开工作年度报告</title></head><body>"
    '<div id="zoom"><p>XX县人民政府2020年政府信息公开工作年度报告</p>'
    "<p>一、总体情况</p><p>2020年，全县共收到政府信息公开申请12件，已全部办结。镕</p>"
    + "<p>全县政务公开工作坚持以公开为常态、不公开为例外，持续深化重点领域信息公开。</p>"
    * 4
    + "</div>"
    "</body></html>"
)


def test_gb2312_declared_page_is_read_as_gb18030() -> None:
    # 镕 is outside GB2312 but in GBK/GB18030: pages declaring gb2312 use such characters.
    got = extract_html(_GBK_PAGE.encode("gb18030"), url="http://xx.gov.cn/a.html")
    assert got.encoding == "gb18030"
    assert "共收到政府信息公开申请12件" in (got.body_text or "")
    assert "镕" in (got.body_text or "")


def test_http_header_wins_over_meta() -> None:
    body = _GBK_PAGE.replace("gb2312", "utf-8").encode("gb18030")
    text, encoding, _ = decode_html(body, {"Content-Type": "text/html; charset=GBK"})
    assert encoding == "gb18030"
    assert "政府信息公开" in text


def test_wrong_declaration_falls_back_with_a_warning() -> None:
    body = _GBK_PAGE.replace("gb2312", "utf-8").encode("gb18030")
    text, _, warnings = decode_html(body)
    assert "政府信息公开" in text
    assert warnings


def test_bom_wins() -> None:
    body = "<p>年度报告</p>".encode("utf-8-sig")
    text, encoding, _ = decode_html(body, {"content-type": "text/html; charset=gbk"})
    assert (encoding, text) == ("utf-8", "<p>年度报告</p>")


# --- bad input --------------------------------------------------------------------------------


def test_empty_page() -> None:
    with pytest.raises(EmptyDocumentError):
        extract_html(b"  \n", url="http://x.gov.cn/")


def test_pdf_served_as_html() -> None:
    with pytest.raises(WrongFormatError):
        extract_html(b"%PDF-1.7\n1 0 obj\n", url="http://x.gov.cn/a.html")


def test_garbage_bytes_give_a_result_and_the_parser_a_clear_error() -> None:
    got = extract_html(bytes(range(1, 256)) * 100, url="http://x.gov.cn/a.html")
    if got.body_text is not None:
        with pytest.raises(NotAReportError):
            parse_report(got.body_text)


def test_deeply_nested_tables() -> None:
    body = "<table><tr><td>" * 3000 + "年度报告正文" + "</td></tr></table>" * 3000
    start = time.perf_counter()
    got = extract_html(body.encode(), url="http://x.gov.cn/a.html")
    assert time.perf_counter() - start < 10
    assert isinstance(got, ExtractedPage)


def test_twenty_megabyte_page() -> None:
    paragraph = "<p>" + "政府信息公开工作年度报告正文。" * 20 + "</p>\n"
    body = ("<html><body><div id='zoom'>" + paragraph * 35_000 + "</div></body></html>").encode()
    assert len(body) > 20_000_000
    start = time.perf_counter()
    got = extract_html(body, url="http://x.gov.cn/a.html")
    assert time.perf_counter() - start < 10
    assert got.kind == "report"


# --- grids ------------------------------------------------------------------------------------


def test_rowspan_and_colspan_grid() -> None:
    table = (
        "<div id='zoom'><p>" + "正文" * 60 + "</p><table>"
        "<tr><td rowspan='2'>三、本年度办理结果</td>"
        "<td colspan='2'>（一）予以公开</td><td>5</td></tr>"
        "<tr><td>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr>"
        "<tr><td colspan='3'>行政许可</td><td>7</td></tr>"
        "<tr><td>规章</td><td colspan='3'>12</td></tr>"
        "</table></div>"
    )
    lines = (extract_html(table.encode(), url="http://x.gov.cn/").body_text or "").split("\n")
    assert "三、本年度办理结果\t（一）予以公开\t（一）予以公开\t5" in lines
    assert "三、本年度办理结果\t（三）不予公开\t1.属于国家秘密\t0" in lines
    assert "行政许可\t行政许可\t行政许可\t7" in lines
    assert "规章\t12\t\t" in lines  # a merged figure stands once


def test_attachments_are_absolute_and_listed() -> None:
    body = (
        "<div id='zoom'><p>" + "正文" * 60 + "</p>"
        "<a href='./P020220125.pdf'>XX县2021年年度报告.pdf</a>"
        "<a href='/u/cms/www/2022/01/a.docx'>附件2</a><a href='javascript:void(0)'>打印</a></div>"
    )
    got = extract_html(body.encode(), url="http://www.xx.gov.cn/zwgk/gknb/202201/t2022_1.html")
    assert [(a.url, a.text) for a in got.attachments] == [
        ("http://www.xx.gov.cn/zwgk/gknb/202201/P020220125.pdf", "XX县2021年年度报告.pdf"),
        ("http://www.xx.gov.cn/u/cms/www/2022/01/a.docx", "附件2"),
    ]


# --- chrome as text (seed 004 is a whole page's text) -------------------------------------------


def test_strip_chrome_text_on_a_whole_page() -> None:
    text = strip_chrome_text(seed_text("004_921786cd5a80cdaf"))
    assert "开封市祥符区人民政府2016年度政府信息公开工作年度报告" in text
    assert "2016年我区依申请公开4项。" in text
    for chrome in ("RSS订阅", "当前位置", "次浏览", "分享到", "热点排行", "图片新闻", "最新新闻"):
        assert chrome not in text


def test_fixture_files_are_the_shared_bytes() -> None:
    for name in (REPORT, LIST):
        sidecar = json.loads((HTML / f"{name}.json").read_text("utf-8"))
        import hashlib

        assert hashlib.sha256((HTML / f"{name}.html").read_bytes()).hexdigest() == sidecar["sha256"]
        assert Path(HTML / f"{name}.html").stat().st_size == sidecar["bytes"]


# A page laid out like TRS WCM article pages (body in .TRS_Editor), with the chrome the
# issue lists around the body and, as on many portals, some of it inside the content block.
_TRS_PAGE = """<html><head><meta charset="utf-8">
<title>XX县人民政府2022年政府信息公开工作年度报告_XX县人民政府</title>
<script>var a = 1;</script><style>.x{}</style></head><body>
<div class="top-bar"><a href="#">繁體版</a> <a href="#">无障碍</a> <a href="#">长者版</a></div>
<form class="search"><input name="q"><button>搜索</button></form>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt;
<a href="/zwgk/">政务公开</a> &gt; 年度报告</div>
<div class="article">
  <h1>XX县人民政府2022年政府信息公开工作年度报告</h1>
  <div class="info">发布时间：2023-01-18 来源：县政府办 浏览次数：1024 【字体：大 中 小】</div>
  <div class="TRS_Editor">
    <p>XX县人民政府2022年政府信息公开工作年度报告</p>
    <p>一、总体情况</p>
    <p>2022年，全县共收到政府信息公开申请12件，已全部依法办结。全县政务公开工作坚持以公开为常态、不公开为例外。</p>
    <p>二、主动公开政府信息情况</p>
    <table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
    <tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr></table>
    <p>六、其他需要报告的事项</p><p>无。</p>
    <p>分享到：微信 微博</p>
  </div>
  <div class="print-close">【打印本页】【关闭窗口】</div>
</div>
<div class="sidebar"><h3>热点排行</h3><ul><li><a href="/a">某新闻</a></li></ul>
<h3>图片新闻</h3></div>
<div class="footer">主办单位：XX县人民政府办公室 网站标识码：3500000000 闽ICP备12345678号</div>
</body></html>"""


@pytest.mark.parametrize(
    "chrome",
    [
        "繁體版",
        "无障碍",
        "长者版",
        "搜索",
        "当前位置",
        "浏览次数",
        "字体",
        "分享到",
        "打印本页",
        "关闭窗口",
        "热点排行",
        "图片新闻",
        "网站标识码",
        "ICP备",
        "主办单位",
        "var a",
    ],
)
def test_listed_chrome_is_stripped(chrome: str) -> None:
    got = extract_html(_TRS_PAGE.encode(), url="http://www.xx.gov.cn/zwgk/gknb/t1.html")
    assert got.body_text is not None
    assert "2022年，全县共收到政府信息公开申请12件" in got.body_text  # wanted present …
    assert "规章\t0\t0\t0" in got.body_text
    assert chrome not in got.body_text  # … chrome absent


def test_trs_page_rule_title_and_date() -> None:
    got = extract_html(_TRS_PAGE.encode(), url="http://www.xx.gov.cn/zwgk/gknb/t1.html")
    assert got.content_rule == "trs_editor"
    assert got.title == "XX县人民政府2022年政府信息公开工作年度报告"
    assert got.publish_date == "2023-01-18"


def _paragraphs(text: str) -> str:
    import html as _html

    return "".join(f"<p>{_html.escape(line)}</p>" for line in text.splitlines() if line.strip())


def test_vsb_article_inside_its_form() -> None:
    # 博达 VSB article markup as real VSB sites serve it: the whole article inside
    # <form name="_newscontent_fromname">, the body in #vsb_content .v_news_content.
    body = (
        Path(__file__).parents[1] / "fixtures" / "seeds" / "000_9eac42a2908535b6.txt"
    ).read_text("utf-8")
    markup = (
        '<html><head><link rel="stylesheet" type="text/css" href="neirongye.vsb.css" />'
        '<script type="text/javascript" src="/system/resource/js/counter.js"></script></head>'
        '<body><div class="nav">首页 政务公开</div><form name="_newscontent_fromname">'
        '<div class="nav01"><h3>标题</h3><h6><span>发布时间：2022-01-20</span></h6></div>'
        f'<div id="vsb_content"><div class="v_news_content">{_paragraphs(body)}</div></div>'
        '<div id="div_vote_id"></div></form><div class="footer">版权所有</div></body></html>'
    )
    page = extract_html(markup.encode("utf-8"), url="http://www.example.gov.cn/info/1.htm")
    first = next(line for line in body.splitlines() if line.strip())
    assert page.kind == "report" and page.content_rule == "v_news_content"
    assert page.body_text is not None and first.strip() in page.body_text
    assert "版权所有" not in page.body_text


def test_a_whole_page_form_is_not_dropped() -> None:
    # ASP.NET WebForms pages wrap everything in <form id="form1">.
    body = "XX县2021年政府信息公开工作年度报告\n" + "本年度共收到政府信息公开申请6件。\n" * 5
    markup = (
        '<html><body><form id="form1" method="post" action="./show.aspx">'
        '<input type="hidden" name="__VIEWSTATE" value="abc" />'
        f'<div id="zoom">{_paragraphs(body)}</div></form></body></html>'
    )
    page = extract_html(markup.encode("utf-8"), url="http://www.example.gov.cn/info/1.htm")
    assert page.body_text is not None and "本年度共收到政府信息公开申请6件。" in page.body_text
    assert "__VIEWSTATE" not in page.body_text and "abc" not in page.body_text


def test_raw_html_tables_in_body_text_are_laid_out_on_their_grid() -> None:
    text = (
        "三、收到和处理政府信息公开申请情况\n"
        '<table><tr><td colspan="3">一、本年新收政府信息公开申请数量</td>'
        "<td>26</td><td></td><td>26</td></tr></table>\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    got = render_embedded_tables(text).split("\n")
    row = "一、本年新收政府信息公开申请数量\t" * 3 + "26\t\t26"
    assert row in got
    assert "<table" not in "\n".join(got)


@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
@pytest.mark.parametrize("declared", ["iso-8859-1", "latin-1", "windows-1252", "ascii"])
def test_a_latin_charset_declared_over_chinese_bytes_is_not_believed(
    codec: str, declared: str
) -> None:
    body = "<html><body><p>洪泽区人民政府2023年政府信息公开工作年度报告</p></body></html>"
    text, used, warnings = decode_html(
        body.encode(codec), {"Content-Type": f"text/html; charset={declared}"}
    )
    assert "洪泽区人民政府" in text and used == codec
    assert any("contradicts the bytes" in w for w in warnings)


def test_a_latin_page_stays_latin() -> None:
    text, used, _ = decode_html(
        "<p>café</p>".encode("latin-1"), {"Content-Type": "text/html; charset=iso-8859-1"}
    )
    assert (text, used) == ("<p>café</p>", "iso8859-1")


@pytest.mark.parametrize("name", ["rot-13", "base64", "zlib", "hex", "no-such-charset"])
def test_a_codec_that_is_no_charset_is_unknown(name: str) -> None:
    """Was: LookupError "'rot-13' is not a text encoding" out of extract_html."""
    body = f'<html><head><meta charset="{name}"></head><body><p>政府信息公开</p></body></html>'
    text, used, warnings = decode_html(
        body.encode(), {"Content-Type": f"text/html; charset={name}"}
    )
    assert used == "utf-8" and "政府信息公开" in text
    assert any("unknown charset" in w for w in warnings)


def test_the_markup_check_never_rules_out_a_challenge_page() -> None:
    """``may_be_challenge_page`` (markup only) is False only where ``is_challenge_page`` is:
    on real portal pages (fixtures) and on gateway challenges of every kind we know."""
    import lxml.html

    from parsers.html import is_challenge_page, may_be_challenge_page
    from simulator.faults import challenge_page

    pages = [p.read_bytes().decode("utf-8", "replace") for p in sorted(FIXTURES.rglob("*.htm*"))]
    challenges = [
        challenge_page().decode("utf-8"),
        "<html><body><p>安全验证</p><script>location.reload()</script></body></html>",
        "<html><head><title>Just a moment...</title></head><body></body></html>",
        "<html><body><p>请开启JavaScript后访问</p></body></html>",
    ]
    assert len(pages) > 5
    for text in pages + challenges:
        root = lxml.html.document_fromstring(text.encode())
        visible = " ".join(root.xpath("//body//text()[not(ancestor::script)]"))
        if is_challenge_page(text, visible):
            assert may_be_challenge_page(text), text[:200]
    assert all(may_be_challenge_page(c) for c in challenges)
    # and it spares the spider the visible text of most real pages
    assert sum(not may_be_challenge_page(p) for p in pages) > len(pages) // 2


@pytest.mark.parametrize(
    "marker",
    [
        "__jsl_clearance",
        "YUNSUO_SESSION_VERIFY",
        "Security_Verify_Data",
        "$_ts=window",
        "$_TS  =\n window",
        "cf-browser-verification",
        "Challenge-Platform",
        "cf_chl_opt",
        "SafeDog-Flow",
    ],
)
def test_gateway_markers_are_found_in_any_case_within_the_first_200_000_characters(
    marker: str,
) -> None:
    from parsers.html import may_be_challenge_page

    filler = "<p>政府信息公开工作年度报告</p>" * 6_500  # 123 500 characters
    assert may_be_challenge_page(f"<html><script>{marker}</script>{filler}</html>")
    assert may_be_challenge_page(f"<html>{filler}<script>{marker}</script></html>")
    assert not may_be_challenge_page(f"<html>{filler * 2}<script>{marker}</script></html>")
    assert not may_be_challenge_page(f"<html>{filler}<p>$_ts is not set</p></html>")
