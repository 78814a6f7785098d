"""Lazy access to the packaged catalog files (``factory_lint/data/catalog/*.json``).

Nothing is read at import time: each file is parsed on first use and kept for the life of the
process.  ``json`` is imported inside the loader so that importing
:mod:`factory_lint.catalog` stays cheap.
"""

from __future__ import annotations

import functools
from typing import Any

CATALOG_FILES = ("endpoints.json", "keys.json", "models.json")
SUPPORTED_FORMAT = 1


class CatalogError(RuntimeError):
    """A packaged catalog file is missing or has an unexpected format."""


@functools.cache
def load_json(name: str) -> Any:
    """The parsed contents of ``data/catalog/<name>`` (cached)."""
    if name not in CATALOG_FILES:
        raise CatalogError(f"unknown catalog file {name!r}")
    import json

    from factory_lint import read_data

    try:
        text = read_data("catalog", name)
    except OSError as exc:  # pragma: no cover - broken installation
        raise CatalogError(f"catalog file {name} is missing: {exc}") from exc
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != SUPPORTED_FORMAT:
        raise CatalogError(f"catalog file {name} has an unsupported format")
    return data


def loaded_files() -> int:
    """How many catalog files have been parsed so far (for tests and diagnostics)."""
    return load_json.cache_info().currsize
