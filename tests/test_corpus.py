"""Regression corpus: 22 real config files from public dotfile repos (../shared/corpus).

Every file lints without crashing; the problems SOURCES.md names are found; and whatever the
real Droid CLI (0.225.2, DROID-VERDICTS.json) rejected or skipped is an error at that place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from factory_lint.context import FileInfo, RelatedFile
from factory_lint.engine import LintResult, lint_text
from factory_lint.files import decode
from factory_lint.kinds import Kind
from factory_lint.runner import parse_with

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
FILES = (
    sorted(p.name for p in CORPUS.glob("*.json") if p.name != "DROID-VERDICTS.json")
    if CORPUS.is_dir()
    else []
)

#: Codes that SOURCES.md's description of each file implies (at least these must appear).
EXPECTED: dict[str, set[str]] = {
    "dammianmiller-project-settings-local.json": {"HOOK106", "FL105"},  # PermissionRequest
    "divkix-settings-droidproxy.json": {"FL105", "FL303"},
    "endijuan33-legacy-config-provider-claude.json": {"FL201"},
    "frixaco-settings-opencode-envvar.json": {"FL105"},
    "izzaalfiansyah-legacy-config-bad-provider.json": {"FL201"},
    # `model` names a config.json entry that Droid skips (linted with that config.json beside it)
    "izzaalfiansyah-settings-jsonc-legacy-keys.json": {"FL105", "FL702"},
    "jcibernet-settings-openai-no-v1.json": {"FL105", "FL406"},
    "kooshapari-legacy-config-mixed.json": {"FL201"},
    "manuelvanrijn-legacy-config-separator-entry.json": {"FL102", "FL104"},
    "nijaru-legacy-config.json": {"FL406", "FL601"},
    "nijaru-settings-jsonc-default.json": {"FL105"},
    "otahontas-settings-jsonc.json": {"FL105"},
    "tristanwagner-legacy-config-cliproxy.json": {"FL405"},
    # sessionDefaultSettings.model "custom:kimi-k2.6" matches no custom model
    "villoh-settings-envvar-hooks.json": {"HOOK106", "FL702"},  # PermissionRequest
    # the same 23 models under other ids in both files: droid 0.225.2 lists 53 models
    "tonylu01-settings-migrated.json": {"FL704"},
    "tonylu01-legacy-config.json": {"FL704"},
    "xriu-settings-bare-envname.json": {"FL304"},
}


def kind_of(name: str) -> Kind:
    return "legacy" if "legacy-config" in name else "settings"


#: Files that lay in the same folder at the same commit (SOURCES.md), linted with each other as
#: neighbours, under the names Droid gives them.
NEIGHBOURS: dict[str, tuple[str, str]] = {
    "izzaalfiansyah-settings-jsonc-legacy-keys.json": (
        "settings.json",
        "izzaalfiansyah-legacy-config-bad-provider.json",
    ),
    "izzaalfiansyah-legacy-config-bad-provider.json": (
        "config.json",
        "izzaalfiansyah-settings-jsonc-legacy-keys.json",
    ),
    "tonylu01-settings-migrated.json": ("settings.json", "tonylu01-legacy-config.json"),
    "tonylu01-legacy-config.json": ("config.json", "tonylu01-settings-migrated.json"),
}

#: Real credentials (redacted to same-shape values) that SOURCES.md names, with their count: the
#: files were public, i.e. committed, so linted as committed project files each must report them.
COMMITTED_KEYS: dict[str, int] = {
    "dammianmiller-project-settings-local.json": 28,
    "frinfo702-settings-opencode.json": 12,
    "izzaalfiansyah-legacy-config-bad-provider.json": 6,
    "kooshapari-legacy-config-mixed.json": 3,
}


def lint_corpus_file(name: str, committed: bool = False) -> LintResult:
    text, problems = decode((CORPUS / name).read_bytes())
    path, related = name, ()
    if name in NEIGHBOURS:
        role, other = NEIGHBOURS[name]
        path = f"{name.split('-', 1)[0]}/.factory/{role}"
        other_role = "config.json" if role == "settings.json" else "settings.json"
        related = (RelatedFile(other, other_role, (CORPUS / other).read_text(encoding="utf-8")),)
    info = FileInfo(path, "project" if committed else "user", committed, 0o600, related)
    return lint_text(text, kind_of(name), info, document=parse_with(text, problems))


@pytest.mark.parametrize("name", FILES)
def test_committed_keys_are_found_and_nothing_else(name: str) -> None:
    """As committed files: every redacted credential is an FL501 error; the dummies
    (`sk-dummy`, `dummy-not-used`, `cliproxyapi`, `not-needed`, ``${VAR}``, …) are not."""
    found = [f for f in lint_corpus_file(name, committed=True).findings if f.code == "FL501"]
    assert len(found) == COMMITTED_KEYS.get(name, 0)


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
