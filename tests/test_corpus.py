"""One corpus of real documents: the simulator's content; the tests link to it, never copy it."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "simulator" / "content"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_real_document_is_stored_twice() -> None:
    served = {_digest(p): p for p in CONTENT.rglob("*") if p.is_file() and not p.is_symlink()}
    copies = [
        (path.relative_to(ROOT), served[_digest(path)].relative_to(ROOT))
        for path in (ROOT / "tests" / "fixtures").rglob("*")
        if path.is_file()
        and not path.is_symlink()
        and path.stat().st_size > 4096
        and _digest(path) in served
    ]
    assert copies == []


def test_the_links_resolve_into_the_corpus() -> None:
    links = [p for p in (ROOT / "tests" / "fixtures").rglob("*") if p.is_symlink()]
    assert len(links) >= 10
    for link in links:
        assert link.resolve().is_relative_to(CONTENT), link
        assert link.resolve().is_file(), link
