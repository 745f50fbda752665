"""Registry import: every county of the real county list, stable pinyin ids, collisions."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

import pytest

from crawler.registry import SOURCES, import_registry, read_csv, site_id_for, slug, write_registry
from crawler.sites import REGISTRIES, load_sites
from simulator import demo_sites

COUNTIES = read_csv(SOURCES / "counties.csv")
CHANGES = read_csv(SOURCES / "changes_after_2024.csv")


@pytest.fixture(scope="module")
def sites() -> list:
    return import_registry(COUNTIES, CHANGES)


def test_the_shipped_sources_are_the_real_county_list() -> None:
    # counties.csv: 2 845 county-level divisions (MCA list of 2024-12-31 + 两江新区), 2 840
    # with a portal URL; SOURCES.md beside it names where each column came from.
    assert len(COUNTIES) == 2845
    assert sum(1 for row in COUNTIES if row["portal_url"]) == 2840
    assert (SOURCES / "SOURCES.md").exists()


def test_every_county_once_and_the_abolished_kept_as_historical(sites: list) -> None:
    assert len(sites) == 2845 + 2
    assert len({s.site_id for s in sites}) == len({s.division_code for s in sites}) == 2847
    historical = {(s.division_code, s.name) for s in sites if s.historical}
    assert historical == {("500105", "江北区"), ("500112", "渝北区")}
    jiangbei = next(s for s in sites if s.division_code == "500105")
    assert jiangbei.base_url == "http://www.cqjb.gov.cn/"


def test_status_from_the_probe(sites: list) -> None:
    statuses = Counter(s.status for s in sites)
    # 128 rows the source's probe could not reach (WAF blocks), 5 with no portal at all.
    assert statuses == {"ok": 2714, "blocked_when_probed": 128, "no_url": 5}
    no_url = {s.name for s in sites if s.status == "no_url"}
    assert no_url == {"西沙区", "南沙区", "和康县", "和安县", "金门县"}


def test_the_alternative_url_flips_the_scheme(sites: list) -> None:
    panyu = next(s for s in sites if s.division_code == "440113")
    assert panyu.base_url.startswith("http")
    scheme = "https" if panyu.base_url.startswith("http:") else "http"
    assert panyu.alt_urls == (scheme + panyu.base_url[panyu.base_url.index(":") :],)


def test_the_demo_counties_keep_their_ids(sites: list) -> None:
    by_code = {s.division_code: s.site_id for s in sites}
    for demo in demo_sites():
        if demo.site_id != "jiangsu_huaian":  # a prefecture, not in the county list
            assert by_code[demo.division_code] == demo.site_id


@pytest.mark.parametrize(
    ("province", "prefecture", "name", "site_id"),
    [
        ("北京市", "北京市", "朝阳区", "beijing_chaoyang"),  # not zhaoyang
        ("辽宁省", "朝阳市", "双塔区", "liaoning_chaoyang_shuangta"),
        ("山东省", "菏泽市", "单县", "shandong_heze_shanxian"),  # not danxian
        ("河南省", "新乡市", "长垣市", "henan_xinxiang_changyuan"),  # not zhangyuan
        ("山西省", "长治市", "长子县", "shanxi_changzhi_zhangzi"),
        ("陕西省", "西安市", "长安区", "shaanxi_xian_changan"),  # 陕西 is shaanxi
        ("四川省", "成都市", "郫都区", "sichuan_chengdu_pidu"),
        ("四川省", "凉山彝族自治州", "盐源县", "sichuan_liangshan_yanyuan"),
        ("云南省", "普洱市", "孟连傣族拉祜族佤族自治县", "yunnan_puer_menglian"),
        ("河南省", "省直辖县级行政区划", "济源市", "henan_jiyuan"),
        ("重庆市", "重庆市", "两江新区", "chongqing_liangjiang"),
        ("山西省", "阳泉市", "城区", "shanxi_yangquan_chengqu"),  # a one-character stem
        ("内蒙古自治区", "锡林郭勒盟", "锡林浩特市", "neimenggu_xilinguole_xilinhaote"),
        ("西藏自治区", "那曲市", "色尼区", "xizang_naqu_seni"),
    ],
)
def test_site_ids(province: str, prefecture: str, name: str, site_id: str) -> None:
    assert site_id_for(province, prefecture, name) == site_id


def test_colliding_names_are_told_apart_by_kind(sites: list) -> None:
    # Real pairs in one prefecture whose names read the same without the suffix.
    by_code = {s.division_code: s.site_id for s in sites}
    assert by_code["622901"] == "gansu_linxia_linxia_shi"  # 临夏市
    assert by_code["622921"] == "gansu_linxia_linxia_xian"  # 临夏县
    assert by_code["445303"] == "guangdong_yunfu_yunan_qu"  # 云安区
    assert by_code["445322"] == "guangdong_yunfu_yunan_xian"  # 郁南县 (yùnán)
    assert by_code["653201"] == "xinjiang_hetian_hetian_shi"


def test_collisions_beyond_the_kind_fall_back_to_the_code() -> None:
    rows = [
        {"adcode": "130101", "province": "河北省", "prefecture": "石家庄市", "name": "长安区"},
        {"adcode": "130102", "province": "河北省", "prefecture": "石家庄市", "name": "长安区"},
    ]
    ids = [s.site_id for s in import_registry(rows)]
    assert ids == ["hebei_shijiazhuang_changan_qu_130101", "hebei_shijiazhuang_changan_qu_130102"]


def test_ids_do_not_depend_on_row_order(sites: list) -> None:
    shuffled = list(COUNTIES)
    random.Random(7).shuffle(shuffled)
    again = import_registry(shuffled, CHANGES)
    assert [(s.division_code, s.site_id) for s in again] == [
        (s.division_code, s.site_id) for s in sites
    ]


def test_slug_is_ascii() -> None:
    assert slug("吕梁") == "lvliang"
    assert slug("") == ""


def test_the_committed_registry_is_the_import_of_the_shipped_sources(
    sites: list, tmp_path: Path
) -> None:
    out = tmp_path / "china.csv"
    write_registry(sites, out)
    assert out.read_bytes() == REGISTRIES["china"].read_bytes()
    loaded = load_sites(out)  # validates: ids, codes, provinces, URLs on .gov.cn
    assert [s.site_id for s in loaded] == [s.site_id for s in sites]
    with out.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == ["site_id", "division_code", "name"]
