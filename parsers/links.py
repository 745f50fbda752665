"""Links on a page: the one link extractor and the one attachment rule.

``html.py`` (a list page's links, a report page's attachments) and the crawler's spider
(what to follow) both read links through ``page_links`` and tell attachments by
``is_attachment``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.etree

from .patterns import lazy

__all__ = ["ATTACHMENT_RE", "Link", "is_attachment", "join", "link_label", "page_links"]

# Files a report comes as (Word, WPS, Excel, OFD, PDF) or in (an archive: stored, and its
# reason given, even though no extractor opens archives yet).
_FILE_TYPES = r"pdf|docx?|wps|xlsx?|et|ofd|zip|rar"
ATTACHMENT_RE = lazy(rf"\.(?:{_FILE_TYPES})(?:$|[?#&])", re.IGNORECASE)
# Download scripts whose URL names no file (博达 VSB ``/system/_content/download.jsp?…``,
# ``DownloadAttachUrl``, ``/attach/download?id=``): an attachment when the link text does.
_DOWNLOAD_URL_RE = lazy(r"download|attach|fujian|/file\b|getfile", re.IGNORECASE)
_FILE_NAME_RE = lazy(rf"\.(?:{_FILE_TYPES})\s*$", re.IGNORECASE)
_SPACE_RE = lazy(r"\s+")
_ELLIPSIS_RE = lazy(r"(?:\.{2,}|…+|。{2,})$")


@dataclass(frozen=True, slots=True)
class Link:
    """An absolute URL and the text it was linked with."""

    url: str
    text: str


def join(base: str, href: str) -> str | None:
    """``href`` made absolute, or None when it is no URL at all (``http://[zz]/``)."""
    try:
        return urljoin(base, href.strip())
    except ValueError:
        return None


def is_attachment(url: str, text: str = "") -> bool:
    """A link to a file: its URL ends in a document type, or a download script's link text
    is a file name (``洪泽区2023年政府信息公开工作年度报告.pdf``)."""
    if ATTACHMENT_RE.search(url):
        return True
    name = unicodedata.normalize("NFKC", text or "").strip()
    return bool(_DOWNLOAD_URL_RE.search(url) and _FILE_NAME_RE.search(name))


def _clean(text: str) -> str:
    return _SPACE_RE.sub(" ", text or "").strip()


def link_label(text: str, title: str) -> str:
    """What a link says: its text — or its ``title`` attribute where the text is empty or
    cut short for the list (``洪泽区2023年政府信息公开…`` with the whole title in ``title``)."""
    text, title = _clean(text), _clean(title)
    if not text:
        return title
    stem = _ELLIPSIS_RE.sub("", text).strip()
    if title and len(title) > len(stem) and (stem != text or title.startswith(stem)):
        return title
    return text


def page_links(element: lxml.etree._Element, base: str) -> list[Link]:
    """Every followable ``<a href>`` under ``element``, absolute, in page order."""
    out = []
    for anchor in element.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.lower().startswith(("javascript:", "#", "mailto:", "tel:")):
            continue
        url = join(base, href)
        if url is None:
            continue
        text = "".join(anchor.itertext())
        out.append(Link(url, link_label(text, anchor.get("title") or "")))
    return out
