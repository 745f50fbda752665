"""CMS families of county portals: each builds a Site's pages from report specs.

A family fixes URL schemes, list markup and pagination, and where the body sits; the
content is always a real report (or a document made from one, marked synthetic).
"""

from .common import Attachment, ReportSpec
from .generic import build_generic
from .gkmlpt import build_gkmlpt
from .hanweb import build_hanweb
from .trs import build_trs
from .trs_api import build_trs_api
from .ucap import build_ucap
from .vsb import build_vsb

__all__ = [
    "Attachment",
    "ReportSpec",
    "build_generic",
    "build_gkmlpt",
    "build_hanweb",
    "build_trs",
    "build_trs_api",
    "build_ucap",
    "build_vsb",
]
