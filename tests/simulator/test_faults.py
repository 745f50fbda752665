"""Fault injection: each kind behaves as declared, per site / path / attempt, repeatably."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from simulator import Simulator, demo_sites
from simulator.faults import FaultPlan
from tests.simulator.test_server import fetch

MINQUAN = "http://www.minquan.gov.cn/zwgk/"
PDF_URL = next(e.url for s in demo_sites() for e in s.manifest if e.url.endswith(".pdf"))


def running(rules: list[dict[str, Any]], seed: int = 0) -> Simulator:
    return Simulator(demo_sites(), faults=FaultPlan.from_dict({"seed": seed, "fault": rules}))


@pytest.fixture
def sim(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    with running(request.param) as simulator:
        yield simulator


def _raw_get(sim: Simulator, url: str, timeout: float = 5) -> tuple[int, bytes]:
    """GET with http.client through the proxy, so that broken bodies surface as errors."""
    conn = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=timeout)
    try:
        conn.request("GET", url)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "sim", [[{"kind": "status", "status": 503, "retry_after": 2, "attempts": [1]}]], indirect=True
)
def test_503_with_retry_after_then_recovery(sim: Simulator) -> None:
    status, headers, _ = fetch(sim, MINQUAN)
    assert (status, headers["Retry-After"]) == (503, "2")
    assert fetch(sim, MINQUAN)[0] == 200
    assert [(e.status, e.fault) for e in sim.log.entries("henan_shangqiu_minquan")] == [
        (503, "status"),
        (200, None),
    ]


@pytest.mark.parametrize("code", [500, 502, 404, 403])
def test_status_codes(code: int) -> None:
    with running([{"kind": "status", "status": code, "site": "henan_shangqiu_minquan"}]) as sim:
        assert fetch(sim, MINQUAN)[0] == code
        assert fetch(sim, "http://www.hongze.gov.cn/")[0] == 200  # other sites untouched


@pytest.mark.parametrize(
    "sim", [[{"kind": "delay", "seconds": 0.6, "path": "/zwgk/"}]], indirect=True
)
def test_slow_first_byte(sim: Simulator) -> None:
    start = time.perf_counter()
    assert fetch(sim, MINQUAN)[0] == 200
    assert time.perf_counter() - start >= 0.6


@pytest.mark.parametrize(
    "sim", [[{"kind": "stall", "seconds": 3, "path": "/zwgk/"}]], indirect=True
)
def test_stalled_body_times_out(sim: Simulator) -> None:
    with pytest.raises((TimeoutError, socket.timeout)):
        _raw_get(sim, MINQUAN, timeout=0.5)
    assert sim.log.entries()[-1].fault == "stall"


@pytest.mark.parametrize("sim", [[{"kind": "reset", "path": "/zwgk/"}]], indirect=True)
def test_connection_reset(sim: Simulator) -> None:
    with pytest.raises(
        (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine)
    ):
        _raw_get(sim, MINQUAN)


@pytest.mark.parametrize("sim", [[{"kind": "truncate", "path": "/zwgk/"}]], indirect=True)
def test_truncated_body(sim: Simulator) -> None:
    with pytest.raises(http.client.IncompleteRead):
        _raw_get(sim, MINQUAN)


@pytest.mark.parametrize("sim", [[{"kind": "challenge", "path": "/zwgk/"}]], indirect=True)
def test_challenge_page_with_200(sim: Simulator) -> None:
    status, _, body = fetch(sim, MINQUAN)
    assert status == 200
    assert "请开启JavaScript" in body.decode() and "document.cookie" in body.decode()


@pytest.mark.parametrize(
    "sim",
    [[{"kind": "redirect_offsite", "location": "http://www.mirror-cache.com/a.html"}]],
    indirect=True,
)
def test_redirect_to_another_host(sim: Simulator) -> None:
    status, headers, _ = fetch(sim, MINQUAN)
    assert (status, headers["Location"]) == (302, "http://www.mirror-cache.com/a.html")


@pytest.mark.parametrize(
    "sim", [[{"kind": "oversize", "bytes": 5_000_000, "path": "/zwgk/"}]], indirect=True
)
def test_oversize_body(sim: Simulator) -> None:
    status, headers, body = fetch(sim, MINQUAN)
    assert status == 200 and len(body) == 5_000_000 == int(headers["Content-Length"])


@pytest.mark.parametrize(
    "sim",
    [[{"kind": "wrong_type", "path": "*.pdf", "content_type": "text/html; charset=utf-8"}]],
    indirect=True,
)
def test_pdf_served_as_html(sim: Simulator) -> None:
    status, headers, body = fetch(sim, PDF_URL)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert body.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "sim",
    [[{"kind": "wrong_charset", "charset": "utf-8", "site": "henan_shangqiu_minquan"}]],
    indirect=True,
)
def test_wrong_charset_declared(sim: Simulator) -> None:
    _, headers, body = fetch(sim, MINQUAN)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")  # the bytes are GBK
    assert "政府信息公开" in body.decode("gb18030")


@pytest.mark.parametrize(
    "sim", [[{"kind": "calendar_trap", "site": "henan_shangqiu_minquan"}]], indirect=True
)
def test_endless_calendar(sim: Simulator) -> None:
    _, _, home = fetch(sim, "http://www.minquan.gov.cn/")
    assert "活动日历" in home.decode("gb18030")
    url = "http://www.minquan.gov.cn/calendar/?y=2024&m=1"
    for _ in range(30):  # every month links to the next one, forever
        status, _, body = fetch(sim, url)
        assert status == 200
        nxt = body.decode().split('href="')[2].split('"')[0]
        url = "http://www.minquan.gov.cn" + nxt.replace("&amp;", "&")
    assert url.endswith("y=2026&m=7")


def test_seeded_draws_repeat() -> None:
    rules = [{"kind": "status", "status": 500, "probability": 0.5}]
    urls = [f"http://www.minquan.gov.cn/p{i}.html" for i in range(200)]
    first = FaultPlan.from_dict({"seed": 3, "fault": rules})
    second = FaultPlan.from_dict({"seed": 3, "fault": rules})
    other = FaultPlan.from_dict({"seed": 4, "fault": rules})
    picks = [first.pick("s", u, "/", 1) is not None for u in urls]
    assert picks == [second.pick("s", u, "/", 1) is not None for u in urls]
    assert picks != [other.pick("s", u, "/", 1) is not None for u in urls]
    assert 60 < sum(picks) < 140


def test_plan_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "faults.toml"
    path.write_text(
        'seed = 7\n[[fault]]\nsite = "henan_shangqiu_minquan"\npath = "/zwgk/*"\n'
        'attempts = [1, 2]\nkind = "status"\nstatus = 503\nretry_after = 5\n',
        encoding="utf-8",
    )
    plan = FaultPlan.load(path)
    assert plan.seed == 7
    fault = plan.pick("henan_shangqiu_minquan", MINQUAN, "/zwgk/", 2)
    assert fault is not None and fault.params == {"status": 503, "retry_after": 5}
    assert plan.pick("henan_shangqiu_minquan", MINQUAN, "/zwgk/", 3) is None


def test_unknown_kind_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="fault 1: unknown kind 'explode'"):
        FaultPlan.from_dict({"fault": [{"kind": "explode"}]})


def test_a_fault_on_one_scheme_only() -> None:
    rule = {"kind": "status", "status": 403, "site": "jiangsu_huaian_hongze", "scheme": "https"}
    with running([rule]) as sim:
        assert fetch(sim, "https://www.hongze.gov.cn/")[0] == 403
        assert fetch(sim, "http://www.hongze.gov.cn/")[0] == 200
