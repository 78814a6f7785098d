"""Which Droid file a path (or a text) is: settings, legacy config, or not Droid's at all."""

from __future__ import annotations

from pathlib import PurePath
from typing import Literal

from factory_lint.jsonc import Node
from factory_lint.lazy_re import lazy_compile

Kind = Literal["settings", "legacy"]
KINDS: tuple[Kind, ...] = ("settings", "legacy")

#: Folder names that hold Droid's files: the real one and the dotfile-manager layouts
#: (chezmoi ``dot_factory``/``private_dot_factory``, plain ``factory/`` in dotfile repos).
FACTORY_DIRS = frozenset({".factory", "dot_factory", "private_dot_factory", "factory"})
_CHEZMOI_PREFIXES = lazy_compile(r"^(?:(?:private|readonly|empty|executable|create|modify)_)+")
SETTINGS_NAMES = frozenset({"settings.json", "settings.local.json"})
LEGACY_NAMES = frozenset({"config.json"})

#: Top-level keys that only a Droid settings file has (used to sniff unknown names).
SETTINGS_MARKERS = frozenset(
    {
        "customModels",
        "sessionDefaultSettings",
        "commandAllowlist",
        "commandDenylist",
        "enableDroidShield",
        "missionModelSettings",
        "subagentModelSettings",
        "modelFavorites",
        "compactionModel",
        "autonomyLevel",
        "autonomyMode",
        "includeCoAuthoredByDroid",
        "cloudSessionSync",
    }
)
LEGACY_MARKERS = frozenset({"custom_models"})


def base_name(path: PurePath) -> str:
    """The file name with chezmoi attribute prefixes removed (``private_settings.json``)."""
    return _CHEZMOI_PREFIXES.sub("", path.name)


def base_name_of(name: str) -> str:
    """:func:`base_name` of a plain file name (no folder), without making a path of it."""
    return _CHEZMOI_PREFIXES.sub("", name)


def in_factory_dir(path: PurePath) -> bool:
    return path.parent.name in FACTORY_DIRS or _CHEZMOI_PREFIXES.sub("", path.parent.name) in {
        "dot_factory"
    }


def kind_from_path(path: PurePath) -> Kind | None:
    """The kind a path's name and folder imply, or None when only the content can tell."""
    if not in_factory_dir(path):
        return None
    name = base_name(path)
    if name in SETTINGS_NAMES:
        return "settings"
    if name in LEGACY_NAMES:
        return "legacy"
    return None


def kind_from_content(root: Node | None) -> Kind | None:
    """Sniff a parsed document: ``custom_models`` means legacy, settings keys mean settings."""
    if root is None or root.type != "object":
        return None
    keys = {m.key for m in root.members}
    if keys & LEGACY_MARKERS and not keys & SETTINGS_MARKERS:
        return "legacy"
    if keys & SETTINGS_MARKERS:
        return "settings"
    return None


def is_foreign_config(root: Node | None) -> bool:
    """A ``.factory/config.json`` that belongs to another tool: an object with no model list."""
    if root is None or root.type != "object" or not root.members:
        return False
    keys = {m.key for m in root.members}
    return not keys & {"custom_models", "customModels", "models"}


def resolve_kind(
    path: PurePath | None, root: Node | None, forced: Kind | None = None
) -> tuple[Kind | None, str | None]:
    """The kind to lint a document as, or ``(None, reason)`` when it is not a Droid file."""
    if forced is not None:
        return forced, None
    by_path = kind_from_path(path) if path is not None else None
    name = base_name(path) if path is not None else ""
    if name.endswith(".tmpl"):
        return None, "a chezmoi template; lint the file chezmoi renders instead"
    if by_path == "legacy" and is_foreign_config(root):
        return None, "a config.json without `custom_models`: it belongs to another tool, skipped"
    if by_path is not None:
        return by_path, None
    sniffed = kind_from_content(root)
    if sniffed is not None:
        return sniffed, None
    if name in SETTINGS_NAMES:
        return "settings", None
    if name in LEGACY_NAMES and not is_foreign_config(root):
        return "legacy", None
    return None, "not recognised as a Droid settings or config file (use --kind to force)"
