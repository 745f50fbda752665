"""The site registry: loaded, validated, one frozen record a site.

Two registries ship with the project (``GKNB_SITES`` picks one, or a path to your own):

* ``china`` — ``crawler/registry/china.csv``: every county-level division of China with its
  区划代码 and portal, imported from ``crawler/registry/sources/`` by ``scrapy sites import``;
* ``demo`` — ``crawler/sites.toml``: the demo portals served by the local simulator.

A registry is TOML (``[[site]]`` tables) or CSV (one row a site, lists joined with ``;``).
"""

from __future__ import annotations

import csv
import functools
import io
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import urlsplit

from parsers.families import PLATFORMS

from .discovery.hosts import belongs, host_of

__all__ = [
    "CSV_COLUMNS",
    "PLATFORMS",
    "PROVINCE_CODES",
    "REGISTRIES",
    "REGISTRY",
    "STATUSES",
    "RegistryError",
    "Site",
    "load_sites",
    "registry_path",
]

# Package data, read through importlib.resources: a file on disk in a source tree or a wheel,
# a member of the zip when the project runs from an egg (Scrapyd).
REGISTRY = resources.files(__package__) / "sites.toml"
REGISTRIES = {"demo": REGISTRY, "china": resources.files(__package__) / "registry" / "china.csv"}
STATUSES = frozenset({"ok", "no_url", "blocked_when_probed"})
# The first two digits of a 区划代码 name the province (GB/T 2260).
PROVINCE_CODES = {
    "北京市": "11", "天津市": "12", "河北省": "13", "山西省": "14", "内蒙古自治区": "15",
    "辽宁省": "21", "吉林省": "22", "黑龙江省": "23", "上海市": "31", "江苏省": "32",
    "浙江省": "33", "安徽省": "34", "福建省": "35", "江西省": "36", "山东省": "37",
    "河南省": "41", "湖北省": "42", "湖南省": "43", "广东省": "44", "广西壮族自治区": "45",
    "海南省": "46", "重庆市": "50", "四川省": "51", "贵州省": "52", "云南省": "53",
    "西藏自治区": "54", "陕西省": "61", "甘肃省": "62", "青海省": "63", "宁夏回族自治区": "64",
    "新疆维吾尔自治区": "65",
}  # fmt: skip
CSV_COLUMNS = (
    "site_id",
    "division_code",
    "name",
    "province",
    "prefecture",
    "level_kind",
    "base_url",
    "alt_urls",
    "status",
    "historical",
    "platform",
    "source",
)
_SITE_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
_CODE_RE = re.compile(r"^\d{6}$")


class RegistryError(ValueError):
    """A registry row that cannot be used; the message names the row."""


@dataclass(frozen=True)
class Site:
    site_id: str
    division_code: str
    name: str
    base_url: str
    platform: str
    province: str = ""
    prefecture: str = ""
    entry_urls: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    level_kind: str = ""
    alt_urls: tuple[str, ...] = ()  # other ways to the same portal (http↔https, another host)
    status: str = "ok"  # ok, no_url, blocked_when_probed (when the registry's source probed it)
    historical: bool = False  # merged or renamed: kept so that its earlier reports are found
    source: str = ""

    @property
    def starts(self) -> tuple[str, ...]:
        return self.entry_urls or ((self.base_url,) if self.base_url else ())

    def to_row(self) -> dict[str, object]:
        return {
            "site_id": self.site_id,
            "name": self.name,
            "division_code": self.division_code,
            "province": self.province,
            "prefecture": self.prefecture,
            "level_kind": self.level_kind,
            "base_url": self.base_url,
            "alt_urls": list(self.alt_urls),
            "platform": self.platform,
            "status": self.status,
            "historical": int(self.historical),
            "hosts": list(self.allowed_hosts),
            "entry_urls": list(self.starts),
        }

    def to_csv(self) -> dict[str, str]:
        return {
            "site_id": self.site_id,
            "division_code": self.division_code,
            "name": self.name,
            "province": self.province,
            "prefecture": self.prefecture,
            "level_kind": self.level_kind,
            "base_url": self.base_url,
            "alt_urls": ";".join(self.alt_urls),
            "status": self.status,
            "historical": "yes" if self.historical else "",
            "platform": self.platform,
            "source": self.source,
        }


