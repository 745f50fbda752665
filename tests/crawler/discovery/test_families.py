"""CMS family detection from page markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.discovery.families import detect_platform
from simulator import demo_sites

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"


@pytest.mark.parametrize(
    ("fixture", "platform"),
    [
        ("001_pingtan_zfxxgknb_list_trs.html", "trs_api"),  # real: require(['list2.trsapi'])
        ("002_shuyang_fgj_2023_report_ucap.html", "ucap"),  # real: <ucapcontent>
    ],
)
def test_real_pages(fixture: str, platform: str) -> None:
    assert detect_platform((FIXTURES / fixture).read_text("utf-8")) == platform


@pytest.mark.parametrize(
    ("markup", "platform"),
    [
        ('<script src="/module/web/jpage/dataproxy.jsp"></script>', "hanweb"),
        ('<a href="/gkmlpt/index">政府信息公开</a>', "gkmlpt"),
        ('<div class="TRS_Editor"><p>正文</p></div>', "trs"),
        ("<script>createPageHTML(5, 0, 'index', 'html');</script>", "trs"),
        ('<link rel="stylesheet" type="text/css" href="index.vsb.css" />', "vsb"),
        ('<script src="/system/resource/js/counter.js"></script>', "vsb"),
        ("<html><body><p>民权县人民政府</p></body></html>", "generic"),
    ],
)
def test_markers(markup: str, platform: str) -> None:
    assert detect_platform(markup) == platform


def test_the_simulated_families_are_recognised_from_their_list_pages() -> None:
    wanted = {
        "henan_kaifeng_xiangfu": "trs",
        "henan_luoyang_xigong": "hanweb",
        "guangdong_guangzhou_panyu": "gkmlpt",
        "jiangsu_suqian_shuyang": "ucap",
    }
    for site in demo_sites():
        if site.site_id in wanted:
            seen = {
                detect_platform(r.body.decode("utf-8", "replace"))
                for r in site.resources.values()
                if r.content_type.startswith("text/html")
            }
            assert wanted[site.site_id] in seen, site.site_id
