"""Golden tests: each rule has bad (must report it) and good (must not) inputs, and the exact
``concise`` output of every input is pinned in a ``.expected`` file next to it.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factory_lint.context import FileInfo, RelatedFile
from factory_lint.engine import lint_text
from factory_lint.files import decode
from factory_lint.kinds import Kind
from factory_lint.report import FileReport, render_concise
from factory_lint.rules.leaks import file_role
from factory_lint.rules.registry import RULES
from factory_lint.runner import parse_with

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.rglob("*.json"))


def kind_of(path: Path) -> Kind:
    return "legacy" if path.name.endswith(".config.json") else "settings"


def info_of(path: Path, relative: str) -> FileInfo:
    """``*.project.*`` inputs are linted as committed project files, ``*.ignored.*`` as
    git-ignored project files, ``*.user.*`` as the user's own file (mode 600),
    ``*.user-shared.*`` as the user's own file readable by others (mode 644), others as
    unknown. See :func:`related_of` for neighbouring files."""
    related = related_of(path)
    if ".project." in path.name:
        return FileInfo(relative, "project", True, 0o644, related)
    if ".ignored." in path.name:
        return FileInfo(relative, "project", False, 0o644, related)
    if ".user." in path.name:
        return FileInfo(relative, "user", False, 0o600, related)
    if ".user-shared." in path.name:
        return FileInfo(relative, "user", False, 0o644, related)
    return FileInfo(relative, "unknown", False, None, related)


def _sibling_group(path: Path) -> str | None:
    first = path.name.split(".", 1)[0]
    group = first.removeprefix("bad").removeprefix("good").lstrip("-")
    return group if "siblings" in group else None


def related_of(path: Path) -> tuple[RelatedFile, ...]:
    """Inputs whose first name part contains ``siblings`` are linted as if the other inputs of
    the same group (the name without its ``bad``/``good`` prefix) lay in the same folder:
    ``bad-x-siblings.user.config.json`` next to ``good-x-siblings.user.settings.json``."""
    group = _sibling_group(path)
    if group is None:
        return ()
    return tuple(
        RelatedFile(other.name, file_role(other.name), other.read_text(encoding="utf-8"))
        for other in sorted(path.parent.glob("*.json"))
        if other != path and _sibling_group(other) == group
    )


def concise(path: Path) -> str:
    relative = path.relative_to(GOLDEN).as_posix()
    text, problems = decode(path.read_bytes())
    document = parse_with(text, problems)
    result = lint_text(text, kind_of(path), info_of(path, relative), document=document)
    output = render_concise([FileReport(relative, result)])
    return output + "\n" if output else ""


def expected_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".json") + ".expected")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.relative_to(GOLDEN).as_posix())
def test_golden(path: Path) -> None:
    actual = concise(path)
    expected_file = expected_path(path)
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"missing {expected_file.name}; run with UPDATE_GOLDEN=1"
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.relative_to(GOLDEN).as_posix())
def test_case_reports_its_rule(path: Path) -> None:
    """A ``bad*`` input reports its folder's rule; a ``good*`` input does not."""
    code = path.parent.name.split("-", 1)[0]
    reported = f"[{code} " in concise(path)
    if path.name.startswith("bad"):
        assert reported, f"{path.name} should report {code}"
    elif path.name.startswith("good"):
        assert not reported, f"{path.name} should not report {code}"


def test_every_rule_has_golden_cases() -> None:
    folders = {p.name.split("-", 1)[0]: p for p in GOLDEN.iterdir() if p.is_dir()}
    for code, rule in RULES.items():
        if rule.family == "probe":
            continue  # live checks need a server: covered by tests/probe instead
        assert code in folders, f"no golden folder for {code} {rule.name}"
        folder = folders[code]
        assert folder.name == f"{code}-{rule.name}", f"rename {folder.name} to {code}-{rule.name}"
        names = [p.name for p in folder.glob("*.json")]
        assert any(n.startswith("bad") for n in names), f"{code}: no bad case"
        assert any(n.startswith("good") for n in names), f"{code}: no good case"
