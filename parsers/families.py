"""CMS families of county portals, one entry each: how to tell a family's pages, where its
report bodies live, and how its list pages reveal what only JavaScript shows.

``FAMILIES`` is the one table: the registry's platform names (``crawler.sites``), the
spider's list helpers (``crawler.spiders.reports``) and the content rules of ``html.py`` all
read from it.  Adding a family = one ``Family`` here, its simulator builder
(``simulator/families/``) and its tests.  Everything here is pure: text in, data out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from .links import join
from .patterns import lazy

__all__ = [
    "FAMILIES",
    "GENERIC_CONTENT_RULES",
    "LIST_PARSERS",
    "MAX_LIST_PAGES",
    "PLATFORMS",
    "Family",
    "Found",
    "content_rules",
    "detect_platform",
]


@dataclass
class Found:
    """What a family's page or list answer leads to, as plain data; ``note`` says what was
    wrong with it (an answer that is not the API's, a page count beyond ``MAX_LIST_PAGES``)."""

    links: list[tuple[str, str]]  # (absolute url, link text)
    lists: list[tuple[str, str, dict[str, str] | None]]  # (url, kind, POST form or None)
    note: str | None = None


# No 年报 column has more pages than this; a list page or API claiming more (an endless
# calendar, a forged total of 10⁸) is read up to here, and says so in ``Found.note``.
MAX_LIST_PAGES = 200


def _pages(claimed: int, what: str, limit: int) -> tuple[int, str | None]:
    if claimed <= limit:
        return max(claimed, 0), None
    return limit, f"{what} claims {claimed} pages; the first {limit} are read"


def _int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError, OverflowError):
        return default


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _not_the_answer(url: str) -> Found:
    return Found([], [], note=f"{url} did not answer as the list API does (a challenge page?)")


_CREATE_PAGE_RE = lazy(
    r"createPageHTML\(\s*(?:countPage|(\d+))\s*,\s*(\d+)\s*,\s*\"([^\"]+)\"\s*,\s*\"([^\"]+)\""
)
_COUNT_PAGE_RE = lazy(r"var\s+countPage\s*=\s*(\d+)")


def trs_pages(url: str, text: str, max_pages: int = MAX_LIST_PAGES) -> Found | None:
    """TRS ``createPageHTML(count, current, "index", "html")``: index_1.html … index_N-1."""
    match = _CREATE_PAGE_RE.search(text)
    if not match:
        return None
    count_match = _COUNT_PAGE_RE.search(text)
    claimed = _int(match.group(1) or (count_match.group(1) if count_match else 1), 1)
    count, note = _pages(claimed, "createPageHTML", max_pages)
    name, ext = match.group(3), match.group(4)
    pages = (join(url, f"{name}_{i}.{ext}") for i in range(1, count))
    return Found([], [(page, "page", None) for page in pages if page], note)


_RECORD_RE = lazy(r"<record><!\[CDATA\[(.*?)\]\]></record>", re.S)


def _record_links(base: str, xml: str) -> list[tuple[str, str]]:
    import parsel  # only for 大汉 list answers

    links = []
    for record in _RECORD_RE.findall(xml):
        for a in parsel.Selector(text=record).css("a"):
            href = join(base, a.attrib.get("href") or "")
            if href and a.attrib.get("href"):
                links.append((href, a.attrib.get("title") or "".join(a.css("::text").getall())))
    return links


