"""The pre-commit hook's `files` pattern picks exactly the Droid config files of every layout.

Modelled on check-jsonschema's tests/acceptance/test_hook_file_matches.py, with pre-commit's own
matching rule (``re.search`` on the path relative to the repository root, ``/`` separated) and its
``types`` filter (identify's tags for the file name).
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from identify.identify import tags_from_filename

from factory_lint.kinds import resolve_kind

REPO_ROOT = Path(__file__).resolve().parent.parent
HOOKS_FILE = REPO_ROOT / ".pre-commit-hooks.yaml"

GOOD = (
    # a project's own folder, at the root and below it (Droid reads .factory/ up to the git root)
    ".factory/settings.json",
    ".factory/settings.local.json",
    ".factory/config.json",
    "services/api/.factory/settings.json",
    # a home folder kept in git, or a GNU stow package (<pkg>/.factory/...)
    "home/me/.factory/settings.json",
    "droid/.factory/settings.json",
    "stow/droid/.factory/settings.local.json",
    "droid/.factory/config.json",
    # GNU stow --dotfiles turns dot-factory into .factory
    "droid/dot-factory/settings.json",
    # chezmoi source state: dot_factory and its attribute prefixes, on folder and file
    "dot_factory/settings.json",
    "dot_factory/config.json",
    "dot_factory/private_settings.json",
    "dot_factory/private_readonly_settings.local.json",
    "dot_factory/readonly_config.json",
    "dot_factory/create_settings.json",
    "dot_factory/empty_settings.local.json",
    "dot_factory/executable_settings.json",
    "private_dot_factory/settings.json",
    "private_dot_factory/private_settings.json",
    "private_dot_factory/private_config.json",
    "readonly_dot_factory/settings.json",
    "exact_dot_factory/settings.json",
    "exact_private_dot_factory/private_settings.json",
    "home/private_dot_factory/settings.local.json",
    ".local/share/chezmoi/private_dot_factory/private_settings.json",
    # a plain factory/ folder in a dotfile repo
    "factory/settings.json",
    "factory/settings.local.json",
    "factory/config.json",
    "dotfiles/factory/settings.json",
    # odd but legal path characters
    "my project/.factory/settings.json",
    "ünïcode/.factory/settings.json",
    # mcp.json and hooks (issue 17)
    ".factory/mcp.json",
    ".factory/hooks.json",
    ".factory/hooks/hooks.json",
    "dot_factory/private_mcp.json",
    "private_dot_factory/hooks.json",
    "factory/mcp.json",
    # the Markdown kinds
    ".factory/droids/reviewer.md",
    ".factory/droids/nested/reviewer.MD",
    ".factory/commands/deploy.md",
    ".factory/commands/ops/deploy.sh",
    ".agents/commands/review.md",
    ".factory/skills/pdf/SKILL.md",
    ".agents/skills/group/pdf/SKILL.md",
    ".agent/skills/pdf/skill.mdx",
    ".factory/skills/flat.md",
    ".factory/output-styles/terse.md",
    "dot_factory/exact_droids/private_reviewer.md",
    "AGENTS.md",
    "services/api/AGENTS.md",
    "CLAUDE.md",
    ".factory/AGENTS.md",
)

BAD = (
    # other files in the folders
    ".factory/settings.json.bak",
    ".factory/hooks/hooks.migrated.json",
    ".factory/skills/pdf/references/guide.md",
    ".factory/droids/reviewer.txt",
    ".agents/droids/reviewer.md",
    ".agents/mcp.json",
    "factory/commands/deploy.md",
    ".vscode/mcp.json",
    ".cursor/mcp.json",
    ".claude/hooks.json",
    ".factory/plugins/cache/x/hooks/hooks.json",
    ".factory/commands/deploy.md.tmpl",
    "README.md",
    ".factory/settings.jsonc",
    ".factory/settings.yaml",
    ".factory/old-settings.json",
    ".factory/settings.json~",
    ".factory/hooks/settings.json",
    # the names outside a Droid folder
    "settings.json",
    "config.json",
    "settings.local.json",
    ".vscode/settings.json",
    "src/config.json",
    "app/settings.json",
    # folders whose names merely contain "factory"
    "my-factory/settings.json",
    "factory-config/settings.json",
    ".factoryrc/settings.json",
    "factory.d/settings.json",
    "dot_factory_backup/settings.json",
    "dot_factory.bak/settings.json",
    "src/dot_factoryx/settings.json",
    # chezmoi files that are not plain JSON: templates, encrypted, scripts, symlinks, removals
    "dot_factory/settings.json.tmpl",
    "private_dot_factory/private_settings.json.tmpl",
    "dot_factory/encrypted_settings.json",
    "dot_factory/encrypted_private_settings.json.age",
    "dot_factory/modify_settings.json",
    "dot_factory/symlink_settings.json",
    "dot_factory/remove_settings.json",
    "dot_factory/run_settings.json",
    "remove_dot_factory/settings.json",
    # other prefixes and case
    "dot_factory/privatesettings.json",
    "dot_factory/foo_settings.json",
    ".factory/Settings.json",
    ".Factory/settings.json",
    ".factory/SETTINGS.JSON",
)


def _hook() -> dict[str, Any]:
    hooks = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    for hook in hooks:
        if hook["id"] == "factory-lint":
            return dict(hook)
    raise LookupError("no factory-lint hook in .pre-commit-hooks.yaml")


def _pre_commit_selects(hook: dict[str, Any], path: str) -> bool:
    """pre-commit's filter: ``files``/``exclude`` by re.search, then ``types``/``types_or``."""
    if not re.search(hook["files"], path):
        return False
    if "exclude" in hook and re.search(hook["exclude"], path):
        return False
    tags = tags_from_filename(path) | {"file", "text"}
    if not set(hook.get("types", ["file"])) <= tags:
        return False
    types_or = hook.get("types_or", [])
    return not types_or or bool(set(types_or) & tags)


def test_hook_definition() -> None:
    hook = _hook()
    assert hook["language"] == "python"
    assert hook["entry"] == "factory-lint --pre-commit"
    assert hook.get("pass_filenames", True) is True
    assert hook.get("require_serial", False) is False
    assert hook["description"]
    re.compile(hook["files"])


@pytest.mark.parametrize("path", GOOD)
def test_hook_selects_droid_files(path: str) -> None:
    assert _pre_commit_selects(_hook(), path), f"the hook skips {path!r}"


@pytest.mark.parametrize("path", BAD)
def test_hook_skips_other_files(path: str) -> None:
    assert not _pre_commit_selects(_hook(), path), f"the hook selects {path!r}"


@pytest.mark.parametrize("path", GOOD)
def test_linter_lints_what_the_hook_selects(path: str) -> None:
    """Every selected path has a Droid file name, so the linter lints it instead of skipping."""
    pure = PurePosixPath(path)
    kind, note = resolve_kind(pure, None)
    assert kind is not None, note


@pytest.mark.parametrize("path", BAD)
def test_linter_claims_no_kind_for_what_the_hook_skips(path: str) -> None:
    """The hook and the path recognition agree on the files that are not Droid's (by name)."""
    pure = PurePosixPath(path)
    if pure.name.endswith(("settings.json", "config.json", "settings.local.json")):
        return  # the content decides for these names (sniffing; chezmoi's modify_ scripts)
    assert resolve_kind(pure, None)[0] is None
