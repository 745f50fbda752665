"""Make the layout matrix: every golden document as body text from the tools users have.

    python -m tests.tools.make_variants          # writes tests/fixtures/variants/

Run once on a machine with the generator-only tools (never runtime dependencies):
Debian ``poppler-utils w3m lynx pandoc libreoffice-writer-nogui fonts-wqy-zenhei``, PyPI
``pip install -e '.[variants]'`` (pymupdf, pypdfium2, beautifulsoup4, html2text, trafilatura,
markdownify).  Outputs are committed, so the tests need none of these tools.

Sources are the documents whose figures were read by eye into golden files:

* the five real seed bodies, first rendered the way a portal serves them — paragraphs as
  ``<p>``, every tab-separated row as a ``<tr>`` of its cells as printed (damage included),
  with ruling lines — and that page printed to PDF by LibreOffice;
* the three real report PDFs and the real 沭阳县 HTML page;
* the synthetic 2021 form documents of the simulator (民权县 2021 figures: PDF, large-type
  PDF, DOCX).

Each output ``<source>.<tool>.txt`` has a sidecar ``.json`` naming the tool, its version, the
flags, the source file and its golden file.  ``MANIFEST.json`` lists them all.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from simulator.render import body_html

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
OUT = FIXTURES / "variants"
RENDERED = OUT / "rendered"
SYNTHETIC = ROOT / "simulator" / "content" / "synthetic"
SEED_GOLDEN_002 = "seeds/002_1802fb2dfce92170.expected.json"


@dataclass(frozen=True)
class Source:
    name: str
    path: Path
    kind: str  # html | pdf | docx
    golden: str  # relative to tests/fixtures
    compare_prose: bool  # the golden's prose figures apply to this document


# --- rendering the seed bodies ---------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>table{{border-collapse:collapse}} td{{{cell_style}}}</style>
</head><body>
<div class="article"><h1>{title}</h1>
<div class="TRS_Editor">
{body}
</div></div></body></html>
"""


_RULED = "border:1px solid #000;padding:2px 4px"
_UNRULED = "border:none;padding:2px 6px"


def render_seed_html(text: str, ruled: bool = True) -> str:
    """The seed as a portal page (the simulator's rendering: paragraphs, and each run of tab
    rows as one table), ruled or without any ruling line — as half the PDFs print them."""
    lines = text.split("\n")
    title = next((line.strip() for line in lines if line.strip()), "")
    body = "\n".join(lines[1:] if lines and lines[0].strip() == title else lines)
    return _PAGE.format(
        title=html.escape(title),
        body=body_html(body, border=1 if ruled else 0),
        cell_style=_RULED if ruled else _UNRULED,
    )


