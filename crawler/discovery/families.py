"""CMS-family list helpers: pages the families only reveal to JavaScript, found without it.

Each helper reads a fetched page or API answer and returns (report links, further list
requests) — plain data; the spider turns them into requests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, urljoin

import parsel

__all__ = ["Found", "gkmlpt", "hanweb", "trs_api", "trs_pages"]


@dataclass
class Found:
    links: list[tuple[str, str]]  # (absolute url, link text)
    lists: list[tuple[str, str, dict[str, str] | None]]  # (url, kind, POST form or None)


_CREATE_PAGE_RE = re.compile(
    r"createPageHTML\(\s*(?:countPage|(\d+))\s*,\s*(\d+)\s*,\s*\"([^\"]+)\"\s*,\s*\"([^\"]+)\""
)
_COUNT_PAGE_RE = re.compile(r"var\s+countPage\s*=\s*(\d+)")


def trs_pages(url: str, text: str) -> list[str]:
    """TRS ``createPageHTML(count, current, "index", "html")``: index_1.html … index_N-1."""
    match = _CREATE_PAGE_RE.search(text)
    if not match:
        return []
    count_match = _COUNT_PAGE_RE.search(text)
    count = int(match.group(1) or (count_match.group(1) if count_match else 1))
    name, ext = match.group(3), match.group(4)
    return [urljoin(url, f"{name}_{i}.{ext}") for i in range(1, count)]


_RECORD_RE = re.compile(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)


def _record_links(base: str, xml: str) -> list[tuple[str, str]]:
    links = []
    for record in _RECORD_RE.findall(xml):
        for a in parsel.Selector(text=record).css("a"):
            href = a.attrib.get("href")
            if href:
                links.append(
                    (
                        urljoin(base, href),
                        a.attrib.get("title") or "".join(a.css("::text").getall()),
                    )
                )
    return links


def hanweb(url: str, text: str) -> Found | None:
    """大汉 jpage: inline records, then ``dataproxy.jsp`` for the rest (as jquery.page posts)."""
    if "<datastore>" not in text or "jpage(" not in text:
        return None
    links = _record_links(url, text)
    total = re.search(r"totalRecord\s*:\s*(\d+)", text) or re.search(
        r"<totalrecord>(\d+)</totalrecord>", text
    )
    per = re.search(r"perPage\s*:\s*(\d+)", text)
    column = re.search(r"columnid\s*:\s*'?(\d+)", text)
    proxy = re.search(r"proxyUrl\s*:\s*'([^']+)'", text)
    lists: list[tuple[str, str, dict[str, str] | None]] = []
    if total and column:
        count, size = int(total.group(1)), int(per.group(1)) if per else 15
        base = urljoin(url, proxy.group(1) if proxy else "/module/web/jpage/dataproxy.jsp")
        form = {
            "col": "1",
            "appid": "1",
            "webid": "1",
            "path": "/",
            "columnid": column.group(1),
            "permissiontype": "0",
        }
        unit = re.search(r"unitid\s*:\s*'?(\d+)", text)
        if unit:
            form["unitid"] = unit.group(1)
        shown = len(links)
        if shown < count:
            query = f"?startrecord={shown + 1}&endrecord={count}&perpage={size}"
            lists.append((base + query, "hanweb_records", form))
    return Found(links, lists)


def hanweb_records(url: str, text: str) -> Found:
    return Found(_record_links(url, text), [])


def gkmlpt(url: str, text: str) -> Found | None:
    """Guangdong gkmlpt: the app shell names its site id; the tree names the 年报 category."""
    match = re.search(r'"SID"\s*:\s*"(\d+)"', text)
    if "/gkmlpt/" not in url or not match:
        return None
    return Found(
        [], [(urljoin(url, f"/gkmlpt/api/tree?sid={match.group(1)}"), "gkmlpt_tree", None)]
    )


def gkmlpt_tree(url: str, text: str) -> Found:
    sid = url.split("sid=")[-1]
    lists: list[tuple[str, str, dict[str, str] | None]] = []
    for category in _walk(json.loads(text)):
        if "年报" in category.get("name", "") or "年度报告" in category.get("name", ""):
            lists.append(
                (
                    urljoin(url, f"/gkmlpt/api/all/{category['id']}?page=1&sid={sid}"),
                    "gkmlpt_list",
                    None,
                )
            )
    return Found([], lists)


def _walk(nodes: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    out = []
    for node in nodes or []:
        out.append(node)
        out.extend(_walk(node.get("children") or []))
    return out


def gkmlpt_list(url: str, text: str) -> Found:
    data = json.loads(text)
    links = [(a["url"], a.get("title", "")) for a in data.get("articles", [])]
    lists: list[tuple[str, str, dict[str, str] | None]] = []
    page, size, total = (
        int(data.get("page", 1)),
        int(data.get("page_size", 10) or 10),
        int(data.get("total", 0)),
    )
    if page == 1 and total > size:
        for number in range(2, (total + size - 1) // size + 1):
            lists.append((url.replace("page=1", f"page={number}"), "gkmlpt_list", None))
    return Found(links, lists)


def trs_api(url: str, text: str) -> Found | None:
    """TRS 动静结合: page 1 is static; later pages come from the site's search API."""
    if "动静结合" not in text:
        return None
    channel = re.search(r"searchId\s*:\s*(\d+)", text)
    classsql = re.search(r'classsql:\s*"[^"]*"\s*\|\|\s*"([^"]+)"', text)
    prepage = re.search(r"prepage\s*:\s*(\d+)", text)
    count = re.search(r"recordCount\s*:\s*'(\d+)'", text)
    if not (channel and classsql and prepage and count):
        return None
    size, total = int(prepage.group(1)), int(count.group(1))
    pages = (total + size - 1) // size
    api = urljoin(url, "/fjdzapp/search")
    lists: list[tuple[str, str, dict[str, str] | None]] = [
        (
            f"{api}?channelid={channel.group(1)}&classsql={quote(classsql.group(1))}&prepage={size}&page={number}",
            "trs_api_list",
            None,
        )
        for number in range(2, pages + 1)
    ]
    return Found([], lists)


def trs_api_list(url: str, text: str) -> Found:
    data = json.loads(text)
    return Found([(row["chnldocurl"], row.get("doctitle", "")) for row in data.get("data", [])], [])


LIST_PARSERS = {
    "hanweb_records": hanweb_records,
    "gkmlpt_tree": gkmlpt_tree,
    "gkmlpt_list": gkmlpt_list,
    "trs_api_list": trs_api_list,
}


# Page markers of each CMS family, most specific first (seen on real portal pages: the 平潭
# TRS list page, the 沭阳 Ucap page, Hanweb jpage scripts, gkmlpt paths, 博达 VSB assets).
PLATFORM_MARKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gkmlpt", ("/gkmlpt/",)),
    ("hanweb", ("dataproxy.jsp", "/module/web/jpage/", "jpage", "hanweb")),
    ("trs_api", ("list2.trsapi", "trsapi")),
    ("trs", ("trs_editor", "createpagehtml", "trs_", "trs.")),
    ("ucap", ("ucapcontent", "ucaptitle", "ucap")),
    ("vsb", (".vsb.css", "/system/resource/js/", "_sitegray", "vsbscreen", "_jsq_(")),
)


def detect_platform(text: str) -> str:
    """The CMS family whose markers a page carries, or ``generic``."""
    lowered = text.lower()
    for platform, markers in PLATFORM_MARKERS:
        if any(marker in lowered for marker in markers):
            return platform
    return "generic"
