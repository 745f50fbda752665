"""The spider's callbacks on saved real pages (in the manner of city-scrapers' ``file_response``
tests): a list page → the requests it must make; a report page → the document it yields."""

from __future__ import annotations

import inspect
from pathlib import Path

import scrapy
from scrapy.http import HtmlResponse, Request
from scrapy.utils.misc import is_generator_with_return_value, walk_modules_iter

from crawler.discovery.hosts import SitePolicy
from crawler.items import FetchedDocument
from crawler.sites import Site
from crawler.spiders.reports import ReportsSpider

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"
PINGTAN = Site(
    site_id="fujian_fuzhou_pingtan",
    division_code="350128",
    name="平潭综合实验区",
    base_url="https://www.pingtan.gov.cn/",
    platform="trs_api",
    allowed_hosts=("www.pingtan.gov.cn",),
)
SHUYANG = Site(
    site_id="jiangsu_suqian_shuyang",
    division_code="321322",
    name="沭阳县人民政府",
    base_url="http://www.shuyang.gov.cn/",
    platform="ucap",
    allowed_hosts=("www.shuyang.gov.cn",),
)
LIST_URL = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"
REPORT_URL = "http://www.shuyang.gov.cn/sygfj/gknb/202401/2ecfb31a335f4d689220a3a23e24a986.shtml"


def file_response(name: str, url: str, **meta: object) -> HtmlResponse:
    """A saved page as the spider would get it, with the request that asked for it."""
    request = Request(url, meta={"hops": 1, **meta})
    body = (FIXTURES / name).read_bytes()
    return HtmlResponse(url=url, body=body, encoding="utf-8", request=request)


def spider(*sites: Site, **kwargs: str) -> ReportsSpider:
    s = ReportsSpider(**kwargs)
    s.use_policy(SitePolicy(sites))
    return s


def test_a_real_list_page_asks_for_every_report_and_the_api_page() -> None:
    response = file_response(
        "001_pingtan_zfxxgknb_list_trs.html", LIST_URL, site_id=PINGTAN.site_id
    )
    requests = [r for r in spider(PINGTAN).parse_page(response) if isinstance(r, scrapy.Request)]
    reports = {
        r.meta["link_text"]: r.url for r in requests if r.meta.get("document") == "report_page"
    }
    # The ten items of the static list, as printed on the page (2016–2025).
    assert sorted(reports) == [
        f"平潭综合实验区{y}年度政府信息公开工作年度报告" for y in range(2016, 2026)
    ]
    assert reports["平潭综合实验区2025年度政府信息公开工作年度报告"] == (
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202603/t20260313_105587.htm"
    )
    # Page 2 lives behind the TRS search API (动静结合, recordCount 20, 10 a page).
    api = [r for r in requests if r.meta.get("list_kind") == "trs_api_list"]
    assert [r.url for r in api] == [
        "https://www.pingtan.gov.cn/fjdzapp/search?channelid=200210&classsql=chnlid%3D1813"
        "&prepage=10&page=2"
    ]
    # Never off the site: the footer's provincial and national links are not followed.
    assert all(r.url.startswith("https://www.pingtan.gov.cn/") for r in requests)


def test_a_year_filter_keeps_only_those_reports() -> None:
    response = file_response(
        "001_pingtan_zfxxgknb_list_trs.html", LIST_URL, site_id=PINGTAN.site_id
    )
    s = spider(PINGTAN, years="2020-2021")
    years = [
        r.meta["link_text"][7:11]
        for r in s.parse_page(response)
        if isinstance(r, scrapy.Request) and r.meta.get("document")
    ]
    assert sorted(years) == ["2020", "2021"]


def test_a_real_report_page_is_yielded_with_its_provenance() -> None:
    response = file_response(
        "002_shuyang_fgj_2023_report_ucap.html",
        REPORT_URL,
        site_id=SHUYANG.site_id,
        link_text="沭阳县发展和改革局2023年政府信息公开年度报告",
    )
    out = list(spider(SHUYANG).parse_report_page(response))
    documents = [o for o in out if isinstance(o, FetchedDocument)]
    assert len(documents) == 1
    document = documents[0]
    assert (document.kind, document.site_id, document.url) == (
        "report_page",
        SHUYANG.site_id,
        REPORT_URL,
    )
    assert document.body == response.body and document.platform == "ucap"
    assert document.link_text == "沭阳县发展和改革局2023年政府信息公开年度报告"
    # Its attachments, if any, are requested as documents on the site's own hosts.
    for request in (o for o in out if isinstance(o, scrapy.Request)):
        assert request.meta["document"] == "attachment"
        assert "shuyang.gov.cn" in request.url


def test_a_navigation_page_that_is_not_text_or_is_a_challenge_is_never_kept_as_good() -> None:
    """Only a page the spider could read is stored whole and revalidated next time; a
    challenge page is retried once in the run, a binary answer is not."""
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from simulator.faults import challenge_page

    s = spider(PINGTAN)
    s._set_crawler(get_crawler(ReportsSpider))  # Scrapy's retry counts in the crawl's stats
    request = Request(LIST_URL, meta={"hops": 1, "site_id": PINGTAN.site_id, "role": "column"})
    binary = Response(
        url=LIST_URL,
        body=b"\x00\x01\x02",
        headers={"Content-Type": "application/octet-stream"},
        request=request,
    )
    out = list(s.parse_page(binary))
    assert [type(o) for o in out] == [FetchedDocument]
    assert out[0].error is not None and out[0].error.startswith("wrong_format")
    challenge = HtmlResponse(url=LIST_URL, body=challenge_page(), encoding="utf-8", request=request)
    out = list(s.parse_page(challenge))
    assert out[0].error is not None and out[0].error.startswith("challenge_page")
    retries = [o for o in out[1:] if isinstance(o, scrapy.Request)]
    assert [(r.url, r.meta["retry_times"]) for r in retries] == [(LIST_URL, 1)]


