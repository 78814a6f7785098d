"""Which files are Droid's, and as which kind they are linted."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from factory_lint.jsonc import parse
from factory_lint.kinds import resolve_kind


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("home/.factory/settings.json", "settings"),
        ("repo/.factory/settings.local.json", "settings"),
        ("home/.factory/config.json", "legacy"),
        ("dotfiles/dot_factory/settings.json", "settings"),
        ("dotfiles/private_dot_factory/private_settings.json", "settings"),
        ("dotfiles/dot_factory/private_readonly_config.json", "legacy"),
        ("dotfiles/factory/settings.json", "settings"),
        ("stow/droid/.factory/config.json", "legacy"),
    ],
)
def test_kind_from_path(path: str, kind: str) -> None:
    assert resolve_kind(PurePosixPath(path), parse('{"custom_models": []}').root)[0] == kind


def test_content_sniffing_for_other_names() -> None:
    path = PurePosixPath("backup/droid-settings.json")
    assert resolve_kind(path, parse('{"customModels": []}').root) == ("settings", None)
    assert resolve_kind(path, parse('{"custom_models": []}').root) == ("legacy", None)
    kind, note = resolve_kind(path, parse('{"editor.fontSize": 12}').root)
    assert kind is None and note is not None and "--kind" in note


def test_foreign_config_json_is_skipped_with_a_note() -> None:
    kind, note = resolve_kind(
        PurePosixPath("repo/.factory/config.json"), parse('{"workers": 2}').root
    )
    assert kind is None and note is not None and "another tool" in note
    # A broken file is still linted: it may be Droid's.
    assert resolve_kind(PurePosixPath("repo/.factory/config.json"), parse("{").root)[0] == "legacy"


def test_forced_kind_wins() -> None:
    assert resolve_kind(PurePosixPath("x.json"), None, "legacy") == ("legacy", None)


def test_chezmoi_templates_are_skipped() -> None:
    kind, note = resolve_kind(PurePosixPath("dot_factory/settings.json.tmpl"), None)
    assert kind is None and note is not None and "template" in note


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("home/.factory/mcp.json", "mcp"),
        ("repo/.factory/hooks.json", "hooks"),
        ("repo/.factory/hooks/hooks.json", "hooks"),
        ("dotfiles/private_dot_factory/private_mcp.json", "mcp"),
        ("repo/.factory/droids/reviewer.md", "droid"),
        ("repo/.factory/droids/nested/reviewer.MD", "droid"),
        ("repo/.factory/skills/pdf/SKILL.md", "skill"),
        ("repo/.agents/skills/group/pdf/SKILL.md", "skill"),
        ("repo/.factory/skills/pdf/skill.mdx", "skill"),
        ("repo/.factory/skills/flat.md", "skill"),
        ("repo/.agent/commands/ops/deploy.md", "command"),
        ("repo/.factory/commands/run.sh", "command"),
        ("repo/.factory/output-styles/terse.md", "output-style"),
        ("repo/AGENTS.md", "agents-md"),
        ("repo/.factory/AGENTS.md", "agents-md"),
        ("repo/CLAUDE.md", "agents-md"),
        ("dotfiles/dot_factory/exact_droids/private_reviewer.md", "droid"),
    ],
)
def test_new_kinds_from_path(path: str, kind: str) -> None:
    assert resolve_kind(PurePosixPath(path), None) == (kind, None)


@pytest.mark.parametrize(
    "path",
    [
        "repo/.factory/hooks/hooks.migrated.json",
        "repo/.factory/skills/pdf/references/guide.md",
        "repo/.agents/droids/reviewer.md",
        "repo/.agents/mcp.json",
        "repo/.vscode/mcp.json",
        "repo/.cursor/mcp.json",
        "home/.factory/plugins/cache/x/hooks/hooks.json",
        "repo/factory/commands/deploy.md",
        "repo/docs/guide.md",
    ],
)
def test_files_droid_does_not_read_have_no_kind(path: str) -> None:
    assert resolve_kind(PurePosixPath(path), None)[0] is None


def test_mcp_servers_content_is_not_sniffed() -> None:
    """Other clients' mcp.json files (Cursor, Claude's .mcp.json) share `mcpServers`: a file
    is linted as Droid's mcp.json only by its place (or --kind)."""
    path = PurePosixPath("repo/.mcp.json")
    assert resolve_kind(path, parse('{"mcpServers": {}}').root)[0] is None
    assert resolve_kind(path, parse('{"mcpServers": {}}').root, "mcp") == ("mcp", None)


def test_discovery_finds_every_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factory_lint.files import discover

    home = tmp_path / "home"
    repo = tmp_path / "repo"
    sub = repo / "pkg"
    files = [
        home / ".factory" / "settings.json",
        home / ".factory" / "mcp.json",
        home / ".factory" / "hooks.json",
        home / ".factory" / "droids" / "reviewer.md",
        home / ".factory" / "skills" / "pdf" / "SKILL.md",
        home / ".agents" / "skills" / "lint" / "SKILL.md",
        home / ".factory" / "AGENTS.md",
        repo / "AGENTS.md",
        repo / ".factory" / "mcp.json",
        repo / ".factory" / "hooks" / "hooks.json",
        repo / ".factory" / "commands" / "ops" / "deploy.md",
        repo / ".factory" / "output-styles" / "terse.md",
        repo / ".agents" / "skills" / "x" / "SKILL.md",
        repo / ".claude" / "skills" / "x" / "SKILL.md",  # Droid never reads it: SKILL106
        sub / ".factory" / "settings.json",
        sub / "CLAUDE.md",
    ]
    ignored = [
        home / ".factory" / "logs" / "droid-log.json",
        home / ".factory" / "sessions" / "a.json",
        home / ".factory" / "config.toml",
        home / ".factory" / "hooks" / "hooks.json",  # shadowed: the level has a hooks.json
        repo / ".factory" / "skills" / "pdf" / "references" / "guide.md",
        repo / ".factory" / "droids" / ".hidden" / "x.md",
        repo / "docs" / "AGENTS.md",
    ]
    for path in files + ignored:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}\n", encoding="utf-8")
    (repo / ".git").mkdir()
    monkeypatch.setenv("FACTORY_HOME_OVERRIDE", str(home))
    found = list(discover(sub))
    assert sorted(map(str, found)) == sorted(map(str, files))
    assert found.index(home / ".factory" / "settings.json") < found.index(repo / "AGENTS.md")