def soffice_pdf(source: Path, target: Path) -> None:
    """Print an HTML page or a DOCX to PDF with LibreOffice, as a user's browser would."""
    with tempfile.TemporaryDirectory() as tmp:
        fmt = "pdf:writer_web_pdf_Export" if source.suffix == ".html" else "pdf"
        subprocess.run(
            ["soffice", "--headless", "--convert-to", fmt, "--outdir", tmp, str(source)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shutil.move(str(Path(tmp) / (source.stem + ".pdf")), target)


def sources() -> list[Source]:
    RENDERED.mkdir(parents=True, exist_ok=True)
    found: list[Source] = []
    for seed in sorted((FIXTURES / "seeds").glob("*.txt")):
        stem = f"seed{seed.stem[:3]}"
        page = RENDERED / f"{stem}.html"
        page.write_text(render_seed_html(seed.read_text("utf-8")), "utf-8")
        pdf = RENDERED / f"{stem}.pdf"
        soffice_pdf(page, pdf)
        golden = f"seeds/{seed.stem}.expected.json"
        found.append(Source(f"{stem}_html", page, "html", golden, True))
        found.append(Source(f"{stem}_pdf", pdf, "pdf", golden, True))
        if "\t" in seed.read_text("utf-8"):
            plain = RENDERED / f"{stem}_unruled.html"
            plain.write_text(render_seed_html(seed.read_text("utf-8"), ruled=False), "utf-8")
            plain_pdf = RENDERED / f"{stem}_unruled.pdf"
            soffice_pdf(plain, plain_pdf)
            plain.unlink()
            found.append(Source(f"{stem}_unruled_pdf", plain_pdf, "pdf", golden, True))
    for pdf in sorted((FIXTURES / "pdf").glob("0*.pdf")):
        found.append(Source(pdf.stem, pdf, "pdf", f"pdf/{pdf.stem}.expected.json", True))
    page = FIXTURES / "html" / "002_shuyang_fgj_2023_report_ucap.html"
    found.append(Source(page.stem, page, "html", f"html/{page.stem}.expected.json", True))
    for name, kind in (
        ("minquan_2021_form.pdf", "pdf"),
        ("minquan_2021_form_large.pdf", "pdf"),
        ("minquan_2021_form.docx", "docx"),
    ):
        stem = "synthetic_" + name.rsplit(".", 1)[0]
        found.append(Source(stem, SYNTHETIC / name, kind, SEED_GOLDEN_002, False))
    return found


# --- the tools -------------------------------------------------------------------------------


def _run(args: list[str], data: bytes | None = None) -> str:
    done = subprocess.run(args, input=data, capture_output=True, check=True, timeout=300)
    return done.stdout.decode("utf-8")


def _first_line(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, timeout=60)
    text = (done.stdout or done.stderr).decode("utf-8", "replace")
    return text.strip().splitlines()[0] if text.strip() else "unknown"


def _pkg(name: str) -> str:
    return f"{name} {metadata.version(name)}"


def _pdftotext(*flags: str) -> Callable[[Path], str]:
    def run(path: Path) -> str:
        return _run(["pdftotext", *flags, "-enc", "UTF-8", str(path), "-"])

    return run


def _pymupdf(path: Path) -> str:
    import pymupdf

    with pymupdf.open(str(path)) as document:
        return "".join(page.get_text() for page in document)


def _pypdfium2(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def _pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(path)))


def _html_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _w3m(path: Path) -> str:
    return _run(["w3m", "-dump", "-I", "utf-8", "-O", "utf-8", "-T", "text/html", str(path)])


def _lynx(path: Path) -> str:
    return _run(
        ["lynx", "-dump", "-assume_charset=utf-8", "-display_charset=utf-8", str(path)],
    )


def _pandoc(to: str) -> Callable[[Path], str]:
    def run(path: Path) -> str:
        source_format = "docx" if path.suffix == ".docx" else "html"
        return _run(["pandoc", "-f", source_format, "-t", to, str(path)])

    return run


def _html2text(path: Path) -> str:
    import html2text

    return str(html2text.html2text(_html_text(path)))


def _soup(separator: str | None) -> Callable[[Path], str]:
    def run(path: Path) -> str:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(_html_text(path), "html.parser")
        for tag in soup(["script", "style"]):
            tag.decompose()
        return soup.get_text() if separator is None else soup.get_text(separator)

    return run


def _trafilatura(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(_html_text(path), include_tables=True, favor_recall=True) or ""


def _markdownify(path: Path) -> str:
    from bs4 import BeautifulSoup
    from markdownify import markdownify

    soup = BeautifulSoup(_html_text(path), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return str(markdownify(str(soup)))


@dataclass(frozen=True)
class Tool:
    name: str
    kinds: tuple[str, ...]
    run: Callable[[Path], str]
    version: Callable[[], str]
    flags: str


TOOLS: tuple[Tool, ...] = (
    Tool(
        "pdftotext-layout",
        ("pdf",),
        _pdftotext("-layout"),
        lambda: _first_line(["pdftotext", "-v"]),
        "pdftotext -layout -enc UTF-8 FILE -",
    ),
    Tool(
        "pdftotext",
        ("pdf",),
        _pdftotext(),
        lambda: _first_line(["pdftotext", "-v"]),
        "pdftotext -enc UTF-8 FILE -",
    ),
    Tool(
        "pdftotext-raw",
        ("pdf",),
        _pdftotext("-raw"),
        lambda: _first_line(["pdftotext", "-v"]),
        "pdftotext -raw -enc UTF-8 FILE -",
    ),
    Tool(
        "pymupdf",
        ("pdf",),
        _pymupdf,
        lambda: _pkg("pymupdf"),
        "''.join(page.get_text() for page in pymupdf.open(FILE))",
    ),
    Tool(
        "pypdfium2",
        ("pdf",),
        _pypdfium2,
        lambda: _pkg("pypdfium2"),
        "'\\n'.join(page.get_textpage().get_text_range() for page in PdfDocument(FILE))",
    ),
    Tool(
        "pdfplumber",
        ("pdf",),
        _pdfplumber,
        lambda: _pkg("pdfplumber"),
        "'\\n'.join(page.extract_text() for page in pdfplumber.open(FILE).pages)",
    ),
    Tool(
        "pdfminer",
        ("pdf",),
        _pdfminer,
        lambda: _pkg("pdfminer.six"),
        "pdfminer.high_level.extract_text(FILE)",
    ),
    Tool(
        "w3m",
        ("html",),
        _w3m,
        lambda: _first_line(["w3m", "-version"]),
        "w3m -dump -I utf-8 -O utf-8 -T text/html FILE",
    ),
    Tool(
        "lynx",
        ("html",),
        _lynx,
        lambda: _first_line(["lynx", "-version"]),
        "lynx -dump -assume_charset=utf-8 -display_charset=utf-8 FILE",
    ),
    Tool(
        "pandoc-plain",
        ("html", "docx"),
        _pandoc("plain"),
        lambda: _first_line(["pandoc", "--version"]),
        "pandoc -f html|docx -t plain FILE",
    ),
    Tool(
        "pandoc-gfm",
        ("html",),
        _pandoc("gfm"),
        lambda: _first_line(["pandoc", "--version"]),
        "pandoc -f html -t gfm FILE",
    ),
    Tool(
        "html2text", ("html",), _html2text, lambda: _pkg("html2text"), "html2text.html2text(html)"
    ),
    Tool(
        "bs4",
        ("html",),
        _soup(None),
        lambda: _pkg("beautifulsoup4"),
        "BeautifulSoup(html, 'html.parser').get_text() (script/style removed)",
    ),
    Tool(
        "bs4-newline",
        ("html",),
        _soup("\n"),
        lambda: _pkg("beautifulsoup4"),
        "BeautifulSoup(html, 'html.parser').get_text('\\n') (script/style removed)",
    ),
    Tool(
        "trafilatura",
        ("html",),
        _trafilatura,
        lambda: _pkg("trafilatura"),
        "trafilatura.extract(html, include_tables=True, favor_recall=True)",
    ),
    Tool(
        "markdownify",
        ("html",),
        _markdownify,
        lambda: _pkg("markdownify"),
        "markdownify(str(soup)) (script/style removed)",
    ),
)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.txt"):
        old.unlink()
    for old in OUT.glob("*.json"):
        old.unlink()
    versions = {tool.name: tool.version() for tool in TOOLS}
    manifest = []
    for source in sources():
        for tool in TOOLS:
            if source.kind not in tool.kinds:
                continue
            flags = tool.flags
            if tool.name == "pandoc-plain":
                flags = flags.replace("html|docx", source.kind)
            text = tool.run(source.path)
            name = f"{source.name}.{tool.name}"
            (OUT / f"{name}.txt").write_bytes(text.encode("utf-8"))
            sidecar = {
                "variant": f"{name}.txt",
                "tool": tool.name,
                "version": versions[tool.name],
                "flags": flags,
                "source": str(source.path.relative_to(ROOT)),
                "source_sha256": hashlib.sha256(source.path.read_bytes()).hexdigest(),
                "golden": source.golden,
                "compare_prose": source.compare_prose,
            }
            (OUT / f"{name}.json").write_text(
                json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n", "utf-8"
            )
            manifest.append(sidecar)
            print(f"{name}: {len(text)} chars")
    buffer = io.StringIO()
    json.dump(manifest, buffer, ensure_ascii=False, indent=1)
    (OUT / "MANIFEST.json").write_text(buffer.getvalue() + "\n", "utf-8")


if __name__ == "__main__":
    main()
