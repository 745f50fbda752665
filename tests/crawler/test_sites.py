"""The site registry: the bundled one is valid; a bad row is named in the error."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.sites import (
    CSV_COLUMNS,
    REGISTRIES,
    REGISTRY,
    RegistryError,
    load_sites,
    registry_path,
)
from simulator import demo_sites

GOOD = """
[[site]]
site_id = "jiangsu_huaian_hongze"
division_code = "320813"
name = "洪泽区人民政府"
province = "江苏省"
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
        (
            ("base_url", '"ftp://www.hongze.gov.cn/"'),
            "'ftp://www.hongze.gov.cn/' must be an http(s) URL",
        ),
        (
            ("base_url", '"http://www.hongze.com/"'),
            "http://www.hongze.com/ is not on a .gov.cn host",
        ),
        (("division_code", '"410212"'), "division_code 410212 does not belong to 江苏省 (32xxxx)"),
        (("status", '"closed"'), "unknown status 'closed'"),
        (("status", '"no_url"'), "status no_url but base_url http://www.hongze.gov.cn/"),
        (("platform", '"wordpress"'), "unknown platform 'wordpress'"),
        (("name", None), "site 2 (jiangsu_huaian_x): missing name"),
        (
            ("entry_urls", '["http://xxgk.huaian.gov.cn/gk/"]'),
            "http://xxgk.huaian.gov.cn/gk/ is outside allowed_hosts",
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


def test_a_division_code_registered_twice_is_an_error(tmp_path: Path) -> None:
    twice = GOOD + GOOD.replace("jiangsu_huaian_hongze", "jiangsu_huaian_other")
    with pytest.raises(RegistryError, match="division_code 320813 is registered twice"):
        load_sites(write(tmp_path, twice))


def test_a_csv_registry(tmp_path: Path) -> None:
    path = tmp_path / "sites.csv"
    path.write_text(
        ",".join(CSV_COLUMNS)
        + "\njiangsu_huaian_hongze,320813,洪泽区,江苏省,淮安市,市辖区,http://www.hongze.gov.cn/,"
        "https://www.hongze.gov.cn/,ok,,generic,test"
        "\nhainan_sansha_xisha,460302,西沙区,海南省,三沙市,市辖区,,,no_url,,generic,test"
        "\nchongqing_jiangbei,500105,江北区,重庆市,重庆市,市辖区,http://www.cqjb.gov.cn/,,ok,yes,,\n",
        "utf-8",
    )
    hongze, xisha, jiangbei = load_sites(path)
    assert hongze.alt_urls == ("https://www.hongze.gov.cn/",)
    assert hongze.allowed_hosts == ("www.hongze.gov.cn",)
    assert (xisha.status, xisha.base_url, xisha.starts) == ("no_url", "", ())
    assert jiangbei.historical and jiangbei.platform == "generic"


def test_registry_names() -> None:
    assert registry_path("demo") == REGISTRY
    assert registry_path(None) == registry_path("china") == REGISTRIES["china"]
    assert registry_path("/tmp/mine.toml") == Path("/tmp/mine.toml")


def test_an_edited_registry_is_read_again(tmp_path: Path) -> None:
    """Loaded once per version of the file (the crawl command checks it before the crawl
    loads it): an edit is seen, a second load of the same file is the same sites."""
    path = write(tmp_path, GOOD)
    first = load_sites(path)
    assert load_sites(path) == first and load_sites(path) is not first  # a list of its own
    path.write_text(GOOD.replace("洪泽区人民政府", "淮安市洪泽区人民政府"), "utf-8")
    assert [s.name for s in load_sites(path)] == ["淮安市洪泽区人民政府"]
