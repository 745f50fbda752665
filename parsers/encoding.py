"""Bytes → text for body-text files: BOM, then strict UTF-8, then GB18030.

GB2312 and GBK are subsets of GB18030, so one fallback covers every Chinese legacy
encoding a county site uses.  Binary input is refused rather than decoded into noise.
"""

from __future__ import annotations

from .errors import EmptyDocumentError, UnreadableDocumentError

__all__ = ["decode_text"]

_BINARY_SAMPLE = 4096
_MAX_CONTROL_SHARE = 0.05


def _looks_binary(data: bytes) -> bool:
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0D, 0x0C))
    return controls > len(sample) * _MAX_CONTROL_SHARE


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding used); raise ``UnreadableDocumentError`` for non-text bytes."""
    if not data.strip():
        raise EmptyDocumentError("empty document: no bytes, or only whitespace")
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), codec
    if _looks_binary(data):
        raise UnreadableDocumentError("binary data, not text")
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace"), "utf-8 (with replacement characters)"
