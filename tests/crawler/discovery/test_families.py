"""CMS family detection from page markup."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.families import detect_platform
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


def test_one_table_serves_registry_spider_and_extractor() -> None:
    from crawler.sites import PLATFORMS
    from parsers import html
    from parsers.families import FAMILIES, LIST_PARSERS, content_rules

    assert {family.name for family in FAMILIES} | {"generic"} == PLATFORMS
    assert content_rules() == html.CONTENT_RULES
    for family in FAMILIES:
        assert family.markers == tuple(m.lower() for m in family.markers)
        for kind, reader in family.lists.items():
            assert LIST_PARSERS[kind] is reader
    names = [name for name, _ in content_rules()]
    assert len(names) == len(set(names))


def test_every_family_has_a_simulator_builder() -> None:
    from parsers.families import FAMILIES

    builders = {site.family for site in demo_sites()} | {
        p.stem
        for p in Path(__file__).resolve().parents[3].joinpath("simulator", "families").glob("*.py")
    }
    assert {family.name for family in FAMILIES} <= builders
