"""JavaScript regular expressions (as Droid's hook matchers are) checked with Python's ``re``.

The two dialects agree on what hook matchers use (alternation, classes, quantifiers, anchors);
the differences translated here are JavaScript's named groups ``(?<name>…)`` and back-references
``\\k<name>``, and ``[^]`` (any character). A pattern longer than :data:`MAX_PATTERN` is not
compiled (treated as valid): matchers are short.
"""

from __future__ import annotations

import re
from functools import lru_cache

MAX_PATTERN = 2000
_NAMED_GROUP = re.compile(r"\(\?<(?![=!])")
_BACKREF = re.compile(r"\\k<([A-Za-z_][A-Za-z0-9_]*)>")


@lru_cache(maxsize=1024)
def compile_js(pattern: str) -> re.Pattern[str] | str:
    """The compiled pattern, or the reason it is not a valid JavaScript RegExp."""
    if len(pattern) > MAX_PATTERN:
        return re.compile("")
    translated = _NAMED_GROUP.sub("(?P<", pattern)
    translated = _BACKREF.sub(r"(?P=\1)", translated)
    translated = translated.replace("[^]", r"[\s\S]")
    try:
        return re.compile(translated)
    except (re.error, RecursionError, OverflowError) as error:
        return str(getattr(error, "msg", error))
