"""Golden tests: each rule has bad (must report it) and good (must not) inputs, and the exact
``concise`` output of every input is pinned in a ``.expected`` file next to it.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from factory_lint.context import FileInfo, RelatedFile, Scope
from factory_lint.engine import lint_text
from factory_lint.files import _link_outside, decode, markdown_siblings
from factory_lint.kinds import MARKDOWN_KINDS, Kind, kind_from_path
from factory_lint.report import FileReport, render_concise
from factory_lint.rules.leaks import file_role
from factory_lint.rules.registry import RULES
from factory_lint.runner import parse_with

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p for p in GOLDEN.glob("*/*.json"))
#: Markdown cases: a folder ``bad…``/``good…`` holding a small tree (``.factory/droids/x.md``)
#: whose paths give the kinds; JSON files in a ``.factory`` folder of the tree are the
#: Markdown files' related files. ``*user*`` folders are linted as the user's ~/.factory.
TREE_CASES = sorted(
    p for p in GOLDEN.glob("*/*") if p.is_dir() and p.name.startswith(("bad", "good"))
)


def kind_of(path: Path) -> Kind:
    if path.name.endswith(".mcp.json"):
        return "mcp"
    if path.name.endswith(".hooks.json"):
        return "hooks"
    return "legacy" if path.name.endswith(".config.json") else "settings"


def role_of(name: str) -> str:
    """The role a sibling input plays: ``*.legacy.hooks.json`` is a legacy hooks/hooks.json."""
    if name.endswith(".legacy.hooks.json"):
        return "hooks/hooks.json"
    for role in ("mcp.json", "hooks.json"):
        if name.endswith("." + role):
            return role
    return file_role(name)


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
    ``bad-x-siblings.user.config.json`` next to ``good-x-siblings.user.settings.json``. A
    sibling with ``.home.`` in its name is one of the user's ~/.factory files instead."""
    group = _sibling_group(path)
    if group is None:
        return ()
    return tuple(
        RelatedFile(
            other.name,
            role_of(other.name),
            other.read_text(encoding="utf-8"),
            "user" if ".home." in other.name else "folder",
        )
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
    if path.is_dir():
        return path.with_name(path.name + ".tree.expected")
    return path.with_name(path.name.removesuffix(".json") + ".expected")


def tree_files(case: Path) -> list[tuple[Path, str, Kind]]:
    """(file, path relative to the case, kind) of the Markdown files of a tree case."""
    found = []
    for path in sorted(case.rglob("*")):
        relative = path.relative_to(case).as_posix()
        kind = kind_from_path(PurePosixPath(relative))
        if relative.startswith("home/"):
            continue  # the case's ~ (FACTORY_HOME_OVERRIDE while its project files are linted)
        if (path.is_file() or path.is_symlink()) and kind in MARKDOWN_KINDS:
            found.append((path, relative, kind))
    return found


def tree_info(case: Path, path: Path, relative: str) -> FileInfo:
    user = "user" in case.name
    related: list[RelatedFile] = []
    for parent in path.parents:
        if parent == case or case not in parent.parents:
            break
        if parent.name == ".factory":
            related = [
                RelatedFile(j.name, j.name, j.read_text(encoding="utf-8"), "folder")
                for j in sorted(parent.glob("*.json"))
            ]
            break
    scope: Scope = "user" if user else "project"
    home = case / "home"
    saved = os.environ.get("FACTORY_HOME_OVERRIDE")
    os.environ["FACTORY_HOME_OVERRIDE"] = str(home if home.is_dir() else case / "no-home")
    try:
        siblings = markdown_siblings(path.resolve(), scope, user)
    finally:
        if saved is None:
            del os.environ["FACTORY_HOME_OVERRIDE"]
        else:
            os.environ["FACTORY_HOME_OVERRIDE"] = saved
    return FileInfo(
        f"{case.name}/{relative}",
        scope,
        not user,
        0o644,
        (*related, *siblings),
        _link_outside(path),
    )


def concise_tree(case: Path) -> str:
    reports = []
    for path, relative, kind in tree_files(case):
        text, _problems = decode(path.read_bytes())
        result = lint_text(text, kind, tree_info(case, path, relative))
        reports.append(FileReport(f"{case.name}/{relative}", result))
    output = render_concise(reports)
    return output + "\n" if output else ""


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.relative_to(GOLDEN).as_posix())
def test_golden(path: Path) -> None:
    actual = concise(path)
    expected_file = expected_path(path)
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"missing {expected_file.name}; run with UPDATE_GOLDEN=1"
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", TREE_CASES, ids=lambda p: p.relative_to(GOLDEN).as_posix())
def test_tree_golden(case: Path) -> None:
    assert tree_files(case), f"{case} holds no file with a Markdown kind"
    actual = concise_tree(case)
    expected_file = expected_path(case)
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"missing {expected_file.name}; run with UPDATE_GOLDEN=1"
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CASES + TREE_CASES, ids=lambda p: p.relative_to(GOLDEN).as_posix())
def test_case_reports_its_rule(path: Path) -> None:
    """A ``bad*`` input reports its folder's rule; a ``good*`` input does not."""
    code = path.parent.name.split("-", 1)[0]
    reported = f"[{code} " in (concise_tree(path) if path.is_dir() else concise(path))
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
        names += [p.name for p in folder.iterdir() if p.is_dir()]
        assert any(n.startswith("bad") for n in names), f"{code}: no bad case"
        assert any(n.startswith("good") for n in names), f"{code}: no good case"
