"""Packaging metadata a clean install depends on."""

from __future__ import annotations

import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def test_an_spdx_license_string_asks_for_setuptools_77() -> None:
    """`license = "MIT"` (a PEP 639 SPDX expression) is an error before setuptools 77: the
    build must not accept an older one from a clean machine's index."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(data["project"]["license"], str)
    (setuptools,) = [r for r in data["build-system"]["requires"] if r.startswith("setuptools")]
    minimum = re.search(r">=\s*(\d+)", setuptools)
    assert minimum is not None and int(minimum.group(1)) >= 77, setuptools


def test_the_server_extra_is_what_the_server_imports() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    server = data["project"]["optional-dependencies"]["server"]
    assert {re.split(r"[<>=;\s]", r)[0] for r in server} == {"pygls", "lsprotocol"}
