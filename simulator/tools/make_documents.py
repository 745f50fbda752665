"""Make the synthetic documents the demo portals serve (run once; outputs are committed).

    python -m simulator.tools.make_documents

Needs LibreOffice (``soffice``, Debian package libreoffice-writer-nogui) and ``pdftoppm``
(poppler-utils); CI never runs this.  Every figure comes from a real report: the official
blank 2021 form (tests/fixtures/template/template_2021_blank.docx) is filled with the
figures of 民权县人民政府's 2021 report, as its hand-written golden file records them.

Outputs (simulator/content/synthetic/):
* ``minquan_2021_form.docx``        – the filled form (served as a .docx attachment);
* ``minquan_2021_form.pdf``         – it as a portrait A4 PDF;
* ``minquan_2021_form_large.pdf``   – the same in large type, so the tables break across pages;
* ``hongze_2023_scan.pdf``          – the real 洪泽区 2023 PDF's pages as images only
  (no text layer).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
from docx.shared import Pt
from PIL import Image

from parsers.template import RESULT_ROWS

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "tests" / "fixtures" / "template" / "template_2021_blank.docx"
GOLDEN = ROOT / "tests" / "fixtures" / "seeds" / "002_1802fb2dfce92170.expected.json"
SEED = ROOT / "tests" / "fixtures" / "seeds" / "002_1802fb2dfce92170.txt"
SCAN_SOURCE = ROOT / "tests" / "fixtures" / "pdf" / "002_hongze_qu_2023.pdf"
OUT = ROOT / "simulator" / "content" / "synthetic"
# The official 2021 form's 表三 data rows, top to bottom.
ROWS_2021 = ["new_received", "carried_over", *RESULT_ROWS, "total_handled", "carried_forward"]


def _set(cell: docx.table._Cell, value: object) -> None:
    cell.text = "" if value is None else str(value)


def fill_form(title: str, large: bool) -> docx.document.Document:
    golden = json.loads(GOLDEN.read_text("utf-8"))
    seed_lines = [line for line in SEED.read_text("utf-8").split("\n") if line.strip()]
    document = docx.Document(str(FORM))
    paragraphs = document.paragraphs
    paragraphs[0].text = title
    overview = next(line for line in seed_lines if line.startswith("本报告依据"))
    problems = next(line for line in seed_lines if line.startswith("存在问题"))
    texts = iter([overview, problems, "无。"])
    for paragraph in paragraphs:
        if paragraph.text.strip() == "（文字描述）":
            paragraph.text = next(texts, "")
    active, applications, review = document.tables
    values = golden["active_disclosure"]
    for row in active.rows:
        label = row.cells[0].text.strip()
        key = {
            "规章": "regulations",
            "行政规范性文件": "normative_documents",
            "行政许可": "licensing",
            "行政处罚": "penalties",
            "行政强制": "coercion",
            "行政事业性收费": "fees",
        }.get(label)
        if key is None:
            continue
        figures = list(values[key].values())
        seen = []
        for cell in row.cells[1:]:
            if any(cell._tc is other for other in seen):
                continue
            seen.append(cell._tc)
            _set(cell, figures.pop(0) if figures else "")
    data_rows = applications.rows[3:]
    for row, key in zip(data_rows, ROWS_2021, strict=True):
        for cell, value in zip(row.cells[3:], golden["applications"][key], strict=True):
            _set(cell, value)
    figures = [
        v
        for key in ("review", "litigation_direct", "litigation_after_review")
        for v in golden["review_litigation"][key]
    ]
    for cell, value in zip(review.rows[3].cells, figures, strict=True):
        _set(cell, value)
    if large:
        for paragraph in document.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(18)
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = Pt(16)
    return document


def to_pdf(source: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shutil.move(str(Path(tmp) / (source.stem + ".pdf")), target)


def scan(source: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-r", "80", "-gray", "-png", str(source), f"{tmp}/page"],
            check=True,
            timeout=300,
        )
        pages = [Image.open(p).convert("L") for p in sorted(Path(tmp).glob("page*.png"))]
        pages[0].save(target, "PDF", resolution=80, save_all=True, append_images=pages[1:])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    title = "民权县人民政府2021年政府信息公开工作年度报告"
    form = OUT / "minquan_2021_form.docx"
    fill_form(title, large=False).save(str(form))
    to_pdf(form, OUT / "minquan_2021_form.pdf")
    with tempfile.TemporaryDirectory() as tmp:
        large = Path(tmp) / "minquan_2021_form_large.docx"
        fill_form(title, large=True).save(str(large))
        to_pdf(large, OUT / "minquan_2021_form_large.pdf")
    scan(SCAN_SOURCE, OUT / "hongze_2023_scan.pdf")
    for path in sorted(OUT.iterdir()):
        print(path.name, path.stat().st_size)


if __name__ == "__main__":
    main()
