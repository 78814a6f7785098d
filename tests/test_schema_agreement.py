"""The shipped JSON Schema and the linter agree: on every schema fixture, jsonschema accepts a
file exactly when factory-lint reports no structural error or warning, and on the broken ones
the linter points at (or inside) every place the fixture's author marked as wrong."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from factory_lint.engine import LintResult, lint_text
from factory_lint.kinds import Kind
from factory_lint.schema import load_schema

FIXTURES = Path(__file__).parent / "fixtures" / "schema"
EXPECTED = json.loads((FIXTURES / "expected-errors.json").read_text())
#: Families that describe the file's shape (what a JSON Schema can say). Key, URL, catalog,
#: secret and reference rules go beyond any schema, so they are left out of the comparison.
#: HOOK102-HOOK106: schema failures in the `hooks` of settings.json (the hooks family reports them)
STRUCTURAL = ("FL0", "FL1", "FL2", "HOOK102", "HOOK103", "HOOK104", "HOOK105", "HOOK106")


def kind_of(path: Path) -> Kind:
    return "legacy" if path.name.startswith("legacy") else "settings"


def lint(path: Path) -> LintResult:
    return lint_text(path.read_text(encoding="utf-8"), kind_of(path))


def structural(result: LintResult) -> list[tuple[str, str]]:
    return [
        (f.code, f.pointer)
        for f, severity in zip(result.findings, result.severities, strict=True)
        if f.code.startswith(STRUCTURAL) and severity in ("error", "warning")
    ]


def schema_errors(path: Path) -> list[str]:
    validator = jsonschema.Draft202012Validator(load_schema(kind_of(path)))
    document = json.loads(path.read_text(encoding="utf-8"))
    return [e.json_path for e in validator.iter_errors(document)]


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*.json")), ids=lambda p: p.name)
def test_clean_fixture_is_clean_for_both(path: Path) -> None:
    assert schema_errors(path) == []
    assert structural(lint(path)) == []


@pytest.mark.parametrize(
    "path", sorted((FIXTURES / "invalid").glob("*.json")), ids=lambda p: p.name
)
def test_broken_fixture_is_broken_for_both(path: Path) -> None:
    assert schema_errors(path), "the schema accepts a fixture marked invalid"
    found = structural(lint(path))
    assert found, "the linter finds nothing structural in a file the schema rejects"
    for pointer in EXPECTED[path.name]:
        assert any(p == pointer or p.startswith(pointer + "/") for _, p in found), (
            f"no finding at {pointer!r}; found {found}"
        )
