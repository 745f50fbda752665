"""Scale mode: N synthetic county portals, the same bytes for the same seed.

Each portal runs one CMS family, publishes 5–15 years of its government's reports and,
on some portals, a department's and a township's.  A report's text is built from the real
corpus — the prose of a real report of its format (2021, 2019 or pre-2019), re-titled —
with figures drawn so that every printed sum holds; the headline figures go into the
manifest, so that parsing at scale can be scored exactly.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from importlib import resources

from parsers.template import APPLICANT_ADDENDS

from .families import (
    ReportSpec,
    build_generic,
    build_gkmlpt,
    build_hanweb,
    build_trs,
    build_trs_api,
    build_ucap,
    build_vsb,
)
from .families.common import Chrome, page
from .model import Resource, Site

__all__ = ["registry_toml", "synthetic_sites"]

CONTENT = resources.files(__package__) / "content"  # package data, zipped or not
_NAME_CHARS = "安宁平和丰泰永兴东新清河山阳城华长乐宝德昌盛嘉庆福寿源林"
_DEPARTMENTS = ("教育体育局", "卫生健康委员会", "自然资源局", "市场监督管理局", "财政局")
_TOWNSHIP_SUFFIX = ("镇", "乡", "街道办事处")
_COLUMNS_2021 = APPLICANT_ADDENDS  # the applicant columns before 总计
_RESULT_LABELS_2021 = (
    ("三、本年度办理结果\t(一) 予以公开", "disclosed"),
    ("\t(二) 部分公开(区分处理的,只计这一情形,不计其他情形)", "partially_disclosed"),
    ("\t(三) 不予公开\t1.属于国家秘密", None),
    ("\t\t2.其他法律行政法规禁止公开", None),
    ("\t\t3.危及“三安全一稳定”", None),
    ("\t\t4.保护第三方合法权益", None),
    ("\t\t5.属于三类内部事务信息", None),
    ("\t\t6.属于四类过程性信息", "process"),
    ("\t\t7.属于行政执法案卷", None),
    ("\t\t8.属于行政查询事项", None),
    ("\t(四) 无法提供\t1.本机关不掌握相关政府信息", "not_held"),
    ("\t\t2.没有现成信息需要另行制作", None),
    ("\t\t3.补正后申请内容仍不明确", None),
    ("\t(五) 不予处理\t1.信访举报投诉类申请", "petition"),
    ("\t\t2.重复申请", None),
    ("\t\t3.要求提供公开出版物", None),
    ("\t\t4.无正当理由大量反复申请", None),
    ("\t\t5.要求行政机关确认或重新出具已获取信息", None),
)


def _prose(name: str) -> list[str]:
    """The real report's paragraphs (no tables, no title), to dress synthetic reports in."""
    lines = (CONTENT / name).read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line.strip() and "\t" not in line][2:]


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _row(label: str, natural: int, commercial: int) -> str:
    """A 表三 row: 自然人, 商业企业, four empty 法人 columns as 0, and its 总计."""
    return f"{label}\t{natural}\t{commercial}\t0\t0\t0\t0\t{natural + commercial}"


