"""TRS WCM portals: column index.html, index_1.html … paged by createPageHTML(),
articles at ./YYYYMM/tYYYYMMDD_ID.html with the body in .TRS_Editor, attachments
./YYYYMM/P0YYYYMMDD…pdf."""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..model import Resource, Site
from .common import (
    Chrome,
    ListItem,
    ReportSpec,
    add_report,
    article_html,
    encode_page,
    page,
    stable_id,
)

__all__ = ["build_trs"]

COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
PAGE_SIZE = 15


def _list_pages(site: Site, chrome: Chrome, items: Sequence[ListItem], page_size: int) -> None:
    base = site.base_url.rstrip("/")
    pages = [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]
    for index, chunk in enumerate(pages):
        name = "index.html" if index == 0 else f"index_{index}.html"
        lis = "".join(
            f'<li><a href="{item.href}" target="_blank" title="{html.escape(item.title)}">'
            f"{html.escape(item.title)}</a><span>{item.date}</span></li>"
            for item in chunk
        )
        main = (
            '<div class="position">当前位置：<a href="../../../">首页</a> &gt; <a href="../../">政务公开</a>'
            ' &gt; <a href="./">政府信息公开年报</a></div>'
            f'<div class="xxgk_list"><ul>{lis}</ul>'
            '<div class="page"><script type="text/javascript">'
            f'var countPage = {len(pages)}; createPageHTML(countPage, {index}, "index", "html");'
            "</script></div></div>"
        )
        text = page(chrome, "政府信息公开年报", main)
        site.add(f"{base}{COLUMN}{name}", Resource(encode_page(text, "utf-8")))


def build_trs(site: Site, reports: Sequence[ReportSpec], *, page_size: int = PAGE_SIZE) -> Site:
    """Home → 政务公开 → 政府信息公开 → 年报 column (createPageHTML) → articles."""
    base = site.base_url.rstrip("/")
    chrome = Chrome(
        site.name,
        nav=[("首页", "/"), ("政务公开", "/zwgk/"), ("政务服务", "/zwfw/"), ("政民互动", "/zmhd/")],
        footer=f"主办：{site.name}办公室 网站标识码{site.division_code}0002 豫ICP备06000000号 豫公网安备41020000000000号",
    )
    items = []
    for spec in reports:
        ident = stable_id(site.site_id, spec.publisher, spec.year, spec.title)
        yyyymm, yyyymmdd = spec.date[:4] + spec.date[5:7], spec.date.replace("-", "")
        article = f"{yyyymm}/t{yyyymmdd}_{ident}.html"
        page_url = f"{base}{COLUMN}{article}"
        attachment_url = None
        href = None
        if spec.attachment:
            href = f"P0{yyyymmdd}{ident}{ident % 97:02d}.{spec.attachment.suffix}"
            attachment_url = f"{base}{COLUMN}{yyyymm}/{href}"
        main = article_html(spec, "TRS_Editor", href)
        add_report(
            site,
            spec,
            page_url,
            encode_page(page(chrome, spec.title, main), "utf-8"),
            "text/html; charset=utf-8",
            attachment_url,
        )
        items.append(ListItem(spec.title, f"./{article}", spec.date))
    items.sort(key=lambda item: item.date, reverse=True)
    _list_pages(site, chrome, items, page_size)
    xxgk = (
        '<div class="xxgk_nav"><ul>'
        '<li><a href="./zfxxgk/zfxxgkzn/">政府信息公开指南</a></li>'
        '<li><a href="./zfxxgk/fdzdgknr/">法定主动公开内容</a></li>'
        '<li><a href="./zfxxgk/zfxxgknb/">政府信息公开年报</a></li></ul></div>'
    )
    site.add(f"{base}/zwgk/", Resource(encode_page(page(chrome, "政务公开", xxgk), "utf-8")))
    # TRS answers the bare column with a relative redirect to its first list page.
    site.add(f"{base}{COLUMN}", Resource(b"", status=302, location="index.html"))
    home = '<div class="home"><a href="./zwgk/">政务公开</a><a href="http://www.henan.gov.cn/">河南省人民政府</a></div>'
    site.add(f"{base}/", Resource(encode_page(page(chrome, site.name, home), "utf-8")))
    site.add(
        f"{base}/robots.txt", Resource(b"User-agent: *\nDisallow: /trs_admin/\n", "text/plain")
    )
    return site
