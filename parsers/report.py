"""Body text → ``AnnualReport``: the one entry point every source ends in.

The steps are the modules beside this one: normalise the text, drop chrome and page
furniture, find the title (publisher, year), split the numbered sections, read the tables
and the prose figures, decide the template generation from the printed format, and run
the checks.  Nothing is guessed: a figure that cannot be read is absent and explained in
``warnings``.
"""

from __future__ import annotations

import re

from .checks import run_checks
from .chrome import strip_chrome_lines
from .errors import NotAReportError
from .layout import join_broken_lines, remove_page_numbers
from .meta import (
    find_publish_date,
    find_publisher_in_body,
    find_title,
    find_year_in_opening,
    find_year_in_text,
    has_report_opening,
    is_about_a_report,
    parse_title,
    publisher_level,
)
from .model import AnnualReport, Section
from .normalize import normalize_text
from .patterns import lazy
from .prose import read_prose
from .sections import split_sections, title_group
from .tables import read_tables
from .template import FORMAT_MARKERS, FORMAT_NOTICES, NEW_OUTLINE_WORDS, label_key

__all__ = ["PARSER_VERSION", "parse_report"]

# 0.2.1: challenge pages, wrongly declared charsets, figure bounds, hostile input.
# 0.2.2: PDFs read from pdfium's text where that reading is complete (the same figures; a
#        table figure's label is what pdfium prints on the row's line; sections' text).
PARSER_VERSION = "0.2.2"

# The 2021 format is used from the 2021 reports on; 2019 and 2020 reports use the 2019 one.
_FIRST_2021_YEAR = 2021
_FIRST_2019_YEAR = 2019


def _format_from_markers(text_key: str) -> str | None:
    hits = {
        name: sum(marker in text_key for marker in markers)
        for name, markers in FORMAT_MARKERS.items()
    }
    best = max(hits, key=lambda name: hits[name])
    if hits[best] == 0:
        return None
    return best


def _has_new_outline(sections: list[Section]) -> bool:
    """The six-part outline of the 2019/2021 formats (applications in 三, reviews in 四)."""
    exact = {s.number for s in sections if title_group(s.heading) == s.number}
    return len(exact & {2, 3, 4}) >= 2


def _decide_template(
    text_key: str, sections: list[Section], year: int | None, warnings: list[str]
) -> str:
    marked = _format_from_markers(text_key)
    if marked:
        return marked
    cites_new = any(notice in text_key for notice in FORMAT_NOTICES.values())
    if FORMAT_NOTICES["2021"] in text_key and (year is None or year >= _FIRST_2021_YEAR):
        warnings.append(
            "template: no table labels printed; 2021 decided by the 〔2021〕30号 citation"
        )
        return "2021"
    names_new = NEW_OUTLINE_WORDS in text_key
    if _has_new_outline(sections) or (
        (cites_new or names_new) and year is not None and year >= _FIRST_2019_YEAR
    ):
        if year is None:
            warnings.append(
                "template: 2019/2021 outline without format markers or year; 2021 assumed"
            )
            return "2021"
        template = "2021" if year >= _FIRST_2021_YEAR else "2019"
        if year < _FIRST_2019_YEAR:
            template = "2019"
        warnings.append(f"template: no table labels printed; {template} decided by year {year}")
        return template
    return "pre2019"


def _drop_title_echo(sections: list[Section], title: str | None) -> list[Section]:
    """The attachment's file name closing the text is the title, not section content."""
    if not sections or not title:
        return sections
    last = sections[-1]
    lines = last.text.split("\n")
    if lines and title in lines[-1] and len(lines[-1]) <= len(title) + 8:
        sections[-1] = Section(last.number, last.heading, "\n".join(lines[:-1]).rstrip())
    return sections


_TABLE_TAG = lazy(r"<table\b", re.IGNORECASE)


def _embedded_tables_as_rows(text: str) -> str:
    """Raw ``<table>`` markup in a body text laid out as rows; the HTML reader (and lxml) is
    loaded only for a text that has some, as most never do."""
    if _TABLE_TAG.search(text) is None:
        return text
    from .html import render_embedded_tables

    return render_embedded_tables(text)


def parse_report(text: str, *, url: str | None = None) -> AnnualReport:
    """Parse one report's body text; raise ``NotAReportError`` for text that is not one."""
    warnings: list[str] = []
    normalized = normalize_text(_embedded_tables_as_rows(text))
    raw_lines = normalized.split("\n")
    publish_date = find_publish_date(raw_lines)
    # Tables are read before prose lines are rejoined: a row is never a broken sentence.
    table_lines = remove_page_numbers(strip_chrome_lines(raw_lines))
    lines = join_broken_lines(table_lines)

    title = find_title(lines)
    if title is not None and is_about_a_report(title):
        raise NotAReportError(f"an interpretation of a report, not the report: {title}")
    publisher, year = parse_title(title) if title else (None, None)
    if year is None:
        year = find_year_in_text(normalized)
        if year is not None:
            warnings.append(f"year {year} taken from the statistics period, not a title")
        else:
            year = find_year_in_opening(lines)
            if year is not None:
                warnings.append(f"year {year} taken from the opening sentence, not a title")
    if publisher is None:
        found = find_publisher_in_body(lines)
        if found is None:
            warnings.append("publisher not found: no title line, signature or contact names it")
        else:
            publisher = found[0]
            warnings.append(f"publisher {publisher} taken from {found[1]}, not a title")

    _, section_list = split_sections(lines)
    sections = _drop_title_echo(section_list, title)
    template = _decide_template(label_key(normalized), sections, year, warnings)

    tables = read_tables(table_lines, template)
    prose_values, prose_warnings = read_prose(lines)
    values = (*tables.values, *prose_values)
    warnings += tables.warnings + prose_warnings

    if (
        title is None
        and not has_report_opening(normalized)
        and not values
        and sum(title_group(s.heading) is not None for s in sections) < 2
    ):
        raise NotAReportError(
            "no report title, no numbered report sections and no report tables or figures"
        )
    if not sections:
        warnings.append("no numbered sections found")
    checks = run_checks(values, tables.application_rows)
    return AnnualReport(
        parser_version=PARSER_VERSION,
        publisher=publisher,
        publisher_level=publisher_level(publisher),
        year=year,
        template=template,
        title=title,
        publish_date=publish_date,
        url=url,
        sections=tuple(sections),
        values=values,
        checks=tuple(checks),
        warnings=tuple(warnings),
    )
