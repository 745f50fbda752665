"""Self-signed certificates for the hosts the simulator answers: one per host, as a real
server presents, made on the host's first TLS handshake.

One certificate naming every host was cheaper to make but not what a crawler meets: a client
that inspects the names of the peer's certificate (Scrapy's TLS verification callback does,
even when it verifies nothing) then paid for all of them on every handshake — thousands of
names at national scale, a cost that grew with the square of the portals crawled.
"""

from __future__ import annotations

import datetime
import functools
import ipaddress
import ssl
import tempfile
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

__all__ = ["HostCertificates"]

DEFAULT = "localhost"  # a tunnel to an unknown host, or no host named


class HostCertificates:
    """TLS server contexts by host name, each with a certificate naming that host only (one
    key for all); made once per host and kept (a handful of kilobytes each)."""

    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        self._key_pem = self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._lock = threading.Lock()

    def context(self, host: str | None) -> ssl.SSLContext:
        return self._context((host or DEFAULT).lower())

    @functools.cache  # noqa: B019 (one instance per simulator, kept as long as it runs)
    def _context(self, host: str) -> ssl.SSLContext:
        now = datetime.datetime.now(datetime.UTC)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
        names: list[x509.GeneralName] = [x509.DNSName(host)]
        if host == DEFAULT:
            names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        with self._lock, tempfile.TemporaryDirectory(prefix="gknb-sim-") as tmp:
            cert_path, key_path = Path(tmp) / "cert.pem", Path(tmp) / "key.pem"
            cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
            key_path.write_bytes(self._key_pem)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert_path, key_path)
        return context
