"""The portal simulator on 127.0.0.1: real URLs through a plain proxy client, http and https."""

from __future__ import annotations

import gzip
import hashlib
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from parsers import parse_document
from parsers.errors import ScannedPdfError
from simulator import Simulator, demo_sites
from simulator.model import split_url

SITES = demo_sites()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MANIFEST = [entry for site in SITES for entry in site.manifest]


@pytest.fixture(scope="module")
def simulator() -> Iterator[Simulator]:
    with Simulator(SITES) as sim:
        yield sim


def fetch(
    sim: Simulator, url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, Message, bytes]:
    """GET through the simulator as an ordinary forward-proxy client would."""
    proxy = urllib.request.ProxyHandler({"http": sim.proxy_url, "https": sim.proxy_url})
    context = ssl._create_unverified_context()  # Scrapy does not verify either
    opener = urllib.request.build_opener(
        proxy, urllib.request.HTTPSHandler(context=context), _NoRedirect()
    )
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_binds_to_loopback_only(simulator: Simulator) -> None:
    assert simulator.proxy_url.startswith("http://127.0.0.1:")
    with socket.create_connection(("127.0.0.1", simulator.port), timeout=5):
        pass


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e.url.split("//")[1][:60])
def test_every_manifest_url_serves_its_report(simulator: Simulator, entry: object) -> None:
    status, headers, body = fetch(simulator, entry.url)  # type: ignore[attr-defined]
    assert status == 200
    if not entry.readable:  # type: ignore[attr-defined]
        with pytest.raises(ScannedPdfError):
            parse_document(body)
        return
    report = parse_document(body, url=entry.url, headers=dict(headers.items()))  # type: ignore[attr-defined]
    assert (report.publisher, report.year) == (entry.publisher, entry.year)  # type: ignore[attr-defined]


def test_attachments_are_the_real_bytes(simulator: Simulator) -> None:
    folder = Path(__file__).parents[2] / "simulator" / "content"
    content = {
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.suffix in (".pdf", ".docx")
    }
    for entry in (e for e in MANIFEST if e.kind == "attachment"):
        status, headers, body = fetch(simulator, entry.url)
        assert status == 200
        assert headers["Content-Type"] in ("application/pdf", DOCX)
        assert hashlib.sha256(body).hexdigest() in content


def test_trs_column_paginates_with_create_page_html(simulator: Simulator) -> None:
    base = "https://www.xiangfuqu.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    _, _, first = fetch(simulator, base + "index.html")
    assert b'createPageHTML(countPage, 0, "index", "html")' in first
    assert b"var countPage = 2;" in first
    status, _, second = fetch(simulator, base + "index_1.html")
    assert status == 200 and b"createPageHTML(countPage, 1" in second
    assert fetch(simulator, base + "index_2.html")[0] == 404


def test_generic_list_paginates_with_next_links(simulator: Simulator) -> None:
    base = "http://www.minquan.gov.cn/zwgk/ndbg/"
    _, headers, first = fetch(simulator, base + "index.html")
    assert "charset=gb2312" in headers["Content-Type"]
    text = first.decode("gb18030")
    assert '<a href="index_2.html">下一页</a>' in text
    status, _, second = fetch(simulator, base + "index_2.html")
    assert status == 200 and "上一页" in second.decode("gb18030")


def test_conditional_requests_answer_304(simulator: Simulator) -> None:
    url = MANIFEST[0].url
    _, headers, _ = fetch(simulator, url)
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert fetch(simulator, url, {"If-None-Match": etag})[0] == 304
    assert fetch(simulator, url, {"If-Modified-Since": last_modified})[0] == 304
    assert fetch(simulator, url, {"If-None-Match": '"other"'})[0] == 200
    conditional = [e for e in simulator.log.entries() if e.url == url and e.conditional]
    assert [e.status for e in conditional][-3:] == [304, 304, 200]


