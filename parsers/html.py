"""Portal HTML → body text (site chrome stripped) + page metadata.

The body text is the format of the seed corpus: one paragraph per line, every table row
one line of tab-separated cells.  Tables are laid out on their grid with rowspan/colspan
expanded — a merged *label* repeats in every slot it covers (so row labels stay aligned
with their figures), a merged *figure* stands once, in its first slot (so it is never
counted twice).

The content container is chosen by scored rules kept as data (``CONTENT_RULES``: the
containers of the CMS families county portals run on), then by text density.  Chrome is
removed at three levels: elements that never hold a report (scripts, forms, iframes …),
elements whose class or id names them chrome (breadcrumb, share bar, footer …), and short
text lines of the chrome vocabulary (``chrome.py``).
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from .chrome import strip_chrome_lines, strip_chrome_text
from .errors import ChallengePageError, EmptyDocumentError, WrongFormatError
from .families import content_rules
from .links import Link, is_attachment, join, page_links
from .meta import find_publish_date
from .numbers import parse_number
from .patterns import lazy

__all__ = [
    "CONTENT_RULES",
    "ExtractedPage",
    "Link",
    "decode_html",
    "extract_html",
    "is_challenge_page",
    "may_be_challenge_page",
    "render_embedded_tables",
    "strip_chrome_text",
]

# --- data: where bodies live, what chrome looks like ----------------------------------------

# (rule name, XPath) in order of trust, the families' own first; the first one holding
# enough text wins.
CONTENT_RULES: tuple[tuple[str, str], ...] = content_rules()
_MIN_RULE_TEXT = 80

# Elements that never hold report text.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "select",
    "button",
    "input",
    "textarea",
    "object",
    "embed",
    "svg",
    "canvas",
    "template",
    "link",
    "meta",
    "head",
)
# class/id words of chrome blocks (matched as whole words or word parts).
_CHROME_ATTR_RE = lazy(
    r"breadcrumb|crumb|bread|position|weizhi|location|share|bdshare|jiathis|print|"
    r"footer|copyright|banquan|search|navbar|(?:^|[-_\s])nav(?:$|[-_\s])|menu|"
    r"toolbar|fontsize|font-size|zihao|sidebar|related|xgwz|xgxx|hotnews|rank|"
    r"friendlink|yqlj|topbar|header|skip|wza|aged|older",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    (
        *("p", "div", "section", "article", "aside", "header", "footer", "main", "nav"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
        *("blockquote", "pre", "center", "address", "figure", "figcaption", "hr", "br"),
        *("table", "tr", "ucapcontent"),
    )
)
_META_LABELS = (
    "索引号",
    "发布机构",
    "公开日期",
    "发布日期",
    "成文日期",
    "发文字号",
    "文号",
    "主题分类",
    "分类",
    "名称",
    "标题",
    "关键词",
    "时效",
    "有效性",
    "文件下载",
    "生成日期",
    "来源",
)
_META_LABEL_RE = lazy("(" + "|".join(_META_LABELS) + r")\s*[:：]?\s*")
_LABELLED_DATE_RE = lazy(
    r"(?:发布时间|发布日期|公开日期|成文日期|发文日期)\s*[:：]?\s*"
    r"((?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})"
)
_DATE_RE = lazy(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_SPACE_RE = lazy(r"[ \t\r\n\f\u00a0\u3000]+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u3000-\u303f"
_HAN_GAP_RE = lazy(f"(?<=[{_HAN}]) (?=[{_HAN}])")
_MAX_DATA_CELL = 400
_MAX_DEPTH = 150
_MIN_REPORT_CHARS = 150
_MAX_LINK_DENSITY = 0.5


def _html_parser() -> lxml.etree.HTMLParser:
    """lxml.html's parser with every element an ``HtmlElement`` chosen in C: lxml.html's own
    picks each element's class by tag in Python (forms, inputs …, which nothing here uses),
    a call for every element the parsers touch."""
    parser = lxml.etree.HTMLParser()
    parser.set_element_class_lookup(
        lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


_HTML_PARSER = _html_parser()


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What a portal page says: its body text (None on list pages), metadata and links."""

    url: str
    kind: str  # "report" or "list"
    body_text: str | None
    title: str | None
    publish_date: str | None
    metadata: Mapping[str, str]
    attachments: tuple[Link, ...]
    links: tuple[Link, ...]
    encoding: str
    content_rule: str
    warnings: tuple[str, ...] = field(default=())


# --- decoding --------------------------------------------------------------------------------

