"""Lazy access to the packaged catalog files (``factory_lint/data/catalog/*.json``).

Nothing is read at import time: each file is parsed on first use and kept for the life of the
process.  ``json`` is imported inside the loader so that importing
:mod:`factory_lint.catalog` stays cheap.  :func:`load_part` parses only the part of a file a
rule asks for (one endpoint's models out of the 290 KB ``models.json``).
"""

from __future__ import annotations

import functools
from typing import Any

CATALOG_FILES = ("endpoints.json", "keys.json", "models.json")
SUPPORTED_FORMAT = 1

#: Files read so far, whole or in part.
_READ: set[str] = set()
#: Files parsed whole.
_WHOLE: set[str] = set()


class CatalogError(RuntimeError):
    """A packaged catalog file is missing or has an unexpected format."""


@functools.cache
def _text(name: str) -> str:
    if name not in CATALOG_FILES:
        raise CatalogError(f"unknown catalog file {name!r}")
    from factory_lint import read_data

    try:
        text = read_data("catalog", name)
    except OSError as exc:  # pragma: no cover - broken installation
        raise CatalogError(f"catalog file {name} is missing: {exc}") from exc
    _READ.add(name)
    return text


@functools.cache
def load_json(name: str) -> Any:
    """The parsed contents of ``data/catalog/<name>`` (cached)."""
    import json

    data = json.loads(_text(name))
    if not isinstance(data, dict) or data.get("format") != SUPPORTED_FORMAT:
        raise CatalogError(f"catalog file {name} has an unsupported format")
    _WHOLE.add(name)
    return data


def load_part(name: str, *keys: str) -> Any:
    """``load_json(name)[keys[0]][keys[1]]...``, or None where a key is missing.

    Parses only that part of the file, as ``scripts/build_catalogs.py`` lays it out: every
    member of the nested objects on lines of its own, indented two spaces per level (JSON
    strings hold no raw line breaks, so a line that starts at a member's indentation with a
    quote starts the next member). Text laid out otherwise is parsed whole; either way the
    value is the same (tests/test_catalog.py compares them for every part).
    """
    if name in _WHOLE:
        return _navigate(load_json(name), keys)
    return _load_part(name, keys)


def _navigate(data: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


@functools.cache
def _load_part(name: str, keys: tuple[str, ...]) -> Any:
    import json

    text = _text(name)
    try:
        version = _span(name, ("format",))
        if version is None or json.loads(text[version[0] : version[1]]) != SUPPORTED_FORMAT:
            raise ValueError("not the supported format")  # load_json says so
        span = _span(name, keys)
        return None if span is None else json.loads(text[span[0] : span[1]])
    except ValueError:
        return _navigate(load_json(name), keys)  # not laid out as expected: parse it all


def _span(name: str, keys: tuple[str, ...]) -> tuple[int, int] | None:
    """``[start, end)`` of the value at ``keys`` in the file's text; None when a key is
    missing."""
    span = _whole_span(name)
    for depth, key in enumerate(keys):
        found = _members(name, keys[:depth], span).get(key)
        if found is None:
            return None
        span = found
    return span


@functools.cache
def _whole_span(name: str) -> tuple[int, int]:
    text = _text(name)
    return (0, len(text.rstrip()))


@functools.cache
def _members(
    name: str, parents: tuple[str, ...], span: tuple[int, int]
) -> dict[str, tuple[int, int]]:
    """Key -> ``[start, end)`` of its value for the object at ``span`` (``parents`` deep).

    Raises ValueError when the text there is not laid out as the build script writes it."""
    import json

    text = _text(name)
    start, end = span
    if text[start : start + 1] != "{" or text[end - 1 : end] != "}":
        raise ValueError("not an object")
    marker = "\n" + "  " * (len(parents) + 1) + '"'
    found: list[tuple[str, int, int]] = []  # (key, value start, line start)
    at = text.find(marker, start, end)
    while at != -1:
        colon = text.find('": ', at + len(marker), end)
        if colon == -1:
            raise ValueError("a member without a value")
        key = json.loads(text[at + len(marker) - 1 : colon + 1])
        if not isinstance(key, str):
            raise ValueError("not a key")
        found.append((key, colon + 3, at))
        at = text.find(marker, colon, end)
    if text[start + 1 : found[0][2] if found else end - 1].strip():
        raise ValueError("text before the first member")
    out: dict[str, tuple[int, int]] = {}
    for index, (key, value_start, _) in enumerate(found):
        if index + 1 < len(found):
            value_end = found[index + 1][2] - 1
            if text[value_end] != ",":
                raise ValueError("members not separated by commas")
        else:
            value_end = text.rfind("\n", value_start, end)
            if value_end == -1 or text[value_end:end].strip() != "}":
                raise ValueError("no line break before the closing brace")
        out[key] = (value_start, value_end)
    return out


def loaded_files() -> int:
    """How many catalog files have been read so far, whole or in part (for tests and
    diagnostics)."""
    return len(_READ)
