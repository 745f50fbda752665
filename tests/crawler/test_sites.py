"""The site registry: the bundled one is valid; a bad row is named in the error."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sites import REGISTRY, RegistryError, load_sites
from simulator import demo_sites

GOOD = """
[[site]]
site_id = "jiangsu_huaian_hongze"
division_code = "320813"
name = "洪泽区人民政府"
base_url = "http://www.hongze.gov.cn/"
platform = "generic"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, "utf-8")
    return path


def test_the_bundled_registry_holds_every_demo_portal() -> None:
    sites = load_sites(REGISTRY)
    assert {s.site_id for s in sites} == {s.site_id for s in demo_sites()}
    for site in sites:
        assert len(site.division_code) == 6
        assert site.starts
        assert site.allowed_hosts


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("site_id", '"Hongze"'), "site 2 (Hongze): site_id must be pinyin snake_case"),
        (("division_code", '"32081"'), "site 2 (jiangsu_huaian_x): division_code must be 6"),
        (("base_url", '"ftp://www.hongze.gov.cn/"'), "base_url must be an http(s) URL"),
        (("platform", '"wordpress"'), "unknown platform 'wordpress'"),
        (("name", None), "site 2 (jiangsu_huaian_x): missing name"),
        (
            ("entry_urls", '["http://www.example.com/gk/"]'),
            "http://www.example.com/gk/ is outside allowed_hosts",
        ),
    ],
)
def test_a_bad_row_is_named(tmp_path: Path, change: tuple[str, str | None], message: str) -> None:
    field, value = change
    lines = [
        f"{field} = {value}" if line.startswith(f"{field} =") else line
        for line in GOOD.replace("jiangsu_huaian_hongze", "jiangsu_huaian_x").splitlines()
    ]
    row = "\n".join(line for line in lines if value is not None or not line.startswith(field))
    if field not in GOOD:
        row += f'\n{field} = {value}\nallowed_hosts = ["www.hongze.gov.cn"]'
    with pytest.raises(RegistryError) as error:
        load_sites(write(tmp_path, GOOD + row))
    assert message in str(error.value)


def test_a_site_registered_twice_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="jiangsu_huaian_hongze is registered twice"):
        load_sites(write(tmp_path, GOOD + GOOD))


def test_a_missing_or_broken_registry_file_is_a_registry_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read the registry"):
        load_sites(tmp_path / "nothing.toml")
    with pytest.raises(RegistryError, match="not valid TOML"):
        load_sites(write(tmp_path, "[[site]\nsite_id = "))


def test_allowed_hosts_may_name_a_parent_domain(tmp_path: Path) -> None:
    text = GOOD + 'allowed_hosts = ["hongze.gov.cn"]\nentry_urls = ["http://gk.hongze.gov.cn/"]\n'
    (site,) = load_sites(write(tmp_path, text))
    assert site.allowed_hosts == ("hongze.gov.cn",)
    assert site.starts == ("http://gk.hongze.gov.cn/",)
