"""A plain portal (no CMS family markers): next-page links, body in .article-content.

Also the GBK-encoded variant (``charset="gb2312"``, as many older county sites are).
"""

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

__all__ = ["build_generic", "list_pages", "noise_pages"]

PAGE_SIZE = 10


def _column_path(spec: ReportSpec) -> str:
    if spec.column == "main":
        return "/zwgk/ndbg/"
    return f"/zwgk/bmnb/{stable_id(spec.column)}/"


def list_pages(
    site: Site,
    chrome: Chrome,
    path: str,
    heading: str,
    items: Sequence[ListItem],
    *,
    charset: str,
    page_size: int,
) -> None:
    """A paginated list: index.html, index_2.html … with 上一页/下一页 links."""
    pages = [items[i : i + page_size] for i in range(0, len(items), page_size)] or [[]]
    ctype = f"text/html; charset={charset}"
    for number, chunk in enumerate(pages, start=1):
        name = "index.html" if number == 1 else f"index_{number}.html"
        lis = "".join(
            f'<li><a href="{item.href}" title="{html.escape(item.title)}" target="_blank">'
            f'{html.escape(item.title)}</a><span class="date">{item.date}</span></li>'
            for item in chunk
        )
        pager = []
        if number > 1:
            prev = "index.html" if number == 2 else f"index_{number - 1}.html"
            pager.append(f'<a href="{prev}">上一页</a>')
        if number < len(pages):
            pager.append(f'<a href="index_{number + 1}.html">下一页</a>')
        main = (
            f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; {html.escape(heading)}</div>'
            f'<div class="list-box"><h3>{html.escape(heading)}</h3><ul class="list">{lis}</ul>'
            f'<div class="pager">{"".join(pager)} 共{len(pages)}页</div></div>'
        )
        site.add(
            site.base_url.rstrip("/") + path + name,
            Resource(encode_page(page(chrome, heading, main, charset=charset), charset), ctype),
        )


def noise_pages(
    site: Site, chrome: Chrome, path: str, year: int, *, charset: str
) -> list[ListItem]:
    """Near misses that live in 年报 columns: 工作要点 and 解读 pages (not reports)."""
    ctype = f"text/html; charset={charset}"
    items = []
    for kind, title, text in (
        (
            "gzyd",
            f"{site.name}{year}年政务公开工作要点",
            f"为深入贯彻落实{year}年政务公开工作部署，现将工作要点印发如下。一、深化重点领域信息公开。二、加强政策解读。",
        ),
        (
            "tjb",
            f"{site.name}{year - 1}年政务公开工作考核统计表",
            f"{year - 1}年度政务公开工作考核统计表：主动公开信息条数、政策解读篇数、回应关切次数等指标见附表。",
        ),
        (
            "jd",
            f"《{site.name}{year - 1}年政府信息公开工作年度报告》解读",
            f"{year - 1}年年度报告已经发布，现就主要内容解读如下：一是主动公开情况；二是依申请公开情况。",
        ),
    ):
        url = f"{site.base_url.rstrip('/')}{path}{year}01/{kind}{stable_id(site.site_id, kind, year)}.html"
        main = f'<div class="article"><h1>{html.escape(title)}</h1><div class="article-content"><p>{html.escape(text)}</p></div></div>'
        site.add(
            url, Resource(encode_page(page(chrome, title, main, charset=charset), charset), ctype)
        )
        items.append(ListItem(title, url, f"{year}-01-20"))
    return items


def build_generic(
    site: Site, reports: Sequence[ReportSpec], *, charset: str = "utf-8", page_size: int = PAGE_SIZE
) -> Site:
    """Home → 政务公开 → 年报 column(s) → report pages → attachments."""
    base = site.base_url.rstrip("/")
    ctype = f"text/html; charset={charset}"
    chrome = Chrome(
        site.name,
        nav=[("首页", "/"), ("政务公开", "/zwgk/"), ("新闻中心", "/xwzx/"), ("互动交流", "/hdjl/")],
        footer=f"主办单位：{site.name}办公室 网站标识码：{site.division_code}0001 ICP备05000000号",
    )
    columns: dict[str, list[ListItem]] = {}
    for spec in reports:
        path = _column_path(spec)
        ident = stable_id(site.site_id, spec.publisher, spec.year, spec.title)
        yyyymm = spec.date[:4] + spec.date[5:7]
        page_url = f"{base}{path}{yyyymm}/{ident}.html"
        attachment_url = None
        if spec.attachment:
            attachment_url = f"{base}/uploadfiles/{yyyymm}/{ident}.{spec.attachment.suffix}"
        href = attachment_url.replace(base, "") if attachment_url else ""
        main = article_html(spec, "article-content", href or None)
        page_bytes = encode_page(page(chrome, spec.title, main, charset=charset), charset)
        add_report(site, spec, page_url, page_bytes, ctype, attachment_url)
        columns.setdefault(spec.column, []).append(
            ListItem(spec.title, page_url.replace(base, ""), spec.date)
        )
    links = []
    for column, items in columns.items():
        path = _column_path(ReportSpec("", 0, "", "", column=column))
        heading = "政府信息公开年报" if column == "main" else f"{column}政府信息公开年报"
        latest = max(int(item.date[:4]) for item in items)
        items = sorted(
            items + noise_pages(site, chrome, path, latest, charset=charset),
            key=lambda i: i.date,
            reverse=True,
        )
        list_pages(site, chrome, path, heading, items, charset=charset, page_size=page_size)
        links.append(f'<li><a href="{path}index.html">{html.escape(heading)}</a></li>')
    xxgk = (
        '<div class="xxgk"><h3>政府信息公开</h3><ul>'
        '<li><a href="/zwgk/zn/index.html">政府信息公开指南</a></li>'
        '<li><a href="/zwgk/zd/index.html">政府信息公开制度</a></li>'
        + "".join(links)
        + "</ul></div>"
    )
    site.add(
        f"{base}/zwgk/",
        Resource(encode_page(page(chrome, "政府信息公开", xxgk, charset=charset), charset), ctype),
    )
    site.add(f"{base}/zwgk/index.html", Resource(b"", location=f"{base}/zwgk/", status=301))
    home = (
        '<div class="home"><ul class="news"><li><a href="/xwzx/">县域要闻</a></li></ul>'
        '<a class="zwgk" href="/zwgk/">政务公开</a>'
        '<a class="out" href="http://www.gov.cn/">中国政府网</a>'
        f'<a class="mirror" href="http://{site.hosts[0]}.mirror-cache.com/">镜像站点</a></div>'
    )
    site.add(
        f"{base}/",
        Resource(encode_page(page(chrome, site.name, home, charset=charset), charset), ctype),
    )
    news = '<div class="list-box"><h3>新闻中心</h3><ul><li>暂无新闻</li></ul></div>'
    site.add(
        f"{base}/xwzx/",
        Resource(encode_page(page(chrome, "新闻中心", news, charset=charset), charset), ctype),
    )
    site.add(
        f"{base}/robots.txt",
        Resource(b"User-agent: *\nDisallow: /admin/\nDisallow: /search\n", "text/plain"),
    )
    return site
