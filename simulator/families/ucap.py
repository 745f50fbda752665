"""开普云 Ucap department sub-sites (Jiangsu county portals): /<dept>/gknb/… .shtml pages.

The report page is the real captured page, served unchanged at its real URL.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..model import Resource, Site
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
        assert spec.raw_page is not None and spec.raw_url is not None
        add_report(site, spec, spec.raw_url, spec.raw_page, "text/html; charset=utf-8", None)
        items.append(ListItem(spec.title, spec.raw_url.replace(base, ""), spec.date))
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
