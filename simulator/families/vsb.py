"""博达 VSB (Visual SiteBuilder) portals: column ``xxgk/zfxxgknb.htm``, later pages
``xxgk/zfxxgknb/N.htm`` numbered downwards (the last page is ``1.htm``) behind 下页/尾页
links, articles at ``/info/<column>/<id>.htm`` with the body in ``#vsb_content
.v_news_content`` inside the ``_newscontent_fromname`` form; ``*.vsb.css`` and
``/system/resource/js/counter.js`` in every head, as on real VSB sites."""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..model import Resource, Site
from ..render import body_html
from .common import Chrome, ListItem, ReportSpec, add_report, page, stable_id

__all__ = ["build_vsb"]

COLUMN = "/xxgk/zfxxgknb"
PAGE_SIZE = 8
_HEAD = (
    '<link rel="stylesheet" type="text/css" href="/xxgk.vsb.css" />'
    '<script type="text/javascript" src="/system/resource/js/counter.js"></script>'
)


def _vsb_page(chrome: Chrome, title: str, main: str, counter: str) -> bytes:
    text = page(chrome, title, main).replace("</head>", f"{_HEAD}\n</head>", 1)
    script = f"<script type=\"text/javascript\">_jsq_(1001,'{counter}',-1,1265902890)</script>"
    return text.replace("</body>", f"{script}\n</body>", 1).encode("utf-8")


def _list_pages(site: Site, chrome: Chrome, items: Sequence[ListItem], page_size: int) -> None:
    base = site.base_url.rstrip("/")
    pages = [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]
    total = len(pages)

    def href(number: int, here: int) -> str:  # page 1 is the column file; page k is N-k+1.htm
        target = f"zfxxgknb/{total - number + 1}.htm" if number > 1 else "zfxxgknb.htm"
        return target if here == 1 else "../" + target

    for number, chunk in enumerate(pages, start=1):
        lis = "".join(
            f'<li><a href="{item.href if number == 1 else "../" + item.href}" target="_blank" '
            f'title="{html.escape(item.title)}">{html.escape(item.title)}</a>'
            f"<span>{item.date}</span></li>"
            for item in chunk
        )
        pager = [f"共{len(items)}条&nbsp;&nbsp;{number}/{total}&nbsp;"]
        if number > 1:
            pager.append(f'<span class="p_first p_fun"><a href="{href(1, number)}">首页</a></span>')
            pager.append(
                f'<span class="p_prev p_fun"><a href="{href(number - 1, number)}">上页</a></span>'
            )
        if number < total:
            pager.append(
                f'<span class="p_next p_fun"><a href="{href(number + 1, number)}">下页</a></span>'
            )
            pager.append(
                f'<span class="p_last p_fun"><a href="{href(total, number)}">尾页</a></span>'
            )
        main = (
            f'<div class="list"><ul>{lis}</ul></div>'
            f'<table class="winstyle1001"><tr><td class="pagestyle1001">{"".join(pager)}'
            "</td></tr></table>"
        )
        path = f"{COLUMN}.htm" if number == 1 else f"{COLUMN}/{total - number + 1}.htm"
        site.add(f"{base}{path}", Resource(_vsb_page(chrome, "政府信息公开年报", main, path)))


def build_vsb(site: Site, reports: Sequence[ReportSpec], *, page_size: int = PAGE_SIZE) -> Site:
    """Home → 政务公开 (xxgk.htm) → 政府信息公开年报 (paged downwards) → articles."""
    base = site.base_url.rstrip("/")
    column_id = 1000 + stable_id(site.site_id, "vsb") % 100
    chrome = Chrome(
        site.name,
        nav=[("首页", "/index.htm"), ("政务公开", "/xxgk.htm"), ("新闻中心", "/xwzx.htm")],
        footer=f"版权所有：{site.name} 网站标识码{site.division_code}0003",
    )
    items = []
    for spec in reports:
        ident = stable_id(site.site_id, spec.publisher, spec.year, spec.title)
        path = f"/info/{column_id}/{ident}.htm"
        body = body_html(spec.text) if spec.text else "<p>详见附件。</p>"
        attachment_url = None
        if spec.attachment:
            # VSB serves files through a download script: the URL names no file, the link does.
            owner, file_id = 1265902890, stable_id(site.site_id, "file", ident)
            query = f"urltype=news.DownloadAttachUrl&owner={owner}&wbfileid={file_id}"
            attachment_url = f"{base}/system/_content/download.jsp?{query}"
            name = html.escape(f"{spec.title}.{spec.attachment.suffix}")
            body += (
                f'<ul style="list-style-type:none;"><li>附件【<a href="{html.escape(attachment_url)}"'
                f' target="_blank">{name}</a>】已下载<span id="nattach{file_id}">0</span>次</li></ul>'
            )
        main = (
            '<form name="_newscontent_fromname"><div class="content-title">'
            f"<h3>{html.escape(spec.title)}</h3><h6><span>发布时间：{spec.date}</span>"
            f'<span>点击数：<script>_showDynClicks("wbnews", 1265902890, {ident})</script>'
            "</span></h6></div>"
            f'<div id="vsb_content"><div class="v_news_content">{body}</div></div>'
            '<div id="div_vote_id"></div></form>'
        )
        add_report(
            site,
            spec,
            f"{base}{path}",
            _vsb_page(chrome, spec.title, main, path),
            "text/html; charset=utf-8",
            attachment_url,
        )
        items.append(ListItem(spec.title, f"../info/{column_id}/{ident}.htm", spec.date))
    items.sort(key=lambda item: item.date, reverse=True)
    _list_pages(site, chrome, items, page_size)
    area = (
        '<div class="xxgk"><ul><li><a href="xxgk/zfxxgkzn.htm">政府信息公开指南</a></li>'
        '<li><a href="xxgk/zfxxgknb.htm">政府信息公开年报</a></li></ul></div>'
    )
    site.add(f"{base}/xxgk.htm", Resource(_vsb_page(chrome, "政务公开", area, "/xxgk.htm")))
    home = '<div class="home"><a href="xxgk.htm">政务公开</a><a href="xwzx.htm">新闻中心</a></div>'
    for path in ("/", "/index.htm"):
        site.add(f"{base}{path}", Resource(_vsb_page(chrome, site.name, home, "/index.jsp")))
    site.add(
        f"{base}/robots.txt", Resource(b"User-agent: *\nDisallow: /_web/_search/\n", "text/plain")
    )
    return site