def _list(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    if isinstance(value, Iterable):
        return tuple(str(part) for part in value)
    return ()


def _flag(value: object) -> bool:
    return value is True or str(value).strip().lower() in ("yes", "true", "1")


def _site(index: int, raw: Mapping[str, object]) -> Site:
    where = f"site {index + 1} ({raw.get('site_id') or '?'})"
    try:
        site_id = str(raw["site_id"])
        code = str(raw["division_code"])
        name = str(raw["name"])
    except KeyError as exc:
        raise RegistryError(f"{where}: missing {exc.args[0]}") from None
    if not name:
        raise RegistryError(f"{where}: missing name")
    base_url = str(raw.get("base_url") or "")
    status = str(raw.get("status") or ("ok" if base_url else "no_url"))
    if not _SITE_ID_RE.match(site_id):
        raise RegistryError(f"{where}: site_id must be pinyin snake_case")
    if not _CODE_RE.match(code):
        raise RegistryError(f"{where}: division_code must be 6 digits")
    province = str(raw.get("province") or "")
    if province and PROVINCE_CODES.get(province) != code[:2]:
        raise RegistryError(
            f"{where}: division_code {code} does not belong to {province} "
            f"({PROVINCE_CODES.get(province, 'unknown province')}xxxx)"
        )
    if status not in STATUSES:
        raise RegistryError(f"{where}: unknown status {status!r}")
    if not base_url and status != "no_url":
        raise RegistryError(f"{where}: missing base_url")
    if base_url and status == "no_url":
        raise RegistryError(f"{where}: status no_url but base_url {base_url}")
    platform = str(raw.get("platform") or "generic")
    if platform not in PLATFORMS:
        raise RegistryError(f"{where}: unknown platform {platform!r}")
    entries = _list(raw.get("entry_urls"))
    hosts = _list(raw.get("allowed_hosts"))
    alternatives = _list(raw.get("alt_urls"))
    for url in (base_url, *entries, *alternatives) if base_url else (*entries, *alternatives):
        parts = urlsplit(url)
        host = host_of(url)
        if parts.scheme not in ("http", "https") or not host:
            raise RegistryError(f"{where}: {url!r} must be an http(s) URL")
        if not host.endswith(".gov.cn"):
            raise RegistryError(f"{where}: {url} is not on a .gov.cn host")
        if hosts and url not in alternatives and not belongs(host, hosts):
            raise RegistryError(f"{where}: {url} is outside allowed_hosts {list(hosts)}")
    default_hosts = tuple(
        dict.fromkeys(h for u in (base_url, *alternatives) if (h := urlsplit(u).hostname))
    )
    return Site(
        site_id,
        code,
        name,
        base_url,
        platform,
        province,
        str(raw.get("prefecture") or ""),
        entries,
        hosts or default_hosts,
        str(raw.get("level_kind") or ""),
        alternatives,
        status,
        _flag(raw.get("historical")),
        str(raw.get("source") or ""),
    )


def registry_path(setting: str | Path | None) -> Traversable:
    """``demo``, ``china`` (the default: both package data) or the path of a registry file."""
    if not setting:
        return REGISTRIES["china"]
    return REGISTRIES.get(str(setting), Path(setting))


def _rows(path: Traversable) -> list[Mapping[str, object]]:
    try:
        with path.open("rb") as handle:
            if path.name.endswith(".csv"):
                text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
                return list(csv.DictReader(text))
            return list(tomllib.load(handle).get("site", []))
    except OSError as exc:
        raise RegistryError(f"cannot read the registry {path}: {exc.strerror or exc}") from exc
    except KeyError as exc:  # a member missing from a zipped package
        raise RegistryError(f"cannot read the registry {path}: not in the package") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path} is not valid TOML: {exc}") from exc


def load_sites(path: Traversable | str = REGISTRY) -> list[Site]:
    """Every registered site; a bad row raises ``RegistryError`` naming it.

    Read once per version of the file (its path, size and modification time; a member of a
    zipped package once): the crawl command checks the registry before the crawl loads it
    (0.1 s for the national one)."""
    if isinstance(path, str):
        path = Path(path)
    if not isinstance(path, Path):
        return list(_load(path, 0, 0))
    try:
        stat = path.stat()
    except OSError:
        return list(_load(path, 0, 0))  # says why it cannot be read
    return list(_load(path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _load(path: Traversable, mtime_ns: int, size: int) -> tuple[Site, ...]:
    sites = [_site(i, raw) for i, raw in enumerate(_rows(path))]
    ids: set[str] = set()
    codes: dict[str, str] = {}
    for site in sites:
        if site.site_id in ids:
            raise RegistryError(f"site_id {site.site_id} is registered twice")
        ids.add(site.site_id)
        if site.division_code in codes:
            raise RegistryError(
                f"division_code {site.division_code} is registered twice "
                f"({codes[site.division_code]}, {site.site_id})"
            )
        codes[site.division_code] = site.site_id
    return tuple(sites)
