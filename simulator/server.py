"""The simulator's server: a forward proxy on 127.0.0.1 that answers for portal hosts.

Clients reach it through ordinary proxy support: plain http arrives in absolute form
(``GET http://www.minquan.gov.cn/zwgk/ HTTP/1.1``), https as ``CONNECT host:443`` after
which the simulator terminates TLS with a certificate it generated at start-up.  Requests
sent to it directly are routed by their Host header.  It binds to loopback only and never
opens an outbound connection: a host it does not simulate gets a 502.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
import struct
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl

from .faults import Fault, FaultPlan, apply
from .http import Request, Response, answer, read_request
from .model import Resource, Site, split_url
from .tls import HostCertificates

__all__ = ["LogEntry", "RequestLog", "Simulator"]

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class LogEntry:
    """One request as the simulator saw and answered it."""

    time: str
    site_id: str | None
    method: str
    url: str
    status: int
    bytes: int
    conditional: bool
    fault: str | None = None


class RequestLog:
    """Every request, per site; thread-safe, readable while the server runs."""

    def __init__(self) -> None:
        self._entries: list[LogEntry] = []
        self._lock = threading.Lock()

    def add(self, entry: LogEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self, site_id: str | None = None) -> list[LogEntry]:
        with self._lock:
            return [e for e in self._entries if site_id is None or e.site_id == site_id]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def write_jsonl(self, directory: Path) -> None:
        """One ``<site_id>.jsonl`` file per site."""
        directory.mkdir(parents=True, exist_ok=True)
        by_site: dict[str, list[LogEntry]] = {}
        for entry in self.entries():
            by_site.setdefault(entry.site_id or "_unknown", []).append(entry)
        for site_id, entries in by_site.items():
            lines = (json.dumps(asdict(e), ensure_ascii=False) for e in entries)
            (directory / f"{site_id}.jsonl").write_text("\n".join(lines) + "\n", "utf-8")


class Simulator:
    """Serve ``sites`` on loopback; ``start()`` returns the port, ``stop()`` ends it."""

    def __init__(
        self, sites: Sequence[Site], *, port: int = 0, faults: FaultPlan | None = None
    ) -> None:
        self.sites = list(sites)
        self.port = port
        self.faults = faults or FaultPlan()
        self.faults.install(self.sites)
        self.log = RequestLog()
        self._attempts: dict[str, int] = {}
        # Requests of a site being answered at once, and the most there ever were: what a
        # server sees of a crawler's concurrency (all of a site's hosts together).
        self.in_flight: dict[str, int] = {}
        self.peak_in_flight: dict[str, int] = {}
        self._by_host = {host: site for site in self.sites for host in site.hosts}
        self._tls: HostCertificates | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._writers: set[asyncio.StreamWriter] = set()  # open connections, closed on stop

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def proxy_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> int:
        self._tls = HostCertificates()
        self._thread = threading.Thread(target=self._run, name="gknb-simulator", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=30)
        if self._error is not None:
            raise RuntimeError(f"simulator did not start: {self._error}") from self._error
        return self.port

    def stop(self) -> None:
        loop, server = self._loop, self._server
        if loop is None or server is None:
            return

        async def shutdown() -> None:
            server.close()
            for writer in list(self._writers):  # idle keep-alive clients: hang up on them
                writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(server.wait_closed(), timeout=5)

        with contextlib.suppress(RuntimeError):
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout=10)
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._loop = self._server = None

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            self._server = loop.run_until_complete(
                asyncio.start_server(self._connection, LOOPBACK, self.port, limit=2**20)
            )
            self.port = self._server.sockets[0].getsockname()[1]
        except OSError as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    # --- serving ---------------------------------------------------------------------------

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        scheme, tunnel_host = "http", None
        self._writers.add(writer)
        try:
            while True:
                request = await read_request(reader)
                if request is None:
                    break
                if request.method == "CONNECT" and tunnel_host is None:
                    tunnel_host = request.target.split(":")[0].lower()
                    writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                    await writer.drain()
                    assert self._tls is not None
                    await writer.start_tls(self._tls.context(tunnel_host))
                    scheme = "https"
                    continue
                url = self._absolute_url(request, scheme, tunnel_host)
                response, site_id = self._respond(request, url)
                self._attempts[url] = attempt = self._attempts.get(url, 0) + 1
                fault = self.faults.pick(site_id, url, split_url(url)[1], attempt)
                head = request.method == "HEAD"
                outcome = response if fault is None else self._outcome(fault, response)
                conditional = bool(
                    request.header("if-none-match") or request.header("if-modified-since")
                )
                # Logged before the answer goes out: a client that has its answer finds it
                # in the log.
                self.log.add(
                    LogEntry(
                        datetime.now(UTC).isoformat(timespec="milliseconds"),
                        site_id,
                        request.method,
                        url,
                        outcome.status,
                        self._body_bytes(outcome, fault, head=head),
                        conditional,
                        fault.kind if fault else None,
                    )
                )
                key = site_id or "_unknown"
                self.in_flight[key] = self.in_flight.get(key, 0) + 1
                self.peak_in_flight[key] = max(self.peak_in_flight.get(key, 0), self.in_flight[key])
                try:
                    silence = await self._send(writer, response, outcome, fault, head=head)
                finally:
                    self.in_flight[key] -= 1
                if silence:
                    await asyncio.sleep(silence)  # a stalled body: the client times out
                if fault is not None and fault.kind in ("reset", "truncate", "stall"):
                    break
                if request.header("connection").lower() == "close":
                    break
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()
                await writer.wait_closed()

    @staticmethod
    def _outcome(fault: Fault, response: Response) -> Response:
        """What the client is answered (a reset answers nothing: status 0)."""
        if fault.kind == "reset":
            return Response(0)
        return apply(fault, response)

    @staticmethod
    def _body_bytes(outcome: Response, fault: Fault | None, *, head: bool) -> int:
        if head:
            return 0
        if fault is not None and fault.kind in ("truncate", "stall"):
            return len(outcome.body) // 2
        return len(outcome.body)

    async def _send(
        self,
        writer: asyncio.StreamWriter,
        response: Response,
        outcome: Response,
        fault: Fault | None,
        *,
        head: bool,
    ) -> float:
        """Write the response, or act the fault out; returns the seconds to stall after."""
        if fault is None:
            writer.write(response.encode(head=head))
            await writer.drain()
            return 0.0
        seconds = float(fault.params.get("seconds", 30))
        if fault.kind == "delay":
            await asyncio.sleep(seconds)
            return await self._send(writer, response, response, None, head=head)
        if fault.kind == "reset":
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return 0.0
        if fault.kind in ("truncate", "stall"):
            part = response.body[: len(response.body) // 2]
            writer.write(response.encode(head=True) + part)
            await writer.drain()
            return seconds if fault.kind == "stall" else 0.0
        writer.write(outcome.encode(head=head))
        await writer.drain()
        return 0.0

    @staticmethod
    def _absolute_url(request: Request, scheme: str, tunnel_host: str | None) -> str:
        if "://" in request.target:
            return request.target
        host = tunnel_host or request.header("host").split(":")[0]
        return f"{scheme}://{host}{request.target}"

    def _respond(self, request: Request, url: str) -> tuple[Response, str | None]:
        host, path = split_url(url)
        site = self._by_host.get(host)
        now = datetime.now(UTC)
        if site is None:
            body = f"gknb simulator: no site for host {host}; it makes no outbound connection"
            data = body.encode()
            headers = [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(data))),
            ]
            return Response(502, headers, data), None
        form: dict[str, str] = {}
        if request.method == "POST" and request.body:
            form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        if url.startswith("http://") and site.base_url.startswith("https://"):
            # An https-only portal sends plain-http visitors to https, as real ones do.
            secure = Resource(b"", status=301, location="https://" + url[len("http://") :])
            return answer(request, secure, now=now), site.site_id
        return answer(request, site.lookup(host, path, form), now=now), site.site_id
