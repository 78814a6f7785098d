"""Which files are Droid's, and as which kind they are linted."""

from __future__ import annotations

from pathlib import PurePosixPath

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
    kind, note = resolve_kind(PurePosixPath("repo/.factory/config.json"), parse('{"workers": 2}').root)
    assert kind is None and note is not None and "another tool" in note
    # A broken file is still linted: it may be Droid's.
    assert resolve_kind(PurePosixPath("repo/.factory/config.json"), parse("{").root)[0] == "legacy"


def test_forced_kind_wins() -> None:
    assert resolve_kind(PurePosixPath("x.json"), None, "legacy") == ("legacy", None)


def test_chezmoi_templates_are_skipped() -> None:
    kind, note = resolve_kind(PurePosixPath("dot_factory/settings.json.tmpl"), None)
    assert kind is None and note is not None and "template" in note
