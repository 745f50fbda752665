"""The demo portals: the five seed counties, the PDF publishers and a department sub-site.

Each serves real report content at its real host name (from the registry), laid out as
its CMS family lays it out.  The HTML rendition of 淮安市's 2024 PDF report is derived from
the real PDF (its extracted text) and marked synthetic in the manifest.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from importlib import resources

from parsers.chrome import strip_chrome_text
from parsers.meta import find_title
from parsers.pdf import extract_pdf

from .families import (
    Attachment,
    ReportSpec,
    build_generic,
    build_gkmlpt,
    build_hanweb,
    build_trs,
    build_trs_api,
    build_ucap,
)
from .model import Site

__all__ = ["demo_sites"]

CONTENT = resources.files(__package__) / "content"  # package data, zipped or not
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(name: str) -> str:
    return (CONTENT / name).read_text(encoding="utf-8")


def _from_title(text: str) -> str:
    """A whole page's text (seed 004) cut to the report: from its title line on."""
    lines = strip_chrome_text(text).split("\n")
    title = find_title(lines)
    start = next((i for i, line in enumerate(lines) if title and title in line), 0)
    return "\n".join(line.strip() for line in lines[start:])


def _as_publisher(text: str, printed: str, publisher: str) -> str:
    """A real report re-titled for another publisher (a synthetic department/township copy)."""
    lines = text.split("\n")
    head = [line.replace(printed, publisher) for line in lines[:5]]
    return "\n".join(head + lines[5:])


def _pdf(name: str) -> Attachment:
    return Attachment((CONTENT / name).read_bytes(), "pdf", PDF)


def _synthetic(name: str) -> Attachment:
    path = CONTENT / "synthetic" / name
    suffix = path.name.rsplit(".", 1)[-1]
    kind = PDF if suffix == "pdf" else DOCX
    readable = "scan" not in name
    return Attachment(path.read_bytes(), suffix, kind, synthetic=True, readable=readable)


def _site(site_id: str, name: str, code: str, base_url: str, family: str, notes: str) -> Site:
    host = base_url.split("://", 1)[1].strip("/")
    return Site(site_id, name, code, base_url, family, (host,), notes=notes)


@cache
def _huaian_text() -> str:
    return extract_pdf((CONTENT / "001_huaian_shi_2024.pdf").read_bytes()).body_text


