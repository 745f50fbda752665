"""TRS "动静结合" columns: page 1 static, later pages only from a JSON list API.

The column page is the real 平潭 年报 list page (tests/fixtures/html/001_…, TRS "trt"
template with avalon.js) with its static items, channel and counts replaced: its script
(``list2.trsapi``, ``quickMode: "动静结合"``, ``maxStaticIndex: 1``) fetches page 2 on from
the site's TRS search API.  That API is not in the page; it is modelled on the TRS search
service Fujian portals expose, ``/fjdzapp/search?channelid=…&classsql=chnlid%3D…&prepage=…
&page=…``, answering the fields the page's avalon template binds (``doctitle``,
``chnldocurl``, ``docreltime``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from importlib import resources

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

__all__ = ["build_trs_api"]

TEMPLATE = resources.files("simulator") / "content" / "001_pingtan_zfxxgknb_list_trs.html"
COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
API = "/fjdzapp/search"
_STATIC_RE = re.compile(
    r'(<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">)(.*?)(</div>)', re.S
)


def _static_items(items: Sequence[ListItem]) -> str:
    return "".join(
        f"""
                                        <dl>
                                            <dd class="trt-col-sm-24 slb-trt-col-24 text_align_left">
                                                <a href="{item.href}" target="_blank" title="{html.escape(item.title)}">{html.escape(item.title)}</a>
                                            </dd>
                                            <dd class="trt-col-4 trt-col-sm-24 slb-trt-col-24 text_align_left">
                                                {item.date}
                                            </dd>
                                        </dl>
"""
        for item in items
    )


def build_trs_api(
    site: Site, reports: Sequence[ReportSpec], *, page_size: int = 10, short_name: str
) -> Site:
    base = site.base_url.rstrip("/")
    channel = 200000 + stable_id(site.site_id, "channel") % 1000
    chnlid = 1000 + stable_id(site.site_id, "chnl") % 9000
    chrome = Chrome(
        site.name,
        nav=[("首页", "/"), ("政务公开", "/zwgk/")],
        footer=f"网站标识码{site.division_code}0005",
    )
    items: list[ListItem] = []
    for spec in reports:
        ident = stable_id(site.site_id, spec.publisher, spec.year, spec.title)
        yyyymm, yyyymmdd = spec.date[:4] + spec.date[5:7], spec.date.replace("-", "")
        page_url = f"{base}{COLUMN}{yyyymm}/t{yyyymmdd}_{ident}.html"
        attachment_url = href = None
        if spec.attachment:
            href = f"P0{yyyymmdd}{ident}.{spec.attachment.suffix}"
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
        items.append(ListItem(spec.title, f"./{yyyymm}/t{yyyymmdd}_{ident}.html", spec.date))
    latest = max((int(i.date[:4]) for i in items), default=2024)
    noise = [
        ListItem(i.title, i.href.replace(base + COLUMN, "./").replace(base, ""), i.date)
        for i in noise_pages(site, chrome, COLUMN, latest, charset="utf-8")
    ]
    items = sorted(items + noise, key=lambda i: i.date, reverse=True)

    text = TEMPLATE.read_text(encoding="utf-8")
    text = _STATIC_RE.sub(
        lambda m: m.group(1) + _static_items(items[:page_size]) + m.group(3), text, count=1
    )
    text = text.replace("maxStaticIndex: 1,", "maxStaticIndex: 1,", 1)
    text = re.sub(r"prepage: \d+,", f"prepage: {page_size},", text, count=1)
    text = re.sub(r"recordCount: '\d+'", f"recordCount: '{len(items)}'", text, count=1)
    text = text.replace('"chnlid=1813"', f'"chnlid={chnlid}"').replace(
        "searchId: 200210", f"searchId: {channel}"
    )
    text = text.replace("平潭综合实验区", short_name)
    site.add(f"{base}{COLUMN}", Resource(encode_page(text, "utf-8")))
    site.add(f"{base}{COLUMN}index.htm", Resource(b"", status=301, location=f"{base}{COLUMN}"))

    def search(params: Mapping[str, str]) -> Resource | None:
        if params.get("channelid") != str(channel) or f"chnlid={chnlid}" not in params.get(
            "classsql", ""
        ):
            return None
        try:
            number = max(1, int(params.get("page", "1")))
            size = max(1, min(100, int(params.get("prepage", str(page_size)))))
        except ValueError:
            return None
        chunk = items[(number - 1) * size : number * size]
        data = [
            {
                "doctitle": item.title,
                "chnldocurl": base + COLUMN + item.href[2:]
                if item.href.startswith("./")
                else base + item.href,
                "docreltime": f"{item.date} 09:00:00",
            }
            for item in chunk
        ]
        pagecount = (len(items) + size - 1) // size
        body = json.dumps(
            {"data": data, "count": len(items), "pagecount": pagecount, "page": number},
            ensure_ascii=False,
        )
        return Resource(body.encode(), "application/json; charset=utf-8")

    site.add_handler(f"{base}{API}", search)
    xxgk = f'<div class="xxgk"><ul><li><a href="{COLUMN}">政府信息公开年报</a></li></ul></div>'
    site.add(f"{base}/zwgk/", Resource(encode_page(page(chrome, "政务公开", xxgk), "utf-8")))
    home = '<div class="home"><a href="/zwgk/">政务公开</a><a href="http://www.jiangsu.gov.cn/">江苏省人民政府</a></div>'
    site.add(f"{base}/", Resource(encode_page(page(chrome, site.name, home), "utf-8")))
    site.add(
        f"{base}/robots.txt", Resource(b"User-agent: *\nDisallow: /fjdzapp/admin/\n", "text/plain")
    )
    return site
