"""Guangdong's gkmlpt (政府信息公开目录) platform: a JavaScript app whose lists are JSON.

``/gkmlpt/index`` is an app shell; ``/gkmlpt/api/tree?sid=…`` lists the categories and
``/gkmlpt/api/all/<category>?page=N&sid=…`` the articles, ten a page; articles live at
``/gkmlpt/content/<a>/<b>/post_<id>.html`` with the body in ``.article-content``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone

from ..model import Resource, Site
from .common import Chrome, ReportSpec, add_report, article_html, encode_page, page, stable_id

__all__ = ["build_gkmlpt"]

PAGE_SIZE = 10
CATEGORY = 7  # 政府信息公开年报
_CST = timezone(timedelta(hours=8))


def _json(data: object) -> Resource:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return Resource(body, "application/json; charset=utf-8")


def build_gkmlpt(site: Site, reports: Sequence[ReportSpec], *, page_size: int = PAGE_SIZE) -> Site:
    base = site.base_url.rstrip("/")
    sid = site.division_code
    chrome = Chrome(
        site.name,
        nav=[("首页", "/"), ("政府信息公开", "/gkmlpt/index")],
        footer=f"网站标识码{sid}0004 粤ICP备05000000号",
    )
    articles = []
    for spec in reports:
        ident = 7_000_000 + stable_id(site.site_id, spec.publisher, spec.year, spec.title)
        page_url = f"{base}/gkmlpt/content/{ident // 1_000_000}/{ident // 1000}/post_{ident}.html"
        attachment_url = href = None
        if spec.attachment:
            href = f"/attachment/0/{ident // 1000}/{ident}.{spec.attachment.suffix}"
            attachment_url = base + href
        main = article_html(spec, "article-content", href)
        add_report(
            site,
            spec,
            page_url,
            encode_page(page(chrome, spec.title, main), "utf-8"),
            "text/html; charset=utf-8",
            attachment_url,
        )
        published = datetime.fromisoformat(spec.date).replace(tzinfo=_CST)
        articles.append(
            {
                "id": ident,
                "title": spec.title,
                "url": page_url,
                "first_publish_time": int(published.timestamp()),
                "publisher": spec.publisher,
            }
        )
    articles.sort(key=lambda a: a["first_publish_time"], reverse=True)
    shell = f'<div id="app"></div><script>window._CONFIG = {{"SID":"{sid}","API":"/gkmlpt/api/"}};</script><script src="/gkmlpt/static/js/app.js"></script>'
    site.add(
        f"{base}/gkmlpt/index", Resource(encode_page(page(chrome, "政府信息公开", shell), "utf-8"))
    )
    tree = [
        {"id": 2, "name": "机构职能", "children": []},
        {"id": 5, "name": "政策文件", "children": []},
        {"id": CATEGORY, "name": "政府信息公开年报", "children": []},
    ]
    site.add(f"{base}/gkmlpt/api/tree?sid={sid}", _json(tree))

    def listing(params: Mapping[str, str]) -> Resource | None:
        try:
            number = max(1, int(params.get("page", "1")))
        except ValueError:
            return None
        chunk = articles[(number - 1) * page_size : number * page_size]
        return _json(
            {"articles": chunk, "total": len(articles), "page": number, "page_size": page_size}
        )

    site.add_handler(f"{base}/gkmlpt/api/all/{CATEGORY}", listing)
    home = '<div class="home"><a href="/gkmlpt/index">政府信息公开</a><a href="https://www.gz.gov.cn/">广州市人民政府</a></div>'
    site.add(f"{base}/", Resource(encode_page(page(chrome, site.name, home), "utf-8")))
    site.add(
        f"{base}/robots.txt", Resource(b"User-agent: *\nDisallow: /gkmlpt/admin/\n", "text/plain")
    )
    return site