def demo_sites() -> list[Site]:
    """Build the demo portals (deterministic: the same bytes on every call)."""
    sites = []

    xiangfu = _site(
        "henan_kaifeng_xiangfu",
        "开封市祥符区人民政府",
        "410212",
        "https://www.xiangfuqu.gov.cn/",
        "trs",
        "TRS WCM column paged by createPageHTML (one report per page); https only.",
    )
    sites.append(
        build_trs(
            xiangfu,
            [
                ReportSpec(
                    "祥符区人民政府",
                    2021,
                    "祥符区人民政府2021年政府信息公开工作年度报告",
                    "2022-01-20",
                    text=_text("000_9eac42a2908535b6.txt"),
                ),
                ReportSpec(
                    "开封市祥符区人民政府",
                    2016,
                    "开封市祥符区人民政府2016年度政府信息公开工作年度报告",
                    "2017-03-04",
                    text=_from_title(_text("004_921786cd5a80cdaf.txt")),
                ),
            ],
            page_size=1,
        )
    )

    minquan_text = _text("002_1802fb2dfce92170.txt")
    minquan = _site(
        "henan_shangqiu_minquan",
        "民权县人民政府",
        "411421",
        "http://www.minquan.gov.cn/",
        "generic",
        "A plain portal served in GB2312/GBK (charset declared gb2312).",
    )
    sites.append(
        build_generic(
            minquan,
            [
                ReportSpec(
                    "民权县人民政府",
                    2021,
                    "民权县人民政府2021年政府信息公开工作年度报告",
                    "2022-01-25",
                    text=_text("002_1802fb2dfce92170.txt"),
                    attachment=_synthetic("minquan_2021_form.pdf"),
                ),
                ReportSpec(
                    "民权县人民政府",
                    2021,
                    "民权县人民政府2021年政府信息公开工作年度报告（大字版）",
                    "2022-01-25",
                    attachment=_synthetic("minquan_2021_form_large.pdf"),
                ),
                ReportSpec(
                    "民权县人民政府",
                    2021,
                    "民权县人民政府2021年政府信息公开工作年度报告（Word版）",
                    "2022-01-25",
                    attachment=_synthetic("minquan_2021_form.docx"),
                ),
                ReportSpec(
                    "民权县教育体育局",
                    2021,
                    "民权县教育体育局2021年政府信息公开工作年度报告",
                    "2022-01-26",
                    text=_as_publisher(minquan_text, "民权县人民政府", "民权县教育体育局"),
                    column="民权县教育体育局",
                    synthetic=True,
                ),
                ReportSpec(
                    "人和镇人民政府",
                    2021,
                    "人和镇人民政府2021年政府信息公开工作年度报告",
                    "2022-01-27",
                    text=_as_publisher(minquan_text, "民权县人民政府", "人和镇人民政府"),
                    column="人和镇",
                    synthetic=True,
                ),
            ],
            charset="gb2312",
            page_size=2,
        )
    )

    xigong = _site(
        "henan_luoyang_xigong",
        "洛阳市西工区人民政府",
        "410303",
        "http://www.xigong.gov.cn/",
        "hanweb",
        "大汉 Hanweb: the 年报 list is a jpage XML stream, one record a page.",
    )
    sites.append(
        build_hanweb(
            xigong,
            [
                ReportSpec(
                    "西工区人民政府",
                    2020,
                    "西工区人民政府2020年政府信息公开工作年度报告",
                    "2021-01-28",
                    text=_text("001_7b3c60a2029ed6a7.txt"),
                ),
            ],
            per_page=1,
        )
    )

    panyu = _site(
        "guangdong_guangzhou_panyu",
        "广州市番禺区人民政府",
        "440113",
        "https://www.panyu.gov.cn/",
        "gkmlpt",
        "Guangdong gkmlpt: an app shell whose 年报 list is a JSON API.",
    )
    sites.append(
        build_gkmlpt(
            panyu,
            [
                ReportSpec(
                    "广州市番禺区人民政府",
                    2021,
                    "广州市番禺区人民政府2021年政府信息公开工作年度报告",
                    "2022-01-28",
                    text=_text("003_9a9840e34a30576e.txt"),
                ),
            ],
        )
    )

    hongze = _site(
        "jiangsu_huaian_hongze",
        "淮安市洪泽区人民政府",
        "320813",
        "http://www.hongze.gov.cn/",
        "generic",
        "Report pages that only link the report as a PDF attachment.",
    )
    sites.append(
        build_generic(
            hongze,
            [
                ReportSpec(
                    "洪泽区人民政府",
                    2023,
                    "洪泽区人民政府2023年政府信息公开工作年度报告",
                    "2024-02-26",
                    attachment=_pdf("002_hongze_qu_2023.pdf"),
                ),
                ReportSpec(
                    "淮安市洪泽区人民政府",
                    2024,
                    "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
                    "2025-02-25",
                    attachment=_pdf("003_hongze_qu_2024.pdf"),
                ),
                ReportSpec(
                    "洪泽区人民政府",
                    2023,
                    "洪泽区人民政府2023年政府信息公开工作年度报告（扫描件）",
                    "2024-02-27",
                    attachment=_synthetic("hongze_2023_scan.pdf"),
                ),
            ],
        )
    )

    huaian = _site(
        "jiangsu_huaian",
        "淮安市人民政府",
        "320800",
        "http://www.huaian.gov.cn/",
        "trs_api",
        "TRS 动静结合 column (the real 平潭 list page markup): page 1 static, page 2 only from the"
        " search API. One report published twice: an HTML page (text taken from the PDF) and"
        " the PDF.",
    )
    huaian_spec = ReportSpec(
        "淮安市人民政府",
        2024,
        "淮安市人民政府2024年政府信息公开工作年度报告",
        "2025-02-25",
        text=_huaian_text(),
        attachment=_pdf("001_huaian_shi_2024.pdf"),
        duplicate=True,
    )
    built = build_trs_api(huaian, [huaian_spec], page_size=2, short_name="淮安市")
    built.manifest = [replace(e, synthetic=e.kind == "report_page") for e in built.manifest]
    sites.append(built)

    shuyang = _site(
        "jiangsu_suqian_shuyang",
        "沭阳县人民政府",
        "321322",
        "http://www.shuyang.gov.cn/",
        "ucap",
        "开普云 department sub-site (沭阳县发展和改革局) serving the real captured page.",
    )
    shuyang_url = (
        "http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml"
    )
    sites.append(
        build_ucap(
            shuyang,
            [
                ReportSpec(
                    "沭阳县发展和改革局",
                    2023,
                    "沭阳县发展和改革局2023年政府信息公开年度报告",
                    "2024-01-17",
                    raw_page=(CONTENT / "002_shuyang_fgj_2023_report_ucap.html").read_bytes(),
                    raw_url=shuyang_url,
                    column="沭阳县发展和改革局",
                ),
            ],
            dept_path="/sygfj/gknb/",
            dept_name="沭阳县发展和改革局",
        )
    )
    return sites
