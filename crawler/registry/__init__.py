"""Import the county registry: 区划代码 and portal URLs → ``Site`` rows with stable site_ids.

``site_id`` is ``<province>_<prefecture>_<county>`` in pinyin without the administrative
suffixes (``henan_kaifeng_xiangfu`` for 河南省开封市祥符区); the prefecture is left out for
the 直辖市 and for counties directly under a province (``henan_jiyuan``). Ids that would
collide are told apart by the county's kind (``_qu``, ``_xian``, ``_shi`` …) and, if that is
not enough, by the 区划代码 — every colliding row, so an id never depends on row order.
The sources and their licences are described in ``sources/SOURCES.md``.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import urlsplit

from ..sites import CSV_COLUMNS, Site

__all__ = ["import_registry", "read_csv", "site_id_for", "slug", "write_registry"]

SOURCES = resources.files(__package__) / "sources"  # package data, zipped or not

PROVINCE_SLUGS = {
    "北京市": "beijing", "天津市": "tianjin", "河北省": "hebei", "山西省": "shanxi",
    "内蒙古自治区": "neimenggu", "辽宁省": "liaoning", "吉林省": "jilin",
    "黑龙江省": "heilongjiang", "上海市": "shanghai", "江苏省": "jiangsu", "浙江省": "zhejiang",
    "安徽省": "anhui", "福建省": "fujian", "江西省": "jiangxi", "山东省": "shandong",
    "河南省": "henan", "湖北省": "hubei", "湖南省": "hunan", "广东省": "guangdong",
    "广西壮族自治区": "guangxi", "海南省": "hainan", "重庆市": "chongqing", "四川省": "sichuan",
    "贵州省": "guizhou", "云南省": "yunnan", "西藏自治区": "xizang", "陕西省": "shaanxi",
    "甘肃省": "gansu", "青海省": "qinghai", "宁夏回族自治区": "ningxia",
    "新疆维吾尔自治区": "xinjiang",
}  # fmt: skip
# Place-name readings pypinyin's phrase dictionary gets wrong (朝阳 is chaoyang, not
# zhaoyang); whole names first, then characters whose place-name reading is fixed.
NAME_READINGS = {"单县": "shanxian", "长子": "zhangzi", "繁峙": "fanshi", "筠连": "junlian"}
CHAR_READINGS = {"朝": "chao", "都": "du", "蚌": "beng", "长": "chang", "筠": "jun", "勒": "le"}
KIND_SLUGS = {
    "市辖区": "qu", "县": "xian", "县级市": "shi", "自治县": "zizhixian", "旗": "qi",
    "自治旗": "zizhiqi", "特区": "tequ", "林区": "linqu",
}  # fmt: skip
UNDER_PROVINCE = ("省直辖县级行政区划", "自治区直辖县级行政区划")
_ETHNIC = r"(?:[\u4e00-\u9fff]{1,4}?族)*"
_COUNTY_RE = re.compile(
    rf"^(?P<stem>.{{2,}}?){_ETHNIC}(?:自治县|自治旗|特区|林区|新区|县|区|市|旗)$"
)
_PREFECTURE_RE = re.compile(rf"^(?P<stem>.{{2,}}?){_ETHNIC}(?:自治州|地区|盟|市)$")


def slug(name: str) -> str:
    """Pinyin of a place name, lower-case ASCII letters only."""
    if name in NAME_READINGS:
        return NAME_READINGS[name]
    from pypinyin import lazy_pinyin  # its dictionaries load slowly: only when importing

    whole = lazy_pinyin(name)  # phrase readings, one syllable a character for Han text
    if len(whole) != len(name):
        whole = [lazy_pinyin(c)[0] if c.strip() else "" for c in name]
    syllables = [CHAR_READINGS.get(c, reading) for c, reading in zip(name, whole, strict=True)]
    return re.sub(r"[^a-z]", "", "".join(syllables).lower().replace("ü", "v"))


def _stem(name: str, pattern: re.Pattern[str]) -> str:
    match = pattern.match(name)
    return match["stem"] if match else name


def site_id_for(province: str, prefecture: str, name: str) -> str:
    parts = [PROVINCE_SLUGS[province]]
    if prefecture and prefecture != province and prefecture not in UNDER_PROVINCE:
        parts.append(slug(_stem(prefecture, _PREFECTURE_RE)))
    parts.append(slug(_stem(name, _COUNTY_RE)))
    return "_".join(parts)


def _alternative(url: str) -> str:
    parts = urlsplit(url)
    scheme = "http" if parts.scheme == "https" else "https"
    return parts._replace(scheme=scheme).geturl()


def _status(row: Mapping[str, str]) -> str:
    if not row.get("portal_url"):
        return "no_url"
    if "unreachable-in-probe" in row.get("url_source", ""):
        return "blocked_when_probed"
    return "ok"


def import_registry(
    counties: Iterable[Mapping[str, str]], changes: Iterable[Mapping[str, str]] = ()
) -> list[Site]:
    """Sites for every county-level division, and historical ones for those abolished."""
    rows: list[tuple[Mapping[str, str], bool, str]] = [
        (row, False, row.get("url_source", "")) for row in counties
    ]
    listed = {row["adcode"] for row, _, _ in rows}
    for change in changes:
        if change.get("change") == "abolished" and change.get("adcode") not in listed:
            row = {**change, "portal_url": change.get("portal_url", "")}
            rows.append((row, True, f"changes_after_2024.csv: abolished {change['effective']}"))
    rows.sort(key=lambda item: item[0]["adcode"])
    ids = [site_id_for(r["province"], r["prefecture"], r["name"]) for r, _, _ in rows]
    kinds = [r.get("level_kind") or _kind(r["name"]) for r, _, _ in rows]
    ids = _resolve(ids, [f"{i}_{KIND_SLUGS.get(k, 'x')}" for i, k in zip(ids, kinds, strict=True)])
    ids = _resolve(ids, [f"{i}_{r['adcode']}" for i, (r, _, _) in zip(ids, rows, strict=True)])
    sites = []
    for site_id, kind, (row, historical, source) in zip(ids, kinds, rows, strict=True):
        url = row.get("portal_url", "")
        sites.append(
            Site(
                site_id=site_id,
                division_code=row["adcode"],
                name=row["name"],
                base_url=url,
                platform="generic",
                province=row["province"],
                prefecture=row["prefecture"],
                level_kind=kind,
                alt_urls=(_alternative(url),) if url else (),
                status=_status(row),
                historical=historical,
                source=source,
            )
        )
    return sites


def _kind(name: str) -> str:
    for suffix, kind in (("自治县", "自治县"), ("自治旗", "自治旗"), ("县", "县"), ("旗", "旗")):
        if name.endswith(suffix):
            return kind
    return "市辖区" if name.endswith("区") else "县级市"


def _resolve(ids: list[str], alternatives: list[str]) -> list[str]:
    """Every id shared by more than one row is replaced by that row's alternative."""
    count: dict[str, int] = defaultdict(int)
    for site_id in ids:
        count[site_id] += 1
    return [alt if count[i] > 1 else i for i, alt in zip(ids, alternatives, strict=True)]


def read_csv(path: Traversable) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_registry(sites: Iterable[Site], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for site in sites:
            writer.writerow(site.to_csv())
            count += 1
    return count
