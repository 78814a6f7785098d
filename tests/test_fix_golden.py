"""Before/after goldens for fixes: ``tests/golden_fixes/<name>.input.json`` is fixed with the
same loop ``--fix`` uses (:func:`factory_lint.fixes.fix_text` over :func:`lint_text`), and the
result must equal ``<name>.fixed.json`` (safe fixes only) and, when the unsafe fixes change
more, ``<name>.unsafe.fixed.json`` (``--unsafe-fixes``).

A name containing ``legacy`` is linted as a legacy config.json, any other as settings.json.
A name containing ``.project`` is linted as a committed project file, and
``<name>.neighbour.<role>.json`` files lie next to ``<name>.input.json`` as ``<role>.json``
(see :func:`info_of`).
Regenerate after an intended change with
``UPDATE_GOLDEN=1 python -m pytest tests/test_fix_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from factory_lint.context import FileInfo, RelatedFile
from factory_lint.engine import lint_text
from factory_lint.fixes import fix_text
from factory_lint.jsonc import parse
from factory_lint.kinds import Kind
from factory_lint.rules.registry import RULES

GOLDEN = Path(__file__).parent / "golden_fixes"
INPUTS = sorted(GOLDEN.glob("*.input.json"))


def kind_of(path: Path) -> Kind:
    return "legacy" if "legacy" in path.name else "settings"


def info_of(path: Path) -> FileInfo:
    """Where the input lives: a committed project file (``.project`` in the name), and/or next
    to ``<name>.neighbour.config.json`` etc.; by default stdin-like (no place, no neighbours)."""
    stem = path.name.removesuffix(".input.json")
    related = tuple(
        RelatedFile(other.name, other.name.split(".neighbour.", 1)[1], other.read_text("utf-8"))
        for other in sorted(GOLDEN.glob(f"{stem}.neighbour.*.json"))
    )
    role = "config.json" if kind_of(path) == "legacy" else "settings.json"
    if ".project" in stem:
        return FileInfo(f".factory/{role}", "project", True, 0o644, related)
    if related:
        return FileInfo(f".factory/{role}", "user", False, 0o600, related)
    return FileInfo()


def fixed(path: Path, unsafe: bool) -> str:
    kind = kind_of(path)
    info = info_of(path)
    text = path.read_text(encoding="utf-8")
    return fix_text(text, lambda current: lint_text(current, kind, info).findings, unsafe).text


def check(actual: str, expected: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(actual, encoding="utf-8")
    assert expected.exists(), f"missing {expected.name}; run with UPDATE_GOLDEN=1"
    assert actual == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name.removesuffix(".input.json"))
def test_fix_golden(path: Path) -> None:
    stem = path.name.removesuffix(".input.json")
    safe = fixed(path, unsafe=False)
    unsafe = fixed(path, unsafe=True)
    check(safe, path.with_name(f"{stem}.fixed.json"))
    unsafe_file = path.with_name(f"{stem}.unsafe.fixed.json")
    if unsafe == safe:
        if os.environ.get("UPDATE_GOLDEN") and unsafe_file.exists():
            unsafe_file.unlink()
        assert not unsafe_file.exists(), f"{unsafe_file.name} is stale: unsafe fixes add nothing"
    else:
        check(unsafe, unsafe_file)
    original = path.read_text(encoding="utf-8")
    assert unsafe != original or safe != original, f"{path.name}: no fix applies"
    for text in (safe, unsafe):
        before = {p.kind for p in parse(original).problems}
        assert {p.kind for p in parse(text).problems} <= before, "a fix added a syntax problem"


def test_every_fixable_rule_has_a_fix_golden() -> None:
    """Every fixable base-URL, model, secrets and reference rule appears in some input's name
    (``FL405-…``, ``FL603-FL604-…``)."""
    covered = {code for p in INPUTS for code in re.findall(r"FL\d{3}", p.name)}

    wanted = {
        code
        for code, rule in RULES.items()
        if rule.fixable and rule.family in ("urls", "catalog", "secrets", "references")
    }
    assert wanted <= covered, f"no fix golden for {sorted(wanted - covered)}"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name.removesuffix(".input.json"))
def test_fixes_keep_crlf_line_endings(path: Path) -> None:
    """Every fix golden, written with CRLF line endings: the fixes give the same result with
    CRLF line endings, and no fix (FL702/FL704 insert whole entries) adds a bare LF."""
    kind = kind_of(path)
    info = info_of(path)
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    for unsafe in (False, True):
        result = fix_text(text, lambda current: lint_text(current, kind, info).findings, unsafe)
        assert "\n" not in result.text.replace("\r\n", ""), "a fix added a bare LF"
        assert result.text.replace("\r\n", "\n") == fixed(path, unsafe)
