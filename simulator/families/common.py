"""What families share: report specs, page chrome, list items and encodings."""

from __future__ import annotations

import html
import zlib
from dataclasses import dataclass, field

from ..model import ManifestEntry, Resource, Site
from ..render import body_html

__all__ = ["Attachment", "ListItem", "ReportSpec", "encode_page", "page", "stable_id"]


@dataclass(frozen=True)
class Attachment:
    """A document linked from a report page (served as its own URL)."""

    data: bytes
    suffix: str  # "pdf", "docx"
    content_type: str
    synthetic: bool = False
    readable: bool = True


@dataclass(frozen=True)
class ReportSpec:
    """One report a portal publishes, and how."""

    publisher: str
    year: int
    title: str
    date: str  # publication date, YYYY-MM-DD
    text: str | None = None  # body text rendered into the page (None: attachment only)
    attachment: Attachment | None = None
    column: str = "main"  # "main", or the department / township column name
    raw_page: bytes | None = None  # a real page served as it is
    raw_url: str | None = None
    duplicate: bool = False  # the attachment repeats the page's report (same publisher × year)
    synthetic: bool = False  # derived from a real report (publisher or figures changed)


@dataclass(frozen=True)
class ListItem:
    title: str
    href: str
    date: str


@dataclass
class Chrome:
    """The site furniture every page of a portal repeats."""

    site_name: str
    nav: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""


def stable_id(*parts: object) -> int:
    """A deterministic 5–6 digit id (the same site always gets the same URLs)."""
    return 10000 + zlib.crc32("|".join(map(str, parts)).encode()) % 900000


def page(chrome: Chrome, title: str, main: str, *, charset: str = "utf-8") -> str:
    """A whole page: head, top bar, nav, breadcrumb, main block, sidebar, footer."""
    nav = "".join(f'<li><a href="{href}">{html.escape(text)}</a></li>' for text, href in chrome.nav)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title)}_{html.escape(chrome.site_name)}</title>
<link rel="stylesheet" href="/css/style.css">
<script src="/js/jquery.min.js"></script>
</head>
<body>
<div class="top-bar"><span class="date"></span><a href="javascript:;">繁體版</a> | <a href="javascript:;">无障碍</a> | <a href="javascript:;">长者版</a></div>
<div class="header"><h2 class="site-name">{html.escape(chrome.site_name)}</h2>
<form class="search" action="/search" method="get"><input name="q" type="text"><button type="submit">搜索</button></form></div>
<div class="nav"><ul>{nav}</ul></div>
{main}
<div class="footer">{chrome.footer}</div>
<script>var _hmt = _hmt || [];</script>
</body>
</html>"""


def encode_page(text: str, charset: str) -> bytes:
    codec = "gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset
    return text.encode(codec, errors="xmlcharrefreplace")


def article_html(spec: ReportSpec, body_class: str, attachment_href: str | None) -> str:
    body = body_html(spec.text) if spec.text else ""
    files = ""
    if attachment_href and spec.attachment:
        name = html.escape(f"{spec.title}.{spec.attachment.suffix}")
        files = f'<div class="fujian">附件：<a href="{attachment_href}">{name}</a></div>'
    return f"""<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="../">政务公开</a> &gt; 政府信息公开年报</div>
<div class="article">
<h1>{html.escape(spec.title)}</h1>
<div class="info">发布时间：{spec.date} 来源：{html.escape(spec.publisher)} 浏览次数：<span id="views">0</span> 【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</div>
<div class="{body_class}">
{body}
</div>
{files}
<div class="print-close">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>
</div>
<div class="sidebar"><h3>热点排行</h3><ul><li><a href="/xwzx/">新闻中心</a></li></ul></div>"""


def add_report(
    site: Site,
    spec: ReportSpec,
    page_url: str,
    page_bytes: bytes,
    content_type: str,
    attachment_url: str | None,
) -> None:
    """Serve a report page (and its attachment) and record the ground truth."""
    site.add(page_url, Resource(page_bytes, content_type))
    page_is_report = spec.text is not None or spec.raw_page is not None
    if page_is_report:
        site.manifest.append(
            ManifestEntry(
                site.site_id,
                page_url,
                spec.publisher,
                spec.year,
                "report_page",
                synthetic=spec.synthetic,
            )
        )
    if spec.attachment and attachment_url:
        site.add(attachment_url, Resource(spec.attachment.data, spec.attachment.content_type))
        site.manifest.append(
            ManifestEntry(
                site.site_id,
                attachment_url,
                spec.publisher,
                spec.year,
                "attachment",
                duplicate_of=page_url if page_is_report else None,
                synthetic=spec.attachment.synthetic,
                readable=spec.attachment.readable,
            )
        )
