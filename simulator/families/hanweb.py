"""大汉 Hanweb portals: col/colNNNN/index.html whose list is a jpage XML record stream.

The column page carries the first records inline (``<script type="text/xml">``); the
rest come from ``/module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…``
(GET or POST, as jquery.page.js sends it).  Articles live at
``/art/YYYY/M/D/art_<col>_<id>.html`` with the body in ``#zoom``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

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
from .generic import noise_pages

__all__ = ["build_hanweb"]

PROXY = "/module/web/jpage/dataproxy.jsp"


def _record(item: ListItem) -> str:
    return (
        f'<record><![CDATA[<li><a href="{item.href}" target="_blank" title="{html.escape(item.title)}">'
        f"{html.escape(item.title)}</a><span>{item.date}</span></li>]]></record>"
    )


def build_hanweb(site: Site, reports: Sequence[ReportSpec], *, per_page: int = 15) -> Site:
    base = site.base_url.rstrip("/")
    colid = 1000 + stable_id(site.site_id, "col") % 9000
    xxgk = 1000 + stable_id(site.site_id, "xxgk") % 9000
    unitid = stable_id(site.site_id, "unit")
    chrome = Chrome(
        site.name,
        nav=[("首页", "/"), ("政务公开", f"/col/col{xxgk}/index.html")],
        footer=f"网站标识码{site.division_code}0003",
    )
    items: list[ListItem] = []
    for spec in reports:
        ident = stable_id(site.site_id, spec.publisher, spec.year, spec.title)
        y, m, d = (int(part) for part in spec.date.split("-"))
        page_url = f"{base}/art/{y}/{m}/{d}/art_{colid}_{ident}.html"
        attachment_url = href = None
        if spec.attachment:
            href = f"/module/download/downfile.jsp?classid=0&filename={ident:x}.{spec.attachment.suffix}"
            attachment_url = base + href
        main = article_html(spec, "zoom-body", href).replace('class="zoom-body"', 'id="zoom"')
        add_report(
            site,
            spec,
            page_url,
            encode_page(page(chrome, spec.title, main), "utf-8"),
            "text/html; charset=utf-8",
            attachment_url,
        )
        items.append(ListItem(spec.title, page_url.replace(base, ""), spec.date))
    latest = max((int(i.date[:4]) for i in items), default=2024)
    noise = noise_pages(site, chrome, f"/col/col{colid}/", latest, charset="utf-8")
    items = sorted(items + noise, key=lambda i: i.date, reverse=True)
    total = len(items)
    first = "".join(_record(item) for item in items[:per_page])
    column = (
        f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col{xxgk}/index.html">政务公开</a> &gt; 政府信息公开年报</div>'
        f'<div id="{colid}"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="{PROXY}?page=1&appid=1&webid=1&path=/&columnid={colid}&unitid={unitid}&permissiontype=0"></a>]]></nextgroup>'
        f"<recordset>{first}</recordset><totalrecord>{total}</totalrecord></datastore></script></div>"
        '<script language="javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>'
        f"<script>$(document).ready(function(){{$('#{colid}').jpage({{dataStore:dataStore,perPage:{per_page},totalRecord:{total},"
        f"proxyUrl:'{PROXY}',groupSize:1,barPosition:'bottom',ajaxParam:{{col:1,appid:1,webid:1,path:'/',columnid:{colid},sourceContentType:1,unitid:{unitid},permissiontype:0}}}});}});</script>"
    )
    site.add(
        f"{base}/col/col{colid}/index.html",
        Resource(encode_page(page(chrome, "政府信息公开年报", column), "utf-8")),
    )

    def dataproxy(params: Mapping[str, str]) -> Resource | None:
        if params.get("columnid") != str(colid):
            return None
        try:
            start = max(1, int(params.get("startrecord", "1")))
            end = min(total, int(params.get("endrecord", str(start + per_page - 1))))
        except ValueError:
            return None
        records = "".join(_record(item) for item in items[start - 1 : end])
        xml = f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{total}</totalrecord><recordset>{records}</recordset></datastore>'
        return Resource(xml.encode(), "text/xml; charset=utf-8", methods=("GET", "HEAD", "POST"))

    site.add_handler(f"{base}{PROXY}", dataproxy)
    nav = f'<div class="xxgk"><h3>政府信息公开</h3><ul><li><a href="/col/col{colid}/index.html">政府信息公开年报</a></li></ul></div>'
    site.add(
        f"{base}/col/col{xxgk}/index.html",
        Resource(encode_page(page(chrome, "政务公开", nav), "utf-8")),
    )
    home = f'<div class="home"><a href="/col/col{xxgk}/index.html">政务公开</a><a href="https://www.ly.gov.cn/">洛阳市人民政府</a></div>'
    site.add(f"{base}/", Resource(encode_page(page(chrome, site.name, home), "utf-8")))
    site.add(
        f"{base}/robots.txt", Resource(b"User-agent: *\nDisallow: /module/admin/\n", "text/plain")
    )
    return site
