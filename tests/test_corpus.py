"""Regression corpus: 22 real config files from public dotfile repos (../shared/corpus).

Every file lints without crashing; the problems SOURCES.md names are found; and whatever the
real Droid CLI (0.225.2, DROID-VERDICTS.json) rejected or skipped is an error at that place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from factory_lint.context import FileInfo
from factory_lint.engine import LintResult, lint_text
from factory_lint.files import decode
from factory_lint.kinds import Kind
from factory_lint.runner import parse_with

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
FILES = sorted(p.name for p in CORPUS.glob("*.json") if p.name != "DROID-VERDICTS.json") if CORPUS.is_dir() else []

#: Codes that SOURCES.md's description of each file implies (at least these must appear).
EXPECTED: dict[str, set[str]] = {
    "dammianmiller-project-settings-local.json": {"FL104", "FL105"},
    "divkix-settings-droidproxy.json": {"FL105", "FL303"},
    "endijuan33-legacy-config-provider-claude.json": {"FL201"},
    "frixaco-settings-opencode-envvar.json": {"FL105"},
    "izzaalfiansyah-legacy-config-bad-provider.json": {"FL201"},
    "izzaalfiansyah-settings-jsonc-legacy-keys.json": {"FL105"},
    "jcibernet-settings-openai-no-v1.json": {"FL105", "FL406"},
    "kooshapari-legacy-config-mixed.json": {"FL201"},
    "manuelvanrijn-legacy-config-separator-entry.json": {"FL102", "FL104"},
    "nijaru-legacy-config.json": {"FL406", "FL601"},
    "nijaru-settings-jsonc-default.json": {"FL105"},
    "otahontas-settings-jsonc.json": {"FL105"},
    "tristanwagner-legacy-config-cliproxy.json": {"FL405"},
    "villoh-settings-envvar-hooks.json": {"FL104"},
    "xriu-settings-bare-envname.json": {"FL304"},
}


def kind_of(name: str) -> Kind:
    return "legacy" if "legacy-config" in name else "settings"


def lint_corpus_file(name: str) -> LintResult:
    text, problems = decode((CORPUS / name).read_bytes())
    info = FileInfo(name, "user", False, 0o600)
    return lint_text(text, kind_of(name), info, document=parse_with(text, problems))


@pytest.mark.parametrize("name", FILES)
def test_corpus_file_lints(name: str) -> None:
    result = lint_corpus_file(name)
    for finding in result.findings:
        assert 0 <= finding.start <= finding.end <= len(result.source.text)
    codes = {f.code for f in result.findings}
    missing = EXPECTED.get(name, set()) - codes
    assert not missing, f"{name}: expected {sorted(missing)} among {sorted(codes)}"


@pytest.mark.parametrize("name", FILES)
def test_droid_verdicts_are_errors(name: str) -> None:
    verdict = json.loads((CORPUS / "DROID-VERDICTS.json").read_text())["verdicts"][name]
    result = lint_corpus_file(name)
    errors = [f for f, s in zip(result.findings, result.severities, strict=True) if s == "error"]
    if verdict["file"] != "ok":
        assert errors, f"droid rejected {name} ({verdict['reason']}), factory-lint found no error"
    key = "custom_models" if kind_of(name) == "legacy" else "customModels"
    for index, state in enumerate(verdict["models"]):
        inside = re.compile(rf"^/{key}/{index}(/|$)")
        at_entry = [f for f in errors if inside.match(f.pointer)]
        if state == "skipped":
            assert at_entry, f"droid skipped {name} entry {index}; no error points at it"


def test_corpus_is_complete() -> None:
    assert len(FILES) == 22
