"""The site registry (``crawler/sites.toml``): loaded, validated, one frozen record a site."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["PLATFORMS", "REGISTRY", "RegistryError", "Site", "load_sites"]

REGISTRY = Path(__file__).with_name("sites.toml")
PLATFORMS = frozenset({"trs", "trs_api", "hanweb", "gkmlpt", "ucap", "vsb", "generic"})
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

    @property
    def starts(self) -> tuple[str, ...]:
        return self.entry_urls or (self.base_url,)

    def to_row(self) -> dict[str, object]:
        return {
            "site_id": self.site_id,
            "name": self.name,
            "division_code": self.division_code,
            "province": self.province,
            "prefecture": self.prefecture,
            "base_url": self.base_url,
            "platform": self.platform,
            "hosts": list(self.allowed_hosts),
            "entry_urls": list(self.starts),
        }


def _site(index: int, raw: dict[str, object]) -> Site:
    where = f"site {index + 1} ({raw.get('site_id', '?')})"
    try:
        site_id = str(raw["site_id"])
        code = str(raw["division_code"])
        base_url = str(raw["base_url"])
        name = str(raw["name"])
    except KeyError as exc:
        raise RegistryError(f"{where}: missing {exc.args[0]}") from None
    if not _SITE_ID_RE.match(site_id):
        raise RegistryError(f"{where}: site_id must be pinyin snake_case")
    if not _CODE_RE.match(code):
        raise RegistryError(f"{where}: division_code must be 6 digits")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistryError(f"{where}: base_url must be an http(s) URL")
    platform = str(raw.get("platform", "generic"))
    if platform not in PLATFORMS:
        raise RegistryError(f"{where}: unknown platform {platform!r}")
    entries = tuple(str(u) for u in raw.get("entry_urls", []) or [])  # type: ignore[union-attr]
    hosts = tuple(str(h) for h in raw.get("allowed_hosts", []) or [])  # type: ignore[union-attr]
    for url in (base_url, *entries):
        host = urlsplit(url).hostname
        if urlsplit(url).scheme not in ("http", "https") or not host:
            raise RegistryError(f"{where}: entry URL {url!r} must be an http(s) URL")
        if hosts and not any(host == h or host.endswith(f".{h}") for h in hosts):
            raise RegistryError(f"{where}: {url} is outside allowed_hosts {list(hosts)}")
    return Site(
        site_id,
        code,
        name,
        base_url,
        platform,
        str(raw.get("province", "")),
        str(raw.get("prefecture", "")),
        entries,
        hosts or (parts.hostname,),
    )


def load_sites(path: Path = REGISTRY) -> list[Site]:
    """Every registered site; a bad row raises ``RegistryError`` naming it."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise RegistryError(f"cannot read the registry {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path} is not valid TOML: {exc}") from exc
    sites = [_site(i, raw) for i, raw in enumerate(data.get("site", []))]
    seen: set[str] = set()
    for site in sites:
        if site.site_id in seen:
            raise RegistryError(f"site_id {site.site_id} is registered twice")
        seen.add(site.site_id)
    return sites
