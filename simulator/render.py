"""Body text → HTML: paragraphs as <p>, runs of tab-separated rows as one <table>."""

from __future__ import annotations

import html

__all__ = ["body_html"]


def body_html(text: str, border: int = 1) -> str:
    """The body of a report page as a portal's editor would have saved it (``border`` 0:
    tables without ruling lines)."""
    out: list[str] = []
    rows: list[str] = []

    def close_table() -> None:
        if rows:
            out.append(f'<table class="MsoNormalTable" border="{border}" cellspacing="0">')
            out.extend(rows)
            out.append("</table>")
            rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            cells = "".join(f"<td>{html.escape(cell)}</td>" for cell in line.split("\t"))
            rows.append(f"<tr>{cells}</tr>")
            continue
        close_table()
        if line.strip():
            out.append(f'<p style="text-indent:2em;">{html.escape(line.strip())}</p>')
    close_table()
    return "\n".join(out)