_META_CHARSET_RE = lazy(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_HEADER_CHARSET_RE = lazy(r"charset\s*=\s*[\"']?([-\w.:]+)", re.IGNORECASE)
_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn", "hz-gb-2312"}


def _codec(name: str) -> str | None:
    name = name.strip().lower()
    if name in _GB_FAMILY:
        return "gb18030"  # the superset: GB2312/GBK pages use its characters freely
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None  # rot-13, base64, zlib …: codecs, but not charsets
    return "utf-8" if info.name == "utf-8" else info.name


def _single_byte(codec: str) -> bool:
    """Latin-1 and its kin decode any bytes at all, so they prove nothing about a page."""
    return codec.startswith(("iso8859", "latin", "cp125", "cp437", "ascii", "mac-", "koi8"))


def _multibyte_reading(body: bytes) -> str | None:
    """The page read as UTF-8 or GB18030 when its bytes are valid and make Chinese text."""
    for codec in ("utf-8", "gb18030"):
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            continue
        non_ascii = [ch for ch in text if ord(ch) > 127]
        han = sum(1 for ch in non_ascii if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f")
        if non_ascii and han >= 0.6 * len(non_ascii):
            return codec
    return None


def decode_html(
    body: bytes, headers: Mapping[str, str] | None = None
) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings): BOM, then HTTP header, then <meta charset>, then detection."""
    warnings: list[str] = []
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace"), codec, warnings
    declared: list[str] = []
    content_type = next((v for k, v in (headers or {}).items() if k.lower() == "content-type"), "")
    if header_match := _HEADER_CHARSET_RE.search(content_type):
        declared.append(header_match.group(1))
    if meta_match := _META_CHARSET_RE.search(body[:4096]):
        declared.append(meta_match.group(1).decode("ascii", "replace"))
    for name in declared:
        declared_codec = _codec(name)
        if declared_codec is None:
            warnings.append(f"unknown charset {name!r} declared")
            continue
        if _single_byte(declared_codec) and not body.isascii():
            # A portal that declares Latin-1 (a misconfigured server) over Chinese bytes.
            actual = _multibyte_reading(body)
            if actual is not None:
                warnings.append(f"declared charset {name} contradicts the bytes; read as {actual}")
                return body.decode(actual), actual, warnings
        try:
            return body.decode(declared_codec), declared_codec, warnings
        except (UnicodeDecodeError, LookupError):
            warnings.append(f"declared charset {name} does not decode the page")
    try:
        return body.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # only for pages that declare nothing usable (slow to import)

    best = charset_normalizer.from_bytes(body[:200_000]).best()
    codec = (_codec(best.encoding) if best is not None else None) or "gb18030"
    text = body.decode(codec, errors="replace")
    if "\ufffd" in text:
        warnings.append(f"bytes that {codec} cannot decode were replaced")
    warnings.append(f"encoding detected as {codec} (none declared that works)")
    return text, codec, warnings


# --- rendering -------------------------------------------------------------------------------


def _clean(text: str) -> str:
    spaced = _SPACE_RE.sub(" ", text)
    if " " in spaced:  # most cells and lines have none: no gap to close
        spaced = _HAN_GAP_RE.sub("", spaced)
    return spaced.strip()


def _is_chrome(element: lxml.html.HtmlElement) -> bool:
    attrs = " ".join(filter(None, (element.get("class"), element.get("id"))))
    return bool(attrs) and bool(_CHROME_ATTR_RE.search(attrs))


_NAMED_ELEMENTS = lxml.etree.XPath("//*[@class or @id]")


def _strip_tree(root: lxml.html.HtmlElement, *, chrome: bool) -> None:
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    # Forms are unwrapped, not dropped: VSB puts every article in <form
    # name="_newscontent_fromname">, ASP.NET WebForms the whole page in <form id="form1">.
    for element in list(root.iter("form")):
        element.drop_tag()
    lxml.etree.strip_elements(root, lxml.etree.Comment, with_tail=False)
    if chrome:
        for element in [e for e in _NAMED_ELEMENTS(root) if _is_chrome(e)]:
            if element.getparent() is not None:
                element.drop_tree()


def _span(value: str | None) -> int:
    """A rowspan or colspan attribute's slots (1 when absent or no number)."""
    if value is None:
        return 1
    try:
        return max(1, min(int(value), 1000))
    except ValueError:
        return 1


# Bounds of a table's grid: a span never reaches past the table's own rows, nor wider than
# any disclosure table is; a table whose spans would fill more slots than this is no data
# table (a 24 kB page of rowspan=1000 colspan=1000 cells once took 9 GB).
_MAX_COLSPAN = 64
_NOT_XML_RE = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAX_GRID_SLOTS = 200_000


def _data_table_rows(table: lxml.html.HtmlElement) -> list[list[str]] | None:
    """The table on its grid: merged labels repeated, merged figures once.

    None when it is no data table: a page layout made of table cells (a table inside, a
    cell longer than any figure's label), or a grid beyond any real table's size.
    """
    if table.find(".//table") is not None:
        return None
    rows = [tr for tr in table.iter("tr") if tr.getparent() is not None]
    height = len(rows)
    cells: list[list[tuple[str, int, int]]] = []
    slots = 0
    for r, tr in enumerate(rows):
        row = []
        for cell in tr.iterchildren("td", "th"):
            raw = cell.text_content()
            if len(raw) > _MAX_DATA_CELL:
                return None
            rows_attr, columns_attr = cell.get("rowspan"), cell.get("colspan")
            if rows_attr is None and columns_attr is None:  # most cells
                slots += 1
                row.append((raw, 1, 1))
                continue
            rowspan = min(_span(rows_attr), height - r)
            colspan = min(_span(columns_attr), _MAX_COLSPAN)
            slots += rowspan * colspan
            row.append((raw, rowspan, colspan))
        if slots > _MAX_GRID_SLOTS:
            return None
        cells.append(row)
    # A cell outside the rows' own (a <td> straight in <table>) is no slot, but still
    # must be short: read only when there are such cells.
    if sum(map(len, cells)) != int(table.xpath("count(.//td | .//th)")) and any(
        len(cell.text_content()) > _MAX_DATA_CELL for cell in table.iter("td", "th")
    ):
        return None
    grid: list[dict[int, str]] = [{} for _ in rows]
    for r, row in enumerate(cells):
        line = grid[r]
        c = 0
        for raw, rowspan, colspan in row:
            while c in line:
                c += 1
            text = _clean(raw)
            if rowspan == 1 and colspan == 1:
                line[c] = text
                c += 1
                continue
            merged = "" if parse_number(text) is not None else text
            for dr in range(rowspan):
                below = grid[r + dr]
                for dc in range(colspan):
                    below[c + dc] = text if dr == 0 and dc == 0 else merged
            c += colspan
    width = max((max(line) for line in grid if line), default=-1) + 1
    out = []
    for line in grid:
        if any(line.values()):
            out.append([line.get(c, "") for c in range(width)])
    return out


class _Renderer:
    """Block structure → lines; data tables → tab-separated rows."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        text = _clean("".join(self.buffer))
        if text:
            self.lines.append(text)
        self.buffer = []

    def render(self, element: lxml.html.HtmlElement, depth: int = 0) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if depth > _MAX_DEPTH:
            self.buffer.append(element.text_content())
            return
        grid = _data_table_rows(element) if tag == "table" else None
        if grid is not None:
            self.flush()
            for row in grid:
                self.lines.append("\t".join(row))
            self.buffer.append(element.tail or "")
            return
        block = tag in _BLOCK_TAGS or tag in ("td", "th")
        if block:
            self.flush()
        if tag == "br":
            self.buffer.append(element.tail or "")
            return
        self.buffer.append(element.text or "")
        for child in element:
            self.render(child, depth + 1)
        if block:
            self.flush()
        self.buffer.append(element.tail or "")


def _render(element: lxml.html.HtmlElement) -> list[str]:
    renderer = _Renderer()
    renderer.render(element)
    renderer.flush()
    return renderer.lines


# Raw HTML tables left inside body text (pandoc's gfm/markdown output for tables with
# merged cells, html2text with tables kept as HTML, copy-pasted page source).
_EMBEDDED_TABLE_RE = lazy(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_MAX_EMBEDDED_TABLE = 2_000_000


def render_embedded_tables(text: str) -> str:
    """Body text with each raw ``<table>…</table>`` laid out as tab-separated grid rows."""

    def render(match: re.Match[str]) -> str:
        source = match.group(0)
        if len(source) > _MAX_EMBEDDED_TABLE:
            return source
        try:
            table = lxml.html.fragment_fromstring(source, parser=_HTML_PARSER)
        except (lxml.etree.ParserError, ValueError):
            return source
        rows = _data_table_rows(table) if table.tag == "table" else None
        if rows is None:
            return source
        return "\n" + "\n".join("\t".join(row) for row in rows) + "\n"

    return _EMBEDDED_TABLE_RE.sub(render, text)


# --- choosing the content ---------------------------------------------------------------------


def _text_length(element: lxml.html.HtmlElement) -> int:
    return len(_SPACE_RE.sub("", element.text_content()))


def _link_length(element: lxml.html.HtmlElement) -> int:
    return sum(len(_SPACE_RE.sub("", a.text_content())) for a in element.iter("a"))


@functools.cache
def _compiled_rules() -> tuple[tuple[str, lxml.etree.XPath], ...]:
    return tuple((name, lxml.etree.XPath(xpath)) for name, xpath in CONTENT_RULES)


def _by_rules(root: lxml.html.HtmlElement) -> tuple[str, lxml.html.HtmlElement] | None:
    for name, xpath in _compiled_rules():
        found = [e for e in xpath(root) if _text_length(e) >= _MIN_RULE_TEXT]
        if found:
            return name, max(found, key=_text_length)
    return None


def _by_density(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The block whose own non-link text is largest, preferring the tightest such block."""
    best, best_score = root, -1.0
    for element in root.iter("div", "td", "article", "section", "main", "body"):
        text = _text_length(element)
        if text < _MIN_RULE_TEXT:
            continue
        links = _link_length(element)
        score = (text - 2 * links) * (1.0 - 0.02 * min(len(list(element.iter("div"))), 25))
        if score > best_score:
            best, best_score = element, score
    return best


# --- metadata --------------------------------------------------------------------------------


def _metadata_box(
    root: lxml.html.HtmlElement,
) -> tuple[dict[str, str], lxml.html.HtmlElement | None]:
    """索引号 / 发布机构 / 公开日期 / 文号 … from the box above the body, and the box itself.

    The box is the smallest element naming the most metadata labels.
    """
    best: tuple[int, int, lxml.html.HtmlElement] | None = None
    for element in root.iter("table", "div", "ul", "dl"):
        text = element.text_content()
        if len(text) > 1500:
            continue
        count = sum(label in text for label in _META_LABELS)
        if count >= 3 and (best is None or (count, -len(text)) > (best[0], best[1])):
            best = (count, -len(text), element)
    if best is None:
        return {}, None
    element = best[2]
    cells = [_clean(c.text_content()) for c in element.iter("td", "th", "li", "dd", "dt")]
    flat = " ".join(c for c in cells if c) or _clean(element.text_content())
    parts = _META_LABEL_RE.split(flat)
    fields: dict[str, str] = {}
    for label, value in zip(parts[1::2], parts[2::2], strict=False):
        value = value.strip(" ：:")
        if value and label not in fields:
            fields[label] = value
    return fields, element


def _iso_date(text: str | None) -> str | None:
    if not text:
        return None
    match = _DATE_RE.search(text)
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _meta_tag(root: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for meta in root.iter("meta"):
            if (meta.get("name") or "").lower() == name.lower() and meta.get("content"):
                return str(meta.get("content")).strip()
    return None


def _title(root: lxml.html.HtmlElement) -> str | None:
    for xpath in ("//ucaptitle", "//h1", "//*[contains(@class,'article-title')]", "//h2"):
        for element in root.xpath(xpath):
            text = _clean(element.text_content())
            if 4 <= len(text) <= 120:
                return text
    meta = _meta_tag(root, "ArticleTitle", "title")
    if meta:
        return meta
    title = root.find(".//title")
    if title is not None and title.text:
        return re.split(r"\s*[-_|—]\s*", _clean(title.text))[0] or None
    return None


# --- the entry point -------------------------------------------------------------------------


# Anti-bot gateways answer 200 with a script that sets a cookie and reloads: their own
# markers (加速乐 __jsl_clearance, 云锁 yunsuo/security_verify, 瑞数 $_ts, Cloudflare), or a
# page that is nothing but a 安全验证 / 请开启JavaScript notice.
_CHALLENGE_MARKERS = (  # matched in the lower-cased markup
    "__jsl_clearance",
    "yunsuo_session_verify",
    "security_verify_data",
    "cf-browser-verification",
    "challenge-platform",
    "cf_chl_opt",
    "safedog-flow",
)
_TS_RE = lazy(r"\$_ts\s*=\s*window")
_CHALLENGE_WORDS = (
    "安全验证",
    "访问验证",
    "请开启JavaScript",
    "请开启javascript",
    "人机验证",
    "Just a moment",
)
_CHALLENGE_MAX_TEXT = 300  # characters of visible text: a notice, not a page


def _has_challenge_marker(text: str) -> bool:
    """A gateway's own marker in the first 200 000 characters of the markup, in any case
    (substring tests on the lower-cased text: a case-blind regular expression reads a long
    page character by character)."""
    low = text[:200_000].lower()
    return any(m in low for m in _CHALLENGE_MARKERS) or (
        "$_ts" in low and _TS_RE.search(low) is not None
    )


def may_be_challenge_page(text: str) -> bool:
    """False when the markup alone rules a challenge out (no gateway marker, no challenge
    words anywhere): the visible text need not be computed. ``is_challenge_page`` decides."""
    return _has_challenge_marker(text) or any(w in text for w in _CHALLENGE_WORDS)


def is_challenge_page(text: str, visible: str) -> bool:
    """A gateway's challenge in place of the page (``text``: the markup, ``visible``: its
    visible text)."""
    if _has_challenge_marker(text):
        return len(_SPACE_RE.sub("", visible)) < 5 * _CHALLENGE_MAX_TEXT
    compact = _SPACE_RE.sub("", visible)
    return len(compact) < _CHALLENGE_MAX_TEXT and any(w in visible for w in _CHALLENGE_WORDS)


def extract_html(
    body: bytes, *, url: str, headers: Mapping[str, str] | None = None
) -> ExtractedPage:
    """Parse one portal page: the report body as body text, or a list page's links."""
    if not body.strip():
        raise EmptyDocumentError("empty page")
    if body.lstrip().startswith(b"%PDF-"):
        raise WrongFormatError("the page is a PDF document, not HTML")
    if body.startswith(b"PK\x03\x04"):
        raise WrongFormatError("the page is a zip/Office document, not HTML")
    text, encoding, warnings = decode_html(body, headers)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str with an XML declaration
    text = _NOT_XML_RE.sub("", text)  # control characters lxml parses but will not set again
    try:
        root = lxml.html.document_fromstring(text, parser=_HTML_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise EmptyDocumentError(f"no HTML document: {exc}") from exc
    visible = "".join(root.xpath("//text()[not(ancestor::script) and not(ancestor::style)]"))
    if is_challenge_page(text, visible):
        raise ChallengePageError("an anti-bot challenge page, not the document: retried next run")
    base = root.xpath("string(//base/@href)") or url
    base = join(url, base) or url  # a <base href> that is no URL: the page's own

    title = _title(root)
    publish_date = _iso_date(
        _meta_tag(root, "PubDate", "publishdate", "firstpublishedtime")
        or (_clean(root.xpath("string(//publishtime)")) or None)
    )
    _strip_tree(root, chrome=False)
    metadata, box = _metadata_box(root)
    publish_date = publish_date or _iso_date(
        metadata.get("公开日期") or metadata.get("发布日期") or metadata.get("成文日期")
    )
    if box is not None:
        box.drop_tree()
    if publish_date is None:  # an info bar: "发布时间：2023-01-18 来源：… 浏览次数：…"
        labelled = _LABELLED_DATE_RE.search(root.text_content())
        publish_date = _iso_date(labelled.group(1)) if labelled else None
    all_links = page_links(root, base)
    attachments = tuple(
        dict.fromkeys(link for link in all_links if is_attachment(link.url, link.text))
    )
    _strip_tree(root, chrome=True)
    chosen = _by_rules(root)
    if chosen is None:
        rule, container = "text_density", _by_density(root)
    else:
        rule, container = chosen
    lines = strip_chrome_lines(_render(container))
    if title and not any(title in line for line in lines[:3]):
        lines.insert(0, title)  # a body opens with its title, as body texts do
    body_text = "\n".join(lines)
    chars = len(_SPACE_RE.sub("", body_text))
    links_in_body = _link_length(container)
    # A list is mostly link text; a short block found only by density is no report either.
    min_chars = _MIN_REPORT_CHARS if rule == "text_density" else _MIN_RULE_TEXT
    kind = "report"
    if chars < min_chars or links_in_body > _MAX_LINK_DENSITY * max(chars, 1):
        kind = "list"
    if publish_date is None:
        publish_date = find_publish_date(lines)
    # A list page's links: those of its list block, else every link the page keeps.
    links: tuple[Link, ...] = ()
    if kind == "list":
        links = tuple(dict.fromkeys(page_links(container, base))) or tuple(dict.fromkeys(all_links))
    return ExtractedPage(
        url=url,
        kind=kind,
        body_text=body_text if kind == "report" else None,
        title=title,
        publish_date=publish_date,
        metadata=metadata,
        attachments=attachments,
        links=links,
        encoding=encoding,
        content_rule=rule,
        warnings=tuple(warnings),
    )