def _applications(rng: random.Random) -> tuple[list[str], dict[str, int]]:
    """表三 rows whose every printed sum holds, and the headline figures."""
    received = rng.randint(0, 60)
    carried = rng.randint(0, 5)
    by_person = _split(received, 2, rng)  # natural persons, commercial
    # Carried over and forward are natural persons' requests, so every column balances.
    forward = rng.randint(0, min(by_person[0] + carried, 5))
    handled = received + carried - forward
    rows: list[str] = []
    rows.append(_row("一、本年新收政府信息公开申请数量", by_person[0], by_person[1]))
    rows.append(_row("二、上年结转政府信息公开申请数量", carried, 0))
    natural_handled = by_person[0] + carried - forward
    commercial_handled = by_person[1]
    keys = [key for _, key in _RESULT_LABELS_2021 if key]
    natural_parts = dict(zip(keys, _split(natural_handled, len(keys), rng), strict=True))
    commercial_parts = dict(zip(keys, _split(commercial_handled, len(keys), rng), strict=True))
    for label, key in _RESULT_LABELS_2021:
        rows.append(
            _row(
                label,
                natural_parts.get(key, 0) if key else 0,
                commercial_parts.get(key, 0) if key else 0,
            )
        )
    rows.append(
        _row(
            "\t(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            0,
            0,
        )
    )
    rows.append(
        _row("\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 0, 0)
    )
    rows.append(_row("\t\t3.其他", 0, 0))
    rows.append(_row("\t(七) 总计", natural_handled, commercial_handled))
    rows.append(_row("四、结转下年度继续办理", forward, 0))
    headline = {
        "applications/new_received/total": received,
        "applications/carried_over/total": carried,
        "applications/total_handled/total": handled,
        "applications/carried_forward/total": forward,
    }
    return rows, headline


def _review(rng: random.Random) -> tuple[str, dict[str, int]]:
    groups = []
    totals = []
    for _ in range(3):
        parts = [rng.randint(0, 2) for _ in range(4)]
        groups += [*parts, sum(parts)]
        totals.append(sum(parts))
    return "\t".join(map(str, groups)), {"review_litigation/review/total": totals[0]}


def _report_2021(publisher: str, year: int, rng: random.Random) -> tuple[str, dict[str, int]]:
    prose = _prose("002_1802fb2dfce92170.txt")
    rows, headline = _applications(rng)
    review, review_headline = _review(rng)
    issued, in_force = rng.randint(0, 20), rng.randint(20, 200)
    text = "\n".join(
        [
            f"{publisher}{year}年政府信息公开工作年度报告",
            "一、总体情况",
            *[
                p.replace(
                    "民权县", publisher[:-4] if publisher.endswith("人民政府") else publisher
                ).replace("2021", str(year))
                for p in prose[1:4]
            ],
            "二、主动公开政府信息情况",
            "第二十条第（一）项\t\t\t",
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
            "规章\t0\t0\t0",
            f"行政规范性文件\t{issued}\t0\t{in_force}",
            "第二十条第（五）项\t\t\t",
            "信息内容\t本年处理决定数量\t\t",
            f"行政许可\t{rng.randint(100, 20000)}\t\t",
            "三、收到和处理政府信息公开申请情况",
            "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t申请人情况\t\t\t\t\t\t总计",
            "\t自然人\t法人或其他组织\t\t\t\t\t",
            "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
            *rows,
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
            "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
            review,
            "五、存在的主要问题及改进情况",
            prose[-6] if len(prose) > 6 else prose[-1],
            "六、其他需要报告的事项",
            "无",
        ]
    )
    return text, {
        **headline,
        **review_headline,
        "active_disclosure/normative_documents/issued": issued,
    }


def _report_pre2019(publisher: str, year: int, rng: random.Random) -> tuple[str, dict[str, int]]:
    prose = _prose("004_921786cd5a80cdaf.txt")
    requests, reviews, published = rng.randint(0, 30), rng.randint(0, 3), rng.randint(200, 5000)
    text = "\n".join(
        [
            f"{publisher}{year}年度政府信息公开工作年度报告",
            "一、概述",
            *[p.strip() for p in prose[2:4]],
            "二、政府信息公开情况",
            f"（一）主动公开情况。一年来，主动公开政府信息数{published}条。",
            f"（二）依申请公开情况。{year}年我单位依申请公开{requests}项，均按时答复。",
            f"（三）行政复议情况。{year}年因政府信息公开申请行政复议{reviews}次。",
            "三、存在的主要问题及改进措施",
            prose[-3].strip() if len(prose) > 3 else "无",
        ]
    )
    return text, {
        "applications/new_received/total": requests,
        "review_litigation/review/total": reviews,
        "active_disclosure/all/published": published,
    }


Builder = Callable[..., Site]
_FAMILIES: tuple[tuple[str, Builder, dict[str, object]], ...] = (
    ("generic", build_generic, {}),
    ("generic_gbk", build_generic, {"charset": "gb2312"}),
    ("trs", build_trs, {}),
    ("hanweb", build_hanweb, {"per_page": 5}),
    ("gkmlpt", build_gkmlpt, {}),
)
# Home-only portals: every CMS family of the simulator.
_HOME_ONLY_FAMILIES = (
    *_FAMILIES,
    ("trs_api", build_trs_api, {}),
    ("vsb", build_vsb, {}),
    ("ucap", build_ucap, {"dept_path": "/xxgk/gknb/", "dept_name": ""}),
)


def _report(
    publisher: str, year: int, column: str, rng: random.Random
) -> tuple[ReportSpec, dict[str, int]]:
    # The synthetic reports use the 2021 layout from 2019 on (its tables) and free prose before.
    maker = _report_2021 if year >= 2019 else _report_pre2019
    text, figures = maker(publisher, year, rng)
    date = f"{year + 1}-01-{rng.randint(10, 28):02d}"
    title = text.split("\n", 1)[0]
    spec = ReportSpec(publisher, year, title, date, text=text, column=column, synthetic=True)
    return spec, figures


def synthetic_sites(n: int, seed: int = 0, *, home_only: bool = False) -> list[Site]:
    """``n`` synthetic county portals, deterministic for ``seed``.

    ``home_only``: each portal's disclosure area lives on another host — the county's
    ``xxgk.`` subdomain or a platform host of its own under another domain — reached from the
    home page through one or two pages (政务公开 → "<county>政府信息公开"), with a decoy link
    to the prefecture's disclosure platform that a crawler must not follow.
    """
    families = _HOME_ONLY_FAMILIES if home_only else _FAMILIES
    sites = []
    for index in range(n):
        rng = random.Random(f"gknb-scale|{seed}|{index}")
        family, builder, options = families[index % len(families)]
        county = "".join(rng.choice(_NAME_CHARS) for _ in range(2)) + "县"
        host = f"www.county{index:05d}.gov.cn"
        scheme = "https" if rng.random() < 0.4 else "http"
        platform = f"xxgk.county{index:05d}.gov.cn" if index % 2 else f"gk{index:05d}.zwgkpt.gov.cn"
        if family == "trs_api":
            options = {**options, "short_name": county}
        if family == "ucap":
            options = {**options, "dept_name": f"{county}人民政府"}
        site = Site(
            f"synthetic_{index:05d}",
            f"{county}人民政府",
            f"{990000 + index % 10000:06d}",
            f"{scheme}://{platform if home_only else host}/",
            family.replace("_gbk", ""),
            (platform if home_only else host,),
            notes=f"synthetic ({family}), seed {seed}",
        )
        last = 2024
        years = range(last - rng.randint(5, 15) + 1, last + 1)
        specs, figures = [], {}
        for year in years:
            spec, numbers = _report(f"{county}人民政府", year, "main", rng)
            specs.append(spec)
            figures[(spec.publisher, year)] = numbers
        if family in ("generic", "generic_gbk") and rng.random() < 0.6:
            department = county + rng.choice(_DEPARTMENTS)
            township = "".join(rng.choice(_NAME_CHARS) for _ in range(2)) + rng.choice(
                _TOWNSHIP_SUFFIX
            )
            for publisher in (department, township):
                for year in range(last - 2, last + 1):
                    spec, numbers = _report(publisher, year, publisher, rng)
                    specs.append(spec)
                    figures[(publisher, year)] = numbers
        built = builder(site, specs, **options)
        built.manifest = [
            replace(entry, synthetic=True, figures=figures.get((entry.publisher, entry.year)))
            for entry in built.manifest
        ]
        if home_only:
            _front_portal(built, f"{scheme}://{host}/", county, deep=index % 3 != 0)
        sites.append(built)
    return sites


def _front_portal(site: Site, home_url: str, county: str, *, deep: bool) -> None:
    """The county's own home page in front of its disclosure platform (``site.base_url``)."""
    platform_url = site.base_url
    host = home_url.split("://", 1)[1].strip("/")
    index = int(site.site_id.rsplit("_", 1)[1])
    decoy = f"http://xxgk.pref{index // 10:04d}.gov.cn/"  # not served: must not be asked
    chrome = Chrome(
        site.name,
        nav=[("首页", "/"), ("新闻中心", "/xwzx/"), ("政务公开", "/zwgk/index.html")],
        footer=f"网站标识码{site.division_code}0001",
    )
    ctype = "text/html; charset=utf-8"
    gateway = f'<li><a href="{platform_url}">{county}政府信息公开</a></li>'
    links = [
        '<li><a href="/xwzx/">今日要闻</a></li>',
        f'<li><a href="{decoy}">市政府信息公开</a></li>',
        '<li><a href="/zwgk/index.html">政务公开</a></li>' if deep else gateway,
    ]
    home = f'<div class="portal"><ul>{"".join(links)}</ul></div>'
    site.add(home_url, Resource(page(chrome, site.name, home).encode(), ctype))
    news = '<div class="list-box"><h3>新闻中心</h3><ul><li>暂无新闻</li></ul></div>'
    site.add(f"{home_url}xwzx/", Resource(page(chrome, "新闻中心", news).encode(), ctype))
    if deep:
        area = (
            '<div class="zwgk"><ul><li><a href="/zwgk/zcjd/">政策解读</a></li>'
            f'{gateway}<li><a href="{decoy}">市政府信息公开平台</a></li></ul></div>'
        )
        site.add(
            f"{home_url}zwgk/index.html", Resource(page(chrome, "政务公开", area).encode(), ctype)
        )
    site.add(f"{home_url}robots.txt", Resource(b"User-agent: *\nAllow: /\n", "text/plain"))
    site.base_url = home_url
    site.hosts = (host, *site.hosts)


def registry_toml(sites: list[Site]) -> str:
    """The registry a user would write for these portals: name, code and home page only."""
    return "".join(
        f'[[site]]\nsite_id = "{s.site_id}"\ndivision_code = "{s.division_code}"\n'
        f'name = "{s.name}"\nbase_url = "{s.base_url}"\n\n'
        for s in sites
    )