def test_gzip_and_content_length(simulator: Simulator) -> None:
    url = "http://www.minquan.gov.cn/zwgk/"
    _, plain_headers, plain = fetch(simulator, url)
    _, headers, packed = fetch(simulator, url, {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed) == plain
    assert int(headers["Content-Length"]) == len(packed)
    assert int(plain_headers["Content-Length"]) == len(plain)


def test_head_has_headers_without_body(simulator: Simulator) -> None:
    url = MANIFEST[2].url
    _, get_headers, body = fetch(simulator, url)
    status, headers, head_body = fetch(simulator, url, method="HEAD")
    assert status == 200 and head_body == b""
    assert headers["Content-Length"] == get_headers["Content-Length"] == str(len(body))


def test_redirects(simulator: Simulator) -> None:
    status, headers, _ = fetch(simulator, "http://www.minquan.gov.cn/zwgk/index.html")
    assert status == 301 and headers["Location"] == "http://www.minquan.gov.cn/zwgk/"


def test_unknown_host_gets_502_and_no_connection_out(simulator: Simulator) -> None:
    status, _, body = fetch(simulator, "http://www.example.com/")
    assert status == 502
    assert b"no outbound connection" in body


def test_robots_txt_disallows(simulator: Simulator) -> None:
    _, _, body = fetch(simulator, "http://www.minquan.gov.cn/robots.txt")
    assert b"Disallow: /admin/" in body


def test_request_log_per_site(simulator: Simulator) -> None:
    fetch(simulator, "http://www.hongze.gov.cn/")
    entries = simulator.log.entries("jiangsu_huaian_hongze")
    assert entries and entries[-1].url == "http://www.hongze.gov.cn/" and entries[-1].status == 200
    assert entries[-1].bytes > 0 and not entries[-1].conditional


def test_two_builds_serve_identical_bytes() -> None:
    first = {
        (s.site_id, k): (r.body, r.content_type, r.status)
        for s in demo_sites()
        for k, r in s.resources.items()
    }
    second = {
        (s.site_id, k): (r.body, r.content_type, r.status)
        for s in demo_sites()
        for k, r in s.resources.items()
    }
    assert first == second


def test_split_url() -> None:
    assert split_url("HTTP://WWW.X.gov.cn:8080/a/b.html?x=1#top") == (
        "www.x.gov.cn",
        "/a/b.html?x=1",
    )
    assert split_url("https://www.x.gov.cn") == ("www.x.gov.cn", "/")


def _site(site_id: str) -> object:
    return next(site for site in SITES if site.site_id == site_id)


def test_hanweb_list_is_a_jpage_record_stream(simulator: Simulator) -> None:
    site = _site("henan_luoyang_xigong")
    column = next(
        path
        for (host, path), r in site.resources.items()
        if b"jpage(" in r.body  # type: ignore[attr-defined]
    )
    colid = column.split("/col/col")[1].split("/")[0]
    _, _, body = fetch(simulator, f"http://www.xigong.gov.cn{column}")
    text = body.decode()
    # The report, and three near misses: 工作要点, 统计表 and 解读.
    assert "<totalrecord>4</totalrecord>" in text and text.count("<record>") == 1
    proxy = "http://www.xigong.gov.cn/module/web/jpage/dataproxy.jsp"
    query = f"?startrecord=2&endrecord=4&perpage=1&columnid={colid}"
    status, headers, xml = fetch(simulator, proxy + query)
    assert status == 200 and headers["Content-Type"].startswith("text/xml")
    assert xml.decode().count("<record>") == 3
    # jquery.page.js posts its parameters as a form.
    opener_data = f"col=1&appid=1&webid=1&path=/&columnid={colid}&permissiontype=0".encode()
    request = urllib.request.Request(
        proxy + "?startrecord=1&endrecord=4&perpage=1", data=opener_data
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": simulator.proxy_url}))
    with opener.open(request, timeout=20) as response:
        records = response.read().decode()
    assert records.count("<record>") == 4
    report = next(e for e in MANIFEST if e.site_id == "henan_luoyang_xigong")
    assert report.url.replace("http://www.xigong.gov.cn", "") in records


def test_gkmlpt_lists_are_json(simulator: Simulator) -> None:
    import json

    base = "https://www.panyu.gov.cn/gkmlpt/api/"
    _, _, tree = fetch(simulator, base + "tree?sid=440113")
    category = next(c for c in json.loads(tree) if c["name"] == "政府信息公开年报")
    _, headers, listing = fetch(simulator, f"{base}all/{category['id']}?page=1&sid=440113")
    assert headers["Content-Type"].startswith("application/json")
    data = json.loads(listing)
    report = next(e for e in MANIFEST if e.site_id == "guangdong_guangzhou_panyu")
    assert data["total"] == 1 and data["articles"][0]["url"] == report.url
    assert (
        json.loads(fetch(simulator, f"{base}all/{category['id']}?page=2&sid=440113")[2])["articles"]
        == []
    )


def test_trs_static_and_dynamic_list(simulator: Simulator) -> None:
    import json

    column = "http://www.huaian.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    _, _, first = fetch(simulator, column)
    text = first.decode()
    assert 'quickMode: "动静结合"' in text and "prepage: 2," in text and "recordCount: '4'" in text
    assert text.count('<a href="./20') == 2  # page 1: two static items
    assert fetch(simulator, column + "index_1.htm")[0] == 404  # no static page 2
    channel = text.split("searchId: ")[1].split(",")[0]
    chnlid = text.split('"chnlid=')[1].split('"')[0]
    api = f"http://www.huaian.gov.cn/fjdzapp/search?channelid={channel}&classsql=chnlid%3D{chnlid}"
    _, headers, body = fetch(simulator, api + "&prepage=2&page=2")
    assert headers["Content-Type"].startswith("application/json")
    page_two = json.loads(body)
    assert page_two["count"] == 4 and page_two["pagecount"] == 2 and len(page_two["data"]) == 2
    everything = json.loads(fetch(simulator, api + "&prepage=10&page=1")[2])["data"]
    report = next(e for e in MANIFEST if e.site_id == "jiangsu_huaian" and e.kind == "report_page")
    assert report.url in [row["chnldocurl"] for row in everything]


def test_relative_and_scheme_redirects(simulator: Simulator) -> None:
    column = "https://www.xiangfuqu.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    status, headers, _ = fetch(simulator, column)
    assert (status, headers["Location"]) == (302, "index.html")  # relative
    status, headers, _ = fetch(simulator, "http://www.xiangfuqu.gov.cn/zwgk/")
    assert (status, headers["Location"]) == (301, "https://www.xiangfuqu.gov.cn/zwgk/")


def test_listening_socket_is_loopback_only(simulator: Simulator) -> None:
    server = simulator._server
    assert server is not None
    assert {sock.getsockname()[0] for sock in server.sockets} == {"127.0.0.1"}


def test_simulator_code_opens_no_outbound_connection() -> None:
    import ast

    forbidden_calls = {"open_connection", "create_connection", "connect", "urlopen", "getaddrinfo"}
    forbidden_imports = {"requests", "httpx", "aiohttp", "urllib.request", "http.client"}
    folder = Path(__file__).parents[2] / "simulator"
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                assert name not in forbidden_calls, f"{path.name}: {name}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                )
                assert not set(names) & forbidden_imports, f"{path.name}: {names}"


def test_serve_command_runs_until_stopped(tmp_path: Path) -> None:
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    plan = tmp_path / "faults.toml"
    plan.write_text('[[fault]]\npath = "/robots.txt"\nkind = "status"\nstatus = 503\n', "utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "serve",
            "--port",
            str(port),
            "--faults",
            str(plan),
            "--log-dir",
            str(tmp_path / "logs"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert "portals on http://127.0.0.1:" in proc.stdout.readline()
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{port}"})
        )
        with opener.open("http://www.hongze.gov.cn/", timeout=20) as response:
            assert response.status == 200
        try:
            opener.open("http://www.hongze.gov.cn/robots.txt", timeout=20)
        except urllib.error.HTTPError as error:
            assert error.code == 503
    finally:
        proc.send_signal(__import__("signal").SIGINT)
        proc.wait(timeout=20)
    time.sleep(0.1)
    assert (tmp_path / "logs" / "jiangsu_huaian_hongze.jsonl").exists()


@pytest.mark.parametrize("host", ["www.xiangfuqu.gov.cn", "www.panyu.gov.cn"])
def test_each_host_presents_a_certificate_naming_it_alone(simulator: Simulator, host: str) -> None:
    """As a real server does: one certificate naming every simulated host made each client
    handshake read thousands of names at national scale."""
    from cryptography import x509

    with socket.create_connection(("127.0.0.1", simulator.port), timeout=10) as raw:
        raw.sendall(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
        assert raw.recv(4096).startswith(b"HTTP/1.1 200")
        context = ssl._create_unverified_context()
        with context.wrap_socket(raw, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    assert der is not None
    names = x509.load_der_x509_certificate(der).extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    assert names.value.get_values_for_type(x509.DNSName) == [host]
