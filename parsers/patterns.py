"""Regular expressions compiled when first used, not when their module is imported.

The package holds about a hundred patterns, many with classes of Chinese characters that
cost ``re`` 1–6 ms each to compile; compiled at import they were most of the start-up of
``python -m parsers`` on a small text, which uses well under half of them (no tables, no PDF
layout). ``lazy`` stands in for a module-level ``re.compile``: the pattern compiles the
first time one of its methods or attributes is asked for, and from then on its methods are
the compiled pattern's own, looked up as directly as on a ``re.Pattern``.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing's, without importing typing (see parsers/__init__.py)
if TYPE_CHECKING:
    from typing import Any, AnyStr

__all__ = ["lazy"]

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A ``re.Pattern`` that compiles on first use (see ``lazy``)."""

    __slots__ = ("_compiled", "_flags", "_source", *_METHODS)

    def __init__(self, source: str | bytes, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[Any] | None = None

    def _compile(self) -> re.Pattern[Any]:
        if self._compiled is None:
            compiled = re.compile(self._source, self._flags)
            for name in _METHODS:  # found in the instance from now on: no __getattr__
                setattr(self, name, getattr(compiled, name))
            self._compiled = compiled
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        # Only for what is not set yet: the methods before the first use, and the compiled
        # pattern's other attributes (groups, groupindex …).
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._compile(), name)

    @property
    def pattern(self) -> str | bytes:
        return self._source

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyPattern, (self._source, self._flags))

    def __repr__(self) -> str:
        return f"lazy({self._source!r}, {self._flags!r})"


def lazy(source: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(source, flags)``, done the first time the pattern is used."""
    return LazyPattern(source, flags)  # type: ignore[return-value]  # it acts as one
