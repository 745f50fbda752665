"""开普云 Ucap department sub-sites (Jiangsu county portals): /<dept>/gknb/… .shtml pages.

The demo's report page is the real captured page, served unchanged at its real URL; a
synthetic report is rendered in that page's article markup (``.xxgkcont`` → ``<h1
class="article-title"><ucaptitle>`` → ``#zoomcon.article-content`` → ``<ucapcontent>``)
at ``/<dept>/gknb/<YYYYMM>/<32 hex>.shtml``.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence

from ..model import Resource, Site
from ..render import body_html
from .common import Chrome, ListItem, ReportSpec, add_report, encode_page, page

__all__ = ["build_ucap"]


def build_ucap(
    site: Site, reports: Sequence[ReportSpec], *, dept_path: str, dept_name: str
) -> Site:
    """Home → 政府信息公开 → the department's 年报 column → the real report pages."""
    base = site.base_url.rstrip("/")
    chrome = Chrome(
        site.name, nav=[("首页", "/"), ("信息公开", "/zfxxgk/")], footer="网站标识码3213220037"
    )
    items = []
    for spec in reports:
        if spec.raw_page is not None and spec.raw_url is not None:
            add_report(site, spec, spec.raw_url, spec.raw_page, "text/html; charset=utf-8", None)
            items.append(ListItem(spec.title, spec.raw_url.replace(base, ""), spec.date))
            continue
        assert spec.text is not None
        digest = hashlib.md5(f"{site.site_id}|{spec.title}".encode()).hexdigest()
        path = f"{dept_path}{spec.date[:4]}{spec.date[5:7]}/{digest}.shtml"
        main = (
            '<div class="xxgkcont clearfix"><div class="xxfkl l">'
            f'<h1 class="article-title"><ucaptitle>{html.escape(spec.title)}</ucaptitle></h1>'
            '<div class="article-content " id="zoomcon">'
            f"<ucapcontent>{body_html(spec.text)}</ucapcontent></div></div></div>"
        )
        add_report(
            site,
            spec,
            f"{base}{path}",
            encode_page(page(chrome, spec.title, main), "utf-8"),
            "text/html; charset=utf-8",
            None,
        )
        items.append(ListItem(spec.title, path, spec.date))
    lis = "".join(
        f'<li><a href="{item.href}" target="_blank">{html.escape(item.title)}</a><span>{item.date}</span></li>'
        for item in items
    )
    column = f'<div class="list"><h3>{html.escape(dept_name)} 年度报告</h3><ul>{lis}</ul></div>'
    site.add(
        f"{base}{dept_path}index.shtml",
        Resource(encode_page(page(chrome, "年度报告", column), "utf-8")),
    )
    xxgk = (
        '<div class="xxgk"><h3>政府信息公开</h3><ul>'
        f'<li><a href="{dept_path}index.shtml">{html.escape(dept_name)}政府信息公开年度报告</a></li></ul></div>'
    )
    site.add(f"{base}/zfxxgk/", Resource(encode_page(page(chrome, "政府信息公开", xxgk), "utf-8")))
    home = '<div class="home"><a href="/zfxxgk/">政府信息公开</a></div>'
    site.add(f"{base}/", Resource(encode_page(page(chrome, site.name, home), "utf-8")))
    site.add(f"{base}/robots.txt", Resource(b"User-agent: *\nAllow: /\n", "text/plain"))
    return site