def test_a_report_page_yields_its_attachment_links_with_the_document() -> None:
    """What the store keeps so that the page, while fresh, need not be read again
    (``FreshDocumentsMiddleware``): every attachment link it shows, on the site's hosts or
    not (which are followed is decided when they are: the site's hosts may change)."""
    pdf = "http://www.shuyang.gov.cn/uploadfiles/2023nb.pdf"
    away = "http://www.example.com/2023nb.pdf"
    body = (
        f"<html><body><a href='{pdf}'>2023年报告全文.pdf</a><a href='{away}'>转载.pdf</a>"
        "<a href='/zwgk/'>返回</a></body></html>"
    ).encode()

    def read(flags: list[str], **meta: object) -> list[object]:
        request = Request(REPORT_URL, meta={"hops": 3, "site_id": SHUYANG.site_id, **meta})
        response = HtmlResponse(
            REPORT_URL, body=body, encoding="utf-8", request=request, flags=flags
        )
        return list(spider(SHUYANG).parse_report_page(response))

    document, *requests = read([])
    assert isinstance(document, FetchedDocument)
    assert document.links == ((pdf, "2023年报告全文.pdf"), (away, "转载.pdf"))
    assert [r.url for r in requests] == [pdf]  # type: ignore[attr-defined]
    assert document.sha256 is None  # new bytes: the pipeline hashes them as it stores them
    document, *_ = read(["not_modified", "fresh"], known_sha256="ab" * 32)
    assert isinstance(document, FetchedDocument)
    assert document.sha256 == "ab" * 32 and document.fresh and document.links


def _portal_pages() -> list[tuple[Site, str, bytes, str]]:
    """Every HTML page the demo portals and 30 synthetic ones serve: (site, URL, bytes,
    content type), with the registry rows the crawl would use for them."""
    from crawler.sites import REGISTRIES, load_sites
    from simulator.demo import demo_sites
    from simulator.scale import synthetic_sites

    registered = {s.site_id: s for s in load_sites(REGISTRIES["demo"])}
    pages = []
    for sim_site in [*demo_sites(), *synthetic_sites(30, seed=11)]:
        site = registered.get(sim_site.site_id) or Site(
            sim_site.site_id,
            sim_site.division_code,
            sim_site.name,
            sim_site.base_url,
            sim_site.family,
            allowed_hosts=sim_site.hosts,
        )
        for (host, path), resource in sim_site.resources.items():
            if resource.status == 200 and resource.content_type.startswith("text/html"):
                url = f"{sim_site.base_url.split('://')[0]}://{host}{path}"
                pages.append((site, url, resource.body, resource.content_type))
    return pages


def test_the_links_a_page_keeps_lead_where_all_its_links_do() -> None:
    """A navigation page keeps only the links the spider may follow (``may_follow``): what
    the next crawl follows from them, while the page is fresh, is what following every link
    of the page gives — on every page the demo and synthetic portals serve."""
    pages = _portal_pages()
    assert len(pages) > 300
    sites = {site.site_id: site for site, *_ in pages}
    crawl = spider(*sites.values())
    compared = kept_fewer = 0
    for site, url, body, content_type in pages:
        request = Request(url, meta={"hops": 1, "site_id": site.site_id})
        response = HtmlResponse(
            url, body=body, headers={"Content-Type": content_type}, request=request
        )
        outputs = list(crawl.parse_page(response))
        page = outputs[0]
        assert isinstance(page, FetchedDocument) and page.links is not None
        links, lists, _ = crawl._page_found(response)
        every = [
            (r.url, r.callback, r.meta.get("role"), r.meta.get("document"))
            for r in crawl._follow(site, url, links, lists, 1)
        ]
        kept = [
            (r.url, r.callback, r.meta.get("role"), r.meta.get("document"))
            for r in crawl._follow(site, url, page.links, page.lists, 1)
        ]
        assert kept == every, url
        assert [(r.url, r.callback) for r in outputs[1:]] == [(k[0], k[1]) for k in kept]
        compared += bool(every)
        kept_fewer += len(page.links) < len(links)
    assert compared > 100 and kept_fewer > 100  # pages that lead on; pages with chrome dropped


def test_no_callback_is_a_generator_that_returns_a_value() -> None:
    """The check Scrapy makes on every response where WARN_ON_GENERATOR_RETURN_VALUE is on
    (the project turns it off for its cost): a value returned from a generator callback
    would be lost without a word."""
    checked = []
    for module in walk_modules_iter("crawler.spiders"):
        for spider in vars(module).values():
            if not (inspect.isclass(spider) and issubclass(spider, scrapy.Spider)):
                continue
            for name, method in inspect.getmembers(spider, inspect.isgeneratorfunction):
                checked.append(name)
                assert not is_generator_with_return_value(method), f"{spider.__name__}.{name}"
    assert {"parse_page", "parse_attachment", "failed"} <= set(checked)
