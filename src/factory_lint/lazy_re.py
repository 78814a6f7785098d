"""Regular expressions compiled on first use.

Compiling a pattern costs 0.05-0.5 ms in pure Python (``re._parser``); most of factory-lint's
patterns serve rare cases (the tolerant parser, suppression comments, placeholder heuristics),
so a run that never needs them should not compile them. :func:`lazy_compile` returns a stand-in
that compiles on its first use and then hands out the compiled pattern's own bound methods.
"""

from __future__ import annotations

import re
from typing import Any, cast

#: Attributes copied from the compiled pattern on first use (lookups then skip ``__getattr__``).
_FORWARDED = (
    "match",
    "fullmatch",
    "search",
    "sub",
    "subn",
    "split",
    "findall",
    "finditer",
    "scanner",
    "pattern",
    "flags",
    "groups",
    "groupindex",
)


class _LazyPattern:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = pattern
        self._flags = flags

    def _compiled(self) -> re.Pattern[str]:
        compiled = re.compile(self._source, self._flags)
        for name in _FORWARDED:
            setattr(self, name, getattr(compiled, name))
        return compiled

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_source", "_flags"):
            raise AttributeError(name)
        return getattr(self._compiled(), name)

    def __repr__(self) -> str:
        return repr(re.compile(self._source, self._flags))

    def __eq__(self, other: object) -> bool:
        mine = re.compile(self._source, self._flags)
        if isinstance(other, _LazyPattern):
            return mine == re.compile(other._source, other._flags)
        return mine == other

    def __hash__(self) -> int:
        return hash(re.compile(self._source, self._flags))

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return (re.compile, (self._source, self._flags))


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))
