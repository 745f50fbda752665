"""Frozen records that parsing produces; nothing here knows where the text came from.

These are the shapes of DESIGN.md's ``python -m parsers`` JSON: ``AnnualReport.to_dict``
is that contract, so exports and tests read the same names the database uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE_CHECKING = False  # typing's, without importing typing (see parsers/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Literal

    Source = Literal["table", "prose"]  # where a figure was read

__all__ = ["AnnualReport", "Check", "Number", "Section", "Value"]

Number = int | float


def _by_fields(self: Any) -> tuple[Any, ...]:
    """Pickled as the class and its fields in order: read back through ``__init__``, 2.5×
    faster than the default of slotted dataclasses (a report crosses from a parse worker to
    the writer as a pickle)."""
    return (type(self), tuple(getattr(self, name) for name in type(self).__slots__))


@dataclass(frozen=True, slots=True)
class Value:
    """One printed figure under canonical keys, with the label it was printed under."""

    __reduce__ = _by_fields

    table: str
    row: str
    column: str
    value: Number
    source: Source
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "source": self.source,
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class Check:
    """One consistency check; ``ok`` is False when the printed figures disagree.

    ``subject`` names what was checked (``column total``, ``row new_received``,
    ``表四 row review``, ``applications/new_received/total``) and opens ``detail``.
    """

    __reduce__ = _by_fields

    check: str
    ok: bool
    subject: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "ok": self.ok, "subject": self.subject, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered top-level section: its printed number, heading and text (tables included)."""

    __reduce__ = _by_fields

    number: int
    heading: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "heading": self.heading, "text": self.text}


@dataclass(frozen=True, slots=True)
class AnnualReport:
    """Everything read from one report body; figures are as printed, never corrected."""

    __reduce__ = _by_fields

    parser_version: str
    publisher: str | None
    publisher_level: str | None
    year: int | None
    template: str
    title: str | None
    publish_date: str | None
    url: str | None = None
    sections: tuple[Section, ...] = ()
    values: tuple[Value, ...] = ()
    checks: tuple[Check, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def value(self, table: str, row: str, column: str, source: Source = "table") -> Number | None:
        """The figure under these keys from ``source``, or None when it was not read."""
        for item in self.values:
            if (item.table, item.row, item.column, item.source) == (table, row, column, source):
                return item.value
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "parser_version": self.parser_version,
            "publisher": self.publisher,
            "publisher_level": self.publisher_level,
            "year": self.year,
            "template": self.template,
            "title": self.title,
            "publish_date": self.publish_date,
            "url": self.url,
            "sections": [section.to_dict() for section in self.sections],
            "values": [value.to_dict() for value in self.values],
            "checks": [check.to_dict() for check in self.checks],
            "warnings": list(self.warnings),
        }