def hanweb(url: str, text: str, max_pages: int = MAX_LIST_PAGES) -> Found | None:
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
    note = None
    base = join(url, proxy.group(1) if proxy else "/module/web/jpage/dataproxy.jsp")
    if total and column and base:
        size = max(_int(per.group(1), 15) if per else 15, 1)
        records = _int(total.group(1), 0)
        pages, note = _pages(-(-records // size), "the jpage list", max_pages)
        count = min(records, pages * size)
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
    return Found(links, lists, note)


def hanweb_records(url: str, text: str, max_pages: int = MAX_LIST_PAGES) -> Found:
    return Found(_record_links(url, text), [])


def gkmlpt(url: str, text: str, max_pages: int = MAX_LIST_PAGES) -> Found | None:
    """Guangdong gkmlpt: the app shell names its site id; the tree names the 年报 category."""
    match = re.search(r'"SID"\s*:\s*"(\d+)"', text)
    tree = join(url, f"/gkmlpt/api/tree?sid={match.group(1)}") if match else None
    if "/gkmlpt/" not in url or not tree:
        return None
    return Found([], [(tree, "gkmlpt_tree", None)])


def _walk(nodes: object, depth: int = 0) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    if depth > 50 or not isinstance(nodes, list):
        return out
    for node in nodes:
        if isinstance(node, dict):
            out.append(node)
            out.extend(_walk(node.get("children"), depth + 1))
    return out


def gkmlpt_tree(url: str, text: str, max_pages: int = MAX_LIST_PAGES) -> Found:
    data = _json(text)
    if not isinstance(data, list):
        return _not_the_answer(url)
    sid = url.split("sid=")[-1]
    lists: list[tuple[str, str, dict[str, str] | None]] = []
    for category in _walk(data):
        name = str(category.get("name", ""))
        if ("年报" in name or "年度报告" in name) and str(category.get("id", "")).isdigit():
            target = join(url, f"/gkmlpt/api/all/{category['id']}?page=1&sid={sid}")
            if target:
                lists.append((target, "gkmlpt_list", None))
    return Found([], lists)


def gkmlpt_list(url: str, text: str, max_pages: int = MAX_LIST_PAGES) -> Found:
    data = _json(text)
    if not isinstance(data, dict):
        return _not_the_answer(url)
    articles = data.get("articles")
    links = [
        (str(a["url"]), str(a.get("title", "")))
        for a in (articles if isinstance(articles, list) else [])
        if isinstance(a, dict) and isinstance(a.get("url"), str)
    ]
    lists: list[tuple[str, str, dict[str, str] | None]] = []
    page, size, total = (
        _int(data.get("page", 1), 1),
        max(_int(data.get("page_size", 10), 10), 1),
        _int(data.get("total", 0), 0),
    )
    note = None
    if page == 1 and total > size:
        pages, note = _pages(-(-total // size), "the gkmlpt list", max_pages)
        for number in range(2, pages + 1):
            lists.append((url.replace("page=1", f"page={number}"), "gkmlpt_list", None))
    return Found(links, lists, note)


def trs_api(url: str, text: str, max_pages: int = MAX_LIST_PAGES) -> Found | None:
    """TRS 动静结合: page 1 is static; later pages come from the site's search API."""
    if "动静结合" not in text:
        return None
    channel = re.search(r"searchId\s*:\s*(\d+)", text)
    classsql = re.search(r'classsql:\s*"[^"]*"\s*\|\|\s*"([^"]+)"', text)
    prepage = re.search(r"prepage\s*:\s*(\d+)", text)
    count = re.search(r"recordCount\s*:\s*'(\d+)'", text)
    api = join(url, "/fjdzapp/search")
    if not (channel and classsql and prepage and count and api):
        return None
    size = max(_int(prepage.group(1), 10), 1)
    pages, note = _pages(-(-_int(count.group(1), 0) // size), "the TRS list API", max_pages)
    query = f"channelid={channel.group(1)}&classsql={quote(classsql.group(1))}&prepage={size}"
    lists: list[tuple[str, str, dict[str, str] | None]] = [
        (f"{api}?{query}&page={number}", "trs_api_list", None) for number in range(2, pages + 1)
    ]
    return Found([], lists, note)


def trs_api_list(url: str, text: str, max_pages: int = MAX_LIST_PAGES) -> Found:
    data = _json(text)
    rows = data.get("data") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return _not_the_answer(url)
    return Found(
        [
            (row["chnldocurl"], str(row.get("doctitle", "")))
            for row in rows
            if isinstance(row, dict) and isinstance(row.get("chnldocurl"), str)
        ],
        [],
    )


@dataclass(frozen=True)
class Family:
    """One CMS family: its page markers (lower case, most telling first), the XPath rules
    of its report body (tried before the generic ones), a helper that reads any of its pages
    for links and further list requests, and the list answers it asks for (kind → reader)."""

    name: str
    markers: tuple[str, ...]
    content: tuple[tuple[str, str], ...] = ()
    page: Callable[..., Found | None] | None = None
    lists: dict[str, Callable[..., Found]] = field(default_factory=dict)


# Each rule tests first what is cheap (the attribute is there, its raw text holds the name),
# then what is exact: libxml2 builds the normalize-space/concat strings only for the few
# elements that pass, not for every element of the page.
def _class_rule(name: str) -> str:
    """Elements with ``name`` among their class words."""
    return (
        f"//*[contains(@class, '{name}')]"
        f"[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    )


def _id_rule(*names: str) -> str:
    """Elements whose id is one of ``names``."""
    return "//*[@id][" + " or ".join(f"@id='{name}'" for name in names) + "]"


# In the order pages are tested for markers: the most specific first (seen on real portal
# pages: the 平潭 TRS list page, the 沭阳 Ucap page, Hanweb jpage scripts, gkmlpt paths, 博达
# VSB assets).
FAMILIES: tuple[Family, ...] = (
    Family(
        "gkmlpt",
        ("/gkmlpt/",),
        page=gkmlpt,
        lists={"gkmlpt_tree": gkmlpt_tree, "gkmlpt_list": gkmlpt_list},
    ),
    Family(
        "hanweb",
        ("dataproxy.jsp", "/module/web/jpage/", "jpage", "hanweb"),
        page=hanweb,
        lists={"hanweb_records": hanweb_records},
    ),
    Family(
        "trs_api", ("list2.trsapi", "trsapi"), page=trs_api, lists={"trs_api_list": trs_api_list}
    ),
    Family(
        "trs",
        ("trs_editor", "createpagehtml", "trs_", "trs."),
        content=(("trs_editor", _class_rule("TRS_Editor")),),
        page=trs_pages,
    ),
    Family(
        "ucap", ("ucapcontent", "ucaptitle", "ucap"), content=(("ucapcontent", "//ucapcontent"),)
    ),
    Family(
        "vsb",
        (".vsb.css", "/system/resource/js/", "_sitegray", "vsbscreen", "_jsq_("),
        content=(
            # 博达 VSB: <div id="vsb_content"><div class="v_news_content">
            ("v_news_content", _class_rule("v_news_content")),
            ("vsb_content", "//*[@id][starts-with(@id, 'vsb_content')]"),
        ),
    ),
)
PLATFORMS = frozenset({family.name for family in FAMILIES} | {"generic"})
LIST_PARSERS: dict[str, Callable[..., Found]] = {
    kind: reader for family in FAMILIES for kind, reader in family.lists.items()
}
# Where report bodies live on portals of any family, in order of trust.
GENERIC_CONTENT_RULES: tuple[tuple[str, str], ...] = (
    ("zoomcon", _id_rule("zoomcon")),
    ("zoom", _id_rule("zoom")),
    ("ivs_content", _id_rule("ivs_content")),
    ("xxgk_content", _class_rule("xxgk_content")),
    ("custom_unionstyle", "//*[@class][contains(@class, 'Custom_UnionStyle')]"),
    ("article_content", _class_rule("article-content")),
    ("content_id", _id_rule("content", "Content", "article", "zwnr")),
    ("article", "//article"),
)


def content_rules() -> tuple[tuple[str, str], ...]:
    """(rule name, XPath): the families' own rules, then the generic ones."""
    return (*(rule for family in FAMILIES for rule in family.content), *GENERIC_CONTENT_RULES)


def detect_platform(text: str) -> str:
    """The CMS family whose markers a page carries, or ``generic``."""
    lowered = text.lower()
    for family in FAMILIES:
        if any(marker in lowered for marker in family.markers):
            return family.name
    return "generic"
